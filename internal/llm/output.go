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

// compileBlueprintSchema compiles the strict blueprint schema; generators compile it once,
// since compiling is far slower than validating.
func compileBlueprintSchema() (*jsonschema.Schema, error) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(BlueprintJSONSchema()))
	if err != nil {
		return nil, fmt.Errorf("parse blueprint schema: %w", err)
	}
	c := jsonschema.NewCompiler()
	const loc = "https://liftplan.invalid/blueprint.schema.json"
	if err := c.AddResource(loc, doc); err != nil {
		return nil, fmt.Errorf("add blueprint schema: %w", err)
	}
	s, err := c.Compile(loc)
	if err != nil {
		return nil, fmt.Errorf("compile blueprint schema: %w", err)
	}
	return s, nil
}

// checked is what inspecting one answer produced.
type checked struct {
	// program is the expanded program after invented exercises were replaced, not yet enhanced
	// (the pipeline enhances it and records the fixes itself).
	program science.Program
	// problems are what a repair request must fix; empty means the program is usable.
	problems []string
}

// checkAnswer decodes content as a blueprint, validates it against the JSON schema with
// path-level errors, replaces exercises the model invented, expands it into the mesocycle and
// runs the science validator and enhancer. Errors the enhancer cannot fix become problems for
// the repair request.
func checkAnswer(schema *jsonschema.Schema, a science.Analysis, content string) checked {
	content = stripFences(content)
	doc, err := jsonschema.UnmarshalJSON(strings.NewReader(content))
	if err != nil {
		return checked{problems: []string{"the answer is not valid JSON (" + err.Error() + "); answer with one JSON object only"}}
	}
	if err := schema.Validate(doc); err != nil {
		return checked{problems: schemaProblems(err)}
	}
	var bp Blueprint
	if err := json.Unmarshal([]byte(content), &bp); err != nil {
		return checked{problems: []string{"the answer does not decode as a blueprint: " + err.Error()}}
	}
	if len(bp.Days) != a.Split.DaysPerWeek {
		return checked{problems: []string{fmt.Sprintf("days: the plan has %d days, the answer %d; write one entry per plan day", a.Split.DaysPerWeek, len(bp.Days))}}
	}
	notes := replaceInventedExercises(a, &bp)
	p := Expand(a, bp)
	// Fixes are the validator's to write; a model's own list could say anything to the user.
	p.Science.Fixes = append([]string{}, notes...)
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
// exercise training a muscle of that plan day which the day does not already hold; with none
// available the exercise is removed (the enhancer moves its sets elsewhere). The science layer
// cannot vouch for an exercise it does not know, so it never reaches a user. It returns the
// plain-language notes of what it changed.
func replaceInventedExercises(a science.Analysis, bp *Blueprint) []string {
	var notes []string
	for di := range bp.Days {
		d := &bp.Days[di]
		var muscles []string
		if di < len(a.Split.Days) {
			muscles = a.Split.Days[di].Muscles
		}
		kept := d.Exercises[:0]
		for _, x := range d.Exercises {
			if _, ok := science.LookupExercise(x.ExerciseID); ok {
				kept = append(kept, x)
				continue
			}
			if sub, ok := substituteFor(a, muscles, d.Exercises); ok {
				notes = append(notes, fmt.Sprintf("Replaced %q (not in our exercise catalogue) with %s on day %d.", x.ExerciseID, sub.Name, di+1))
				x.ExerciseID = sub.ID
				kept = append(kept, x)
				continue
			}
			notes = append(notes, fmt.Sprintf("Removed %q (not in our exercise catalogue) from day %d.", x.ExerciseID, di+1))
		}
		d.Exercises = kept
	}
	return notes
}

// substituteFor picks the first allowed exercise whose first primary muscle is one of the
// day's muscles (in the day's order) and that the day does not contain yet.
func substituteFor(a science.Analysis, muscles []string, day []BlueprintExercise) (science.CatalogueExercise, bool) {
	for _, m := range muscles {
		for _, id := range a.AllowedExercises {
			if slices.ContainsFunc(day, func(e BlueprintExercise) bool { return e.ExerciseID == id }) {
				continue
			}
			c, ok := science.LookupExercise(id)
			if ok && len(c.PrimaryMuscles) > 0 && c.PrimaryMuscles[0] == m {
				return c, true
			}
		}
	}
	return science.CatalogueExercise{}, false
}
