package llm

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"liftplan/internal/science"
)

// compileProgramSchema compiles the strict program schema; generators compile it once, since
// compiling is far slower than validating.
func compileProgramSchema() (*jsonschema.Schema, error) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(science.ProgramJSONSchema()))
	if err != nil {
		return nil, fmt.Errorf("parse program schema: %w", err)
	}
	c := jsonschema.NewCompiler()
	const loc = "https://liftplan.invalid/program.schema.json"
	if err := c.AddResource(loc, doc); err != nil {
		return nil, fmt.Errorf("add program schema: %w", err)
	}
	s, err := c.Compile(loc)
	if err != nil {
		return nil, fmt.Errorf("compile program schema: %w", err)
	}
	return s, nil
}

// checked is what inspecting one answer produced.
type checked struct {
	// program is the decoded program after invented exercises were replaced, not yet enhanced
	// (the pipeline enhances it and records the fixes itself).
	program science.Program
	// problems are what a repair request must fix; empty means the program is usable.
	problems []string
}

// checkAnswer decodes content, validates it against the JSON schema with path-level errors,
// replaces exercises the model invented, and runs the science validator and enhancer. Errors
// that the enhancer cannot fix become problems for the repair request.
func checkAnswer(schema *jsonschema.Schema, a science.Analysis, content string) checked {
	content = stripFences(content)
	doc, err := jsonschema.UnmarshalJSON(strings.NewReader(content))
	if err != nil {
		return checked{problems: []string{"the answer is not valid JSON (" + err.Error() + "); answer with one JSON object only"}}
	}
	if err := schema.Validate(doc); err != nil {
		return checked{problems: schemaProblems(err)}
	}
	var p science.Program
	if err := json.Unmarshal([]byte(content), &p); err != nil {
		return checked{problems: []string{"the answer does not decode as a program: " + err.Error()}}
	}
	// Fixes are the validator's to write; a model's own list could say anything to the user.
	p.Science.Fixes = []string{}
	p.Science.Fixes = append(p.Science.Fixes, replaceInventedExercises(a, &p)...)
	remaining := science.Enhance(a, p).Remaining
	var problems []string
	for _, f := range remaining {
		if f.Severity == science.SeverityError {
			problems = append(problems, findingProblem(f))
		}
	}
	return checked{program: p, problems: problems}
}

// stripFences removes a Markdown code fence some servers wrap JSON in despite the schema.
func stripFences(s string) string {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "```") {
		s = strings.TrimPrefix(s, "```json")
		s = strings.TrimPrefix(s, "```")
		s = strings.TrimSuffix(strings.TrimSpace(s), "```")
	}
	return strings.TrimSpace(s)
}

// schemaProblems flattens a validation error into one line per failing location.
func schemaProblems(err error) []string {
	ve, ok := err.(*jsonschema.ValidationError)
	if !ok {
		return []string{"schema validation: " + err.Error()}
	}
	var out []string
	for _, u := range ve.BasicOutput().Errors {
		if u.Error == nil {
			continue
		}
		loc := u.InstanceLocation
		if loc == "" {
			loc = "/"
		}
		line := fmt.Sprintf("schema: at %s: %s", loc, u.Error.String())
		if !slices.Contains(out, line) {
			out = append(out, line)
		}
	}
	if len(out) == 0 {
		out = append(out, "schema validation: "+err.Error())
	}
	return out
}

// findingProblem quotes a science finding with its location for the repair request.
func findingProblem(f science.Finding) string {
	var at []string
	if f.Week > 0 {
		at = append(at, fmt.Sprintf("week %d", f.Week))
	}
	if f.Day > 0 {
		at = append(at, fmt.Sprintf("day %d", f.Day))
	}
	if f.Exercise > 0 {
		at = append(at, fmt.Sprintf("exercise %d", f.Exercise))
	}
	if f.Muscle != "" {
		at = append(at, "muscle "+f.Muscle)
	}
	loc := ""
	if len(at) > 0 {
		loc = " at " + strings.Join(at, ", ")
	}
	return fmt.Sprintf("%s%s: %s", f.Rule, loc, f.Message)
}

// replaceInventedExercises swaps every exercise_id that is not in the catalogue for an allowed
// catalogue exercise with the same first primary muscle that the day does not already hold;
// with none available the exercise is removed (the enhancer moves its sets elsewhere). The
// science layer cannot vouch for an exercise it does not know, so it never reaches a user.
// It returns the plain-language notes of what it changed.
func replaceInventedExercises(a science.Analysis, p *science.Program) []string {
	var notes []string
	for wi := range p.Weeks {
		for di := range p.Weeks[wi].Days {
			d := &p.Weeks[wi].Days[di]
			kept := d.Exercises[:0]
			for _, x := range d.Exercises {
				if _, ok := science.LookupExercise(x.ExerciseID); ok {
					kept = append(kept, x)
					continue
				}
				label := x.Name
				if label == "" {
					label = x.ExerciseID
				}
				if sub, ok := substituteFor(a, x, d.Exercises); ok {
					notes = append(notes, fmt.Sprintf("Replaced %q (not in our exercise catalogue) with %s in week %d, day %d.", label, sub.Name, wi+1, di+1))
					x.ExerciseID, x.Name = sub.ID, sub.Name
					x.Equipment, x.PrimaryMuscles, x.SecondaryMuscles = slices.Clone(sub.Equipment), slices.Clone(sub.PrimaryMuscles), slices.Clone(sub.SecondaryMuscles)
					kept = append(kept, x)
					continue
				}
				notes = append(notes, fmt.Sprintf("Removed %q (not in our exercise catalogue) from week %d, day %d.", label, wi+1, di+1))
			}
			d.Exercises = kept
		}
	}
	return notes
}

// substituteFor picks the first allowed exercise training x's first primary muscle that the
// day does not contain yet.
func substituteFor(a science.Analysis, x science.ProgramExercise, day []science.ProgramExercise) (science.CatalogueExercise, bool) {
	if len(x.PrimaryMuscles) == 0 {
		return science.CatalogueExercise{}, false
	}
	for _, id := range a.AllowedExercises {
		if slices.ContainsFunc(day, func(e science.ProgramExercise) bool { return e.ExerciseID == id }) {
			continue
		}
		c, ok := science.LookupExercise(id)
		if ok && len(c.PrimaryMuscles) > 0 && c.PrimaryMuscles[0] == x.PrimaryMuscles[0] {
			return c, true
		}
	}
	return science.CatalogueExercise{}, false
}
