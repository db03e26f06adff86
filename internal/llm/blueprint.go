package llm

import (
	"slices"

	"liftplan/internal/science"
)

// BlueprintSchemaName is the json_schema name of the blueprint response format.
const BlueprintSchemaName = "liftplan_blueprint"

// Blueprint is what the model writes (DESIGN §4): one week's template and the text. The engine
// expands it into the mesocycle, so the model does no arithmetic.
//
// Interim: issue 13 moves these types, their strict schema and the expansion into
// internal/science; until then they live here under the names science will use.
type Blueprint struct {
	Name      string         `json:"name"`
	Rationale string         `json:"rationale"`
	Days      []BlueprintDay `json:"days"`
}

// BlueprintDay is one training day of the template week.
type BlueprintDay struct {
	Day       int                 `json:"day"`
	Label     string              `json:"label"`
	Exercises []BlueprintExercise `json:"exercises"`
}

// BlueprintExercise is one exercise of a template day, at its week-1 prescription.
type BlueprintExercise struct {
	ExerciseID  string `json:"exercise_id"`
	Sets        int    `json:"sets"`
	RepMin      int    `json:"rep_min"`
	RepMax      int    `json:"rep_max"`
	Unit        string `json:"unit"`
	RestSeconds int    `json:"rest_seconds"`
	Notes       string `json:"notes"`
	Rationale   string `json:"rationale"`
}

// blueprintJSONSchema is the strict schema of Blueprint: every property required, no extra
// properties, only keywords strict mode supports. Interim (see Blueprint).
const blueprintJSONSchema = `{"type":"object","additionalProperties":false,"required":["name","rationale","days"],"properties":{
"name":{"type":"string","description":"Short display name."},
"rationale":{"type":"string","description":"Why the program looks the way it does, two sentences."},
"days":{"type":"array","description":"The template week, one entry per training day in order.","items":{"type":"object","additionalProperties":false,"required":["day","label","exercises"],"properties":{
"day":{"type":"integer"},"label":{"type":"string"},
"exercises":{"type":"array","items":{"type":"object","additionalProperties":false,"required":["exercise_id","sets","rep_min","rep_max","unit","rest_seconds","notes","rationale"],"properties":{
"exercise_id":{"type":"string"},"sets":{"type":"integer"},"rep_min":{"type":"integer"},"rep_max":{"type":"integer"},
"unit":{"type":"string","enum":["reps","seconds"]},"rest_seconds":{"type":"integer"},"notes":{"type":"string"},"rationale":{"type":"string"}}}}}}}}}`

// BlueprintJSONSchema returns the strict JSON schema of the blueprint (the response format).
func BlueprintJSONSchema() []byte { return []byte(blueprintJSONSchema) }

// Expand turns a blueprint into the whole mesocycle: every accumulation week repeats the
// template at that week's RIR, and the deload halves the sets at the deload RIR. The enhancer
// then fits weekly volume to the plan's targets and recomputes weekly_volume and the time
// estimates, exactly as for any program. Interim: issue 13's science.Expand replaces it.
func Expand(a science.Analysis, bp Blueprint) science.Program {
	p := science.Program{SchemaVersion: science.SchemaVersion, Name: bp.Name, Goal: a.Input.Goal, Experience: a.Input.Experience,
		Split:     science.ProgramSplit{Type: a.Split.Type, DaysPerWeek: a.Split.DaysPerWeek},
		Mesocycle: science.Mesocycle{Weeks: a.Weeks, DeloadWeek: a.DeloadWeek, Progression: a.Progression},
		Weeks:     make([]science.Week, 0, a.Weeks), WeeklyVolume: []science.WeeklyVolume{},
		Science: science.ProgramScience{LandmarkTable: a.LandmarkTable, WeakPoints: slices.Clone(a.Input.WeakPoints), Rationale: bp.Rationale,
			Warnings: slices.Clone(a.Warnings), Fixes: []string{}},
	}
	if p.Science.WeakPoints == nil {
		p.Science.WeakPoints = []string{}
	}
	if p.Science.Warnings == nil {
		p.Science.Warnings = []string{}
	}
	for w := 1; w <= a.Weeks; w++ {
		deload := w == a.DeloadWeek
		rir := a.WeekRIR[w-1]
		week := science.Week{Week: w, Phase: "accumulation", TargetRIR: rir, Days: []science.Day{}}
		if deload {
			week.Phase = "deload"
		}
		for _, bd := range bp.Days {
			day := science.Day{Day: bd.Day, Label: bd.Label, Exercises: []science.ProgramExercise{}}
			for _, bx := range bd.Exercises {
				c, _ := science.LookupExercise(bx.ExerciseID)
				x := science.ProgramExercise{ExerciseID: bx.ExerciseID, Name: c.Name, Equipment: nonNil(slices.Clone(c.Equipment)),
					PrimaryMuscles: nonNil(slices.Clone(c.PrimaryMuscles)), SecondaryMuscles: nonNil(slices.Clone(c.SecondaryMuscles)),
					Sets: bx.Sets, RepMin: bx.RepMin, RepMax: bx.RepMax, TargetRIR: rir, RestSeconds: bx.RestSeconds, Notes: bx.Notes, Rationale: bx.Rationale}
				if deload {
					x.Sets = max(1, x.Sets/2)
				}
				day.Exercises = append(day.Exercises, x)
			}
			week.Days = append(week.Days, day)
		}
		p.Weeks = append(p.Weeks, week)
	}
	return p
}
