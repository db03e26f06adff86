package science

import (
	"fmt"
	"testing"
)

func showProgram(p Program) string {
	s := ""
	for _, w := range p.Weeks {
		s += fmt.Sprintf("W%d rir%d\n", w.Week, w.TargetRIR)
		for _, d := range w.Days {
			s += fmt.Sprintf("  D%d %s (%d min, %.1f)\n", d.Day, d.Label, d.EstimatedMinutes, dayMinutes(d.Exercises))
			for _, e := range d.Exercises {
				s += fmt.Sprintf("    %-34s %d×%d–%d %s rir%d rest%d\n", e.ExerciseID, e.Sets, e.RepMin, e.RepMax, e.Unit, e.TargetRIR, e.RestSeconds)
			}
		}
	}
	return s
}

func TestZZShow(t *testing.T) {
	in := Input{Goal: "hypertrophy", Experience: "beginner", DaysPerWeek: 2, SessionMinutes: 30, Equipment: EquipmentKinds}
	a, _ := Analyze(in)
	p := Generate(a)
	t.Log("\n" + showProgram(p))
	for _, m := range a.Muscles {
		t.Logf("%s %s %v", m.Muscle, m.Priority, m.Targets)
	}
	t.Log(a.Warnings)
}
