package science

import (
	"slices"
	"testing"
)

// TestNextBlocksValidate: whatever a log says, the next block the built-in generator makes
// passes the validator: each muscle at its floor, its ceiling and in between, with every kind of
// feedback, for lifters with and without weak points.
func TestNextBlocksValidate(t *testing.T) {
	inputs := []Input{nextBlockInput,
		{Goal: GoalHypertrophy, Experience: LevelAdvanced, DaysPerWeek: 6, SessionMinutes: 90, WeakPoints: []string{"chest", "hamstrings"},
			Equipment: []string{"barbell", "dumbbells", "machines", "cables", "bench", "pullup_bar"}, HasPaidAccess: true},
		{Goal: GoalStrength, Experience: LevelIntermediate, DaysPerWeek: 3, SessionMinutes: 45, WeakPoints: []string{"side_delts"},
			Equipment: []string{"barbell", "bench"}},
		{Goal: GoalGeneralFitness, Experience: LevelBeginner, DaysPerWeek: 2, SessionMinutes: 30, Equipment: []string{"dumbbells"}},
	}
	feedback := []MuscleLog{
		{Soreness: SorenessLasting, Pump: PumpLow, LoggedSets: 10, MissedSets: 10},
		{Soreness: SorenessNone, Pump: PumpGreat, LoggedSets: 10},
		{Soreness: SorenessMild, Pump: PumpGood, LoggedSets: 10},
	}
	for _, in := range inputs {
		a, err := Analyze(in)
		if err != nil {
			t.Fatal(err)
		}
		for _, reach := range []func(Landmarks) int{func(l Landmarks) int { return l.MEV }, func(l Landmarks) int { return l.MRV }, func(l Landmarks) int { return (l.MEV + l.MRV) / 2 }} {
			for _, fb := range feedback {
				next := in
				next.LogSummary = &LogSummary{}
				for _, mp := range a.Muscles {
					ml := fb
					ml.Muscle, ml.ReachedSets = mp.Muscle, max(reach(mp.Landmarks), 1)
					next.LogSummary.Muscles = append(next.LogSummary.Muscles, ml)
				}
				b, err := Analyze(next)
				if err != nil {
					t.Fatal(err)
				}
				p := Generate(b)
				ApplyLog(b, &p)
				if fs := Validate(b, p); slices.ContainsFunc(fs, func(f Finding) bool { return f.Severity == SeverityError }) {
					t.Errorf("%+v with %+v: %v", in, fb, fs)
				}
			}
		}
	}
}
