package science

import (
	"math/rand/v2"
	"testing"
)

// TestEnhanceRandomDamage damages built-in programs at random, as a careless
// LLM might, and expects Enhance to repair them. Volume and time can be
// truly unfixable in place (every muscle at its floor and no day with time
// to spare), so those may remain in a rare program; every other error must
// always be repaired.
func TestEnhanceRandomDamage(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	cat := Catalogue()
	inputs := allCombinations()
	left := map[string]int{}
	unrepaired := 0
	const programs = 2000
	for n := range programs {
		in := inputs[rng.IntN(len(inputs))]
		a, _ := Analyze(in)
		p := Generate(a)
		for range 1 + rng.IntN(6) {
			w := &p.Weeks[rng.IntN(len(p.Weeks))]
			d := &w.Days[rng.IntN(len(w.Days))]
			x := &d.Exercises[rng.IntN(len(d.Exercises))]
			switch rng.IntN(7) {
			case 0:
				x.Sets = rng.IntN(10) - 1
			case 1:
				x.RepMin, x.RepMax = rng.IntN(40), rng.IntN(40)
			case 2:
				x.TargetRIR = rng.IntN(8) - 1
			case 3:
				x.RestSeconds = rng.IntN(400)
			case 4:
				c := cat[rng.IntN(len(cat))]
				x.ExerciseID, x.Name, x.PrimaryMuscles = c.ID, c.Name, c.PrimaryMuscles
			case 5:
				w.TargetRIR = rng.IntN(6)
			case 6:
				p.WeeklyVolume = p.WeeklyVolume[:rng.IntN(len(p.WeeklyVolume)+1)]
			}
		}
		_, _, remaining := enhance3(a, p)
		if HasErrors(remaining) {
			unrepaired++
		}
		for _, f := range remaining {
			if f.Severity == SeverityError {
				left[f.Rule]++
				t.Logf("program %d %+v: %s %s", n, in, f.Rule, f.Message)
			}
		}
	}
	t.Logf("%d of %d damaged programs left with errors: %v", unrepaired, programs, left)
	for rule, n := range left {
		if rule != RuleVolumeRange && rule != RuleTimeLimit {
			t.Errorf("%d programs still break %s after Enhance", n, rule)
		}
	}
	// The revised time model (ramp-up sets, full rests) leaves 30-minute
	// programs little room, so a few heavily damaged ones cannot be
	// repaired; those are reported as failures, never stored.
	if unrepaired*100 > programs {
		t.Errorf("%d of %d programs left unrepaired, want at most 1 %%", unrepaired, programs)
	}
}
