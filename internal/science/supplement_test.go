package science

import (
	"slices"
	"testing"
)

// TestStopGapSupplements: with dumbbells only and an injured shoulder, elbow
// and wrist, the dumbbell row is the only loadable back exercise; a weak
// back gets a stop-gap row beside it on the same day (it supplements, it
// does not stand in), the validator accepts that, and the time given is used
// for the weak point instead of holding it at maintenance.
func TestStopGapSupplements(t *testing.T) {
	a, err := Analyze(Input{Goal: GoalGeneralFitness, Experience: LevelAdvanced, DaysPerWeek: 6, SessionMinutes: 120,
		Equipment: []string{"dumbbells"}, Injuries: []string{"shoulder", "elbow", "wrist"}, WeakPoints: []string{"back", "side_delts"}})
	if err != nil {
		t.Fatal(err)
	}
	p := Generate(a)
	for _, f := range Validate(a, p) {
		if f.Rule == RuleQuality {
			t.Errorf("stop-gap beside a better exercise flagged: %s", f.Message)
		}
	}
	supplemented := false
	for _, d := range p.Weeks[0].Days {
		ids := make([]string, 0, len(d.Exercises))
		for _, x := range d.Exercises {
			ids = append(ids, x.ExerciseID)
		}
		stopGap := slices.Contains(ids, "table_inverted_row") || slices.Contains(ids, "doorframe_row")
		if stopGap && !slices.Contains(ids, "dumbbell_bent_over_row") {
			t.Errorf("%s: a stop-gap row stands in for the dumbbell row: %v", d.Label, ids)
		}
		supplemented = supplemented || stopGap
	}
	if mp := a.musclePlan(mBack); !supplemented || mp.Priority != PriorityEmphasize {
		t.Errorf("back %s %v, stop-gap supplement %v; want the weak point emphasised with a second row", mp.Priority, mp.Targets, supplemented)
	}
}
