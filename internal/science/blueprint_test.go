package science

import (
	"encoding/json"
	"reflect"
	"testing"
)

// TestBlueprintSchemaMatchesTypes holds the blueprint schema to the same
// strict-mode rules as the program schema.
func TestBlueprintSchemaMatchesTypes(t *testing.T) {
	var root map[string]any
	if err := json.Unmarshal(BlueprintJSONSchema(), &root); err != nil {
		t.Fatal(err)
	}
	walkSchema(t, "blueprint", reflect.TypeFor[Blueprint](), root)
	props := root["properties"].(map[string]any)
	day := props["days"].(map[string]any)["items"].(map[string]any)
	ex := day["properties"].(map[string]any)["exercises"].(map[string]any)["items"].(map[string]any)
	var got []string
	for k := range ex["properties"].(map[string]any) {
		got = append(got, k)
	}
	if len(got) != 8 {
		t.Errorf("blueprint exercise has properties %v, want DESIGN §4's eight", got)
	}
}

// TestExpandWeekOneBlueprint expands a blueprint written the way an LLM
// writes one (two sets of everything in week 1) and checks the engine's
// arithmetic: every week progresses, the deload is lighter for every muscle,
// catalogue facts and units are filled in, and the result validates.
func TestExpandWeekOneBlueprint(t *testing.T) {
	in := Input{Goal: GoalHypertrophy, Experience: LevelIntermediate, DaysPerWeek: 4, SessionMinutes: 75, Equipment: EquipmentKinds, HasPaidAccess: true}
	a, err := Analyze(in)
	if err != nil {
		t.Fatal(err)
	}
	bp := a.BuiltinBlueprint()
	for d := range bp.Days {
		for i := range bp.Days[d].Exercises {
			bp.Days[d].Exercises[i].Sets = 2
		}
	}
	bp.Days[0].Exercises = append(bp.Days[0].Exercises, BlueprintExercise{ExerciseID: "plank", Sets: 2, RepMin: 10, RepMax: 20, Unit: UnitReps, RestSeconds: 60, Rationale: "core"})
	p := Expand(a, bp)
	if len(p.Weeks) != a.Weeks {
		t.Fatalf("%d weeks, want %d", len(p.Weeks), a.Weeks)
	}
	for _, f := range Validate(a, p) {
		if f.Severity == SeverityError {
			t.Errorf("expanded blueprint: %s %s", f.Rule, f.Message)
		}
	}
	acc := a.Weeks - 1
	first, peak, deload := tallyWeek(&p.Weeks[0]), tallyWeek(&p.Weeks[acc-1]), tallyWeek(&p.Weeks[acc])
	for m := range numMuscles {
		if peak.direct[m] > 0 && deload.direct[m] >= peak.direct[m] && peak.direct[m] > 1 {
			t.Errorf("%s: deload %d sets, last week %d", Muscles[m], deload.direct[m], peak.direct[m])
		}
	}
	for _, m := range []int{mChest, mBack, mQuads} {
		if peak.direct[m] <= first.direct[m] {
			t.Errorf("%s: %d sets in week 1, %d at the peak: no real progression", Muscles[m], first.direct[m], peak.direct[m])
		}
	}
	plank := p.Weeks[0].Days[0].Exercises[len(p.Weeks[0].Days[0].Exercises)-1]
	if plank.Unit != UnitSeconds || plank.Name != "Front plank" || len(plank.PrimaryMuscles) != 1 {
		t.Errorf("plank expanded as %+v, want seconds and catalogue facts", plank)
	}
}
