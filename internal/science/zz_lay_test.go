package science

import "testing"

func TestZZLayout(t *testing.T) {
	in := Input{Goal: "strength", Experience: "intermediate", DaysPerWeek: 4, SessionMinutes: 90, Equipment: []string{"barbell", "bench", "dumbbells", "machines", "cables", "pullup_bar"}}
	a, _ := Analyze(in)
	a.Warnings = nil
	base := a.basePlan()
	l, ok := a.layout(&base)
	t.Logf("ok=%v capped=%v", ok, l.capped)
	for d, day := range l.days {
		for _, sl := range day {
			t.Logf("  d%d %s %d", d, catalogue().list[sl.ex].ID, sl.sets)
		}
		t.Logf("  d%d time %.1f", d, a.dayTime(&base, day))
	}
	for m := range numMuscles {
		t.Logf("%s st%d target %d", Muscles[m], base.m[m].status, base.m[m].target(a.accumulationWeeks()-1))
	}
}
