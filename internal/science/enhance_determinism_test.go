package science

import (
	"bytes"
	"encoding/json"
	"slices"
	"testing"
)

// determinismRuns is how often each input is repeated: a map iteration
// deciding the order of two findings differs in 20 runs with probability
// 1 - 2⁻¹⁹.
const determinismRuns = 20

// TestEnhanceDeterministic: Enhance against a tighter time limit than the
// program was built for (30-minute sessions for 90- and 120-minute
// strength programs) returns the same program, fixes and findings every
// time in one process.
func TestEnhanceDeterministic(t *testing.T) {
	fullGym := EquipmentKinds
	for _, in := range []Input{
		{Goal: GoalStrength, Experience: LevelIntermediate, DaysPerWeek: 3, SessionMinutes: 120, Equipment: []string{"dumbbells"}, HasPaidAccess: true},
		{Goal: GoalStrength, Experience: LevelAdvanced, DaysPerWeek: 3, SessionMinutes: 90, Equipment: fullGym, HasPaidAccess: true},
		{Goal: GoalStrength, Experience: LevelIntermediate, DaysPerWeek: 3, SessionMinutes: 90, Equipment: fullGym, WeakPoints: []string{"hamstrings", "biceps"}, HasPaidAccess: true},
	} {
		a, err := Analyze(in)
		if err != nil {
			t.Fatal(err)
		}
		p := Generate(a)
		short := in
		short.SessionMinutes = 30
		b, err := Analyze(short)
		if err != nil {
			t.Fatal(err)
		}
		want, _ := json.Marshal(Enhance(b, p))
		for run := 1; run < determinismRuns; run++ {
			if got, _ := json.Marshal(Enhance(b, p)); !bytes.Equal(got, want) {
				t.Fatalf("%s/%s/%dd/%dmin enhanced for 30 min: run %d differs from run 0", in.Goal, in.Experience, in.DaysPerWeek, in.SessionMinutes, run)
			}
		}
	}
}

// TestValidateStrengthOrder: a strength week missing both its squats and
// its hinge gets the two findings in the main lifts' order, every run.
func TestValidateStrengthOrder(t *testing.T) {
	a, err := Analyze(Input{Goal: GoalStrength, Experience: LevelIntermediate, DaysPerWeek: 3, SessionMinutes: 60, Equipment: EquipmentKinds})
	if err != nil {
		t.Fatal(err)
	}
	p := cloneProgram(Generate(a))
	for d := range p.Weeks[0].Days {
		p.Weeks[0].Days[d].Exercises = slices.DeleteFunc(p.Weeks[0].Days[d].Exercises, func(x ProgramExercise) bool {
			c, _ := LookupExercise(x.ExerciseID)
			return mainLiftKind(&c) == liftSquat || mainLiftKind(&c) == liftHinge
		})
	}
	want := []string{"squat trained on 0 day(s), want 2", "hinge trained on 0 day(s), want 1"}
	for run := range determinismRuns {
		var got []string
		for _, f := range Validate(a, p) {
			if f.Rule == RuleStrength && f.Day == 0 {
				got = append(got, f.Message)
			}
		}
		if !slices.Equal(got, want) {
			t.Fatalf("run %d: strength findings %q, want %q", run, got, want)
		}
	}
}
