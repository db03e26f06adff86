package science

import (
	"fmt"
	"strings"
)

// Explain prints the plan behind a program for a coach: the input, the split,
// each muscle's priority, landmarks and weekly targets, and the time model
// of each day of the built-in program's peak week (warm-up, changeovers,
// working sets, rests and ramp-up sets against the limit), so anyone can see
// why a program looks as it does.
func (a Analysis) Explain() string {
	if a.plan == nil {
		b, err := Analyze(a.Input)
		if err != nil {
			return err.Error() + "\n"
		}
		a = b
	}
	var b strings.Builder
	in := a.Input
	fmt.Fprintf(&b, "Profile: %s, %s, %d days × %d min, paid=%v\n", in.Goal, in.Experience, in.DaysPerWeek, in.SessionMinutes, in.HasPaidAccess)
	fmt.Fprintf(&b, "  equipment: %s; injuries: %s; weak points: %s\n", listOrNone(in.Equipment), listOrNone(in.Injuries), listOrNone(in.WeakPoints))
	fmt.Fprintf(&b, "Block: %d weeks (deload in week %d), RIR by week %v, progression %s\n", a.Weeks, a.DeloadWeek, a.WeekRIR, a.Progression)
	fmt.Fprintf(&b, "Split: %s; day limit %.1f min (%d × %.2f)\n\n", a.Split.Type, a.MaxDayMinutes, a.SessionMinutes, timeTolerance)
	fmt.Fprintf(&b, "%-12s %-9s %-20s %-22s %s\n", "muscle", "priority", "MV/MEV/MAV/MRV", "weekly direct sets", "floor/peak floor")
	for _, m := range a.Muscles {
		pri := m.Priority
		if m.Indirect {
			pri = "indirect"
		}
		l := m.Landmarks
		fmt.Fprintf(&b, "%-12s %-9s %-20s %-22s %d/%d\n", m.Muscle, pri,
			fmt.Sprintf("%d/%d/%d–%d/%d", l.MV, l.MEV, l.MAVLow, l.MAVHigh, l.MRV), fmt.Sprint(m.Targets), m.Floor, m.PeakFloor)
	}
	if a.untrimmedWhy != "" {
		fmt.Fprintf(&b, "\nThe untrimmed plan did not fit (%s), so the targets above are trimmed.\n", a.untrimmedWhy)
	}
	p := Generate(a)
	peak := &p.Weeks[len(p.Weeks)-2]
	fmt.Fprintf(&b, "\nTime model, week %d (the longest): warm-up %.1f + per exercise %.1f changeover + %.2f per set (×%d one side at a time) + rests + %.1f ramp-up before the first weighted (not banded) compound of a pattern\n",
		peak.Week, warmupMinutes, changeoverMinutes, minutesPerSet, unilateralFactor, rampUpMinutes)
	for _, d := range peak.Days {
		b.WriteString(a.explainDay(&d))
	}
	if len(p.Science.Warnings) > 0 {
		b.WriteString("\nWarnings:\n")
		for _, w := range p.Science.Warnings {
			fmt.Fprintf(&b, "  - %s\n", w)
		}
	}
	return b.String()
}

// explainDay prints one day's time model line by line.
func (a *Analysis) explainDay(d *Day) string {
	var b strings.Builder
	fmt.Fprintf(&b, "  %s: %.1f of %.1f min\n", d.Label, dayMinutes(d.Exercises), a.MaxDayMinutes)
	seen := make([]string, 0, len(d.Exercises))
	for _, x := range d.Exercises {
		c, _ := LookupExercise(x.ExerciseID)
		t := exerciseMinutes(&c, x.Sets, x.RestSeconds)
		ramp := ""
		if needsRampUp(&c, &seen) {
			t += rampUpMinutes
			ramp = " +ramp-up"
		}
		fmt.Fprintf(&b, "    %-40s %d×%d–%d %s, rest %3d s%s = %.1f min\n", x.Name, x.Sets, x.RepMin, x.RepMax, x.Unit, x.RestSeconds, ramp, t)
	}
	return b.String()
}

func listOrNone(s []string) string {
	if len(s) == 0 {
		return "none"
	}
	return strings.Join(s, ", ")
}
