package science

import (
	"fmt"
	"math"
	"strings"
)

// Generate builds the built-in program for an analysis. It is deterministic:
// the same analysis always gives the same program. An analysis that did not
// come from Analyze (for example one decoded from JSON) is re-derived from
// its input first.
func Generate(a Analysis) Program {
	if a.plan == nil {
		b, err := Analyze(a.Input)
		if err != nil {
			return emptyProgram(a)
		}
		a = b
	}
	p := Program{
		SchemaVersion: SchemaVersion,
		Name:          programName(&a),
		Goal:          a.Input.Goal,
		Experience:    a.Input.Experience,
		Split:         ProgramSplit{Type: a.Split.Type, DaysPerWeek: a.Split.DaysPerWeek},
		Mesocycle:     Mesocycle{Weeks: a.Weeks, DeloadWeek: a.DeloadWeek, Progression: a.Progression},
		Weeks:         make([]Week, a.Weeks),
	}
	acc := a.accumulationWeeks()
	for w := range acc {
		p.Weeks[w] = a.accumulationWeek(w)
	}
	p.Weeks[acc] = a.deloadWeek(&p.Weeks[acc-1])
	p.WeeklyVolume = weeklyVolume(&a, &p)
	p.Science = ProgramScience{
		LandmarkTable: a.LandmarkTable,
		WeakPoints:    append([]string{}, a.Input.WeakPoints...),
		Rationale:     a.Rationale,
		Warnings:      append([]string{}, a.Warnings...),
		Fixes:         []string{},
	}
	for _, f := range Validate(a, p) {
		if f.Severity == SeverityWarning {
			p.Science.Warnings = append(p.Science.Warnings, f.Explanation)
		}
	}
	return p
}

// emptyProgram is the shape returned for an analysis of invalid input: valid
// JSON with empty lists, which Validate then reports.
func emptyProgram(a Analysis) Program {
	return Program{
		SchemaVersion: SchemaVersion, Goal: a.Input.Goal, Experience: a.Input.Experience,
		Weeks: []Week{}, WeeklyVolume: []WeeklyVolume{},
		Science: ProgramScience{LandmarkTable: LandmarkTable, WeakPoints: []string{}, Warnings: []string{}, Fixes: []string{}},
	}
}

// weekSets derives accumulation week w from the peak week by taking sets
// away: while a muscle has more direct sets than its target for the week,
// the largest exercise training it loses a set, provided every prime mover
// of that exercise stays at or above its own target. Only removing sets
// keeps every week within the time the peak week was fitted to, and the
// proviso keeps every muscle at or above its floor, even muscles fed by
// another muscle's exercise (glutes by squats).
func (a *Analysis) weekSets(w int) [][]int {
	cat := catalogue().list
	days := a.plan.days
	out := make([][]int, len(days))
	var direct, target [numMuscles]int
	for d := range days {
		out[d] = make([]int, len(days[d]))
		for i, sl := range days[d] {
			out[d][i] = sl.sets
			for _, p := range cat[sl.ex].primary {
				if p >= 0 {
					direct[p] += sl.sets
				}
			}
		}
	}
	for m := range numMuscles {
		target[m] = a.stateUsed.m[m].target(w)
	}
	for _, m := range a.plan.order {
		if m == mHamstrings && a.stateUsed.m[m].status != statusIndirect {
			target[m] = max(target[m], hamstringsFloor(direct[mQuads]))
		}
		for direct[m] > target[m] {
			bd, bi := -1, -1
			for d := range days {
				for i, sl := range days[d] {
					e := &cat[sl.ex]
					if !e.hasPrimary(m) || out[d][i] <= 1 || (bd >= 0 && out[d][i] <= out[bd][bi]) {
						continue
					}
					ok := true
					for _, p := range e.primary {
						if p >= 0 && int(p) != m && direct[p]-1 < target[p] {
							ok = false
						}
					}
					if ok {
						bd, bi = d, i
					}
				}
			}
			if bd < 0 {
				break
			}
			out[bd][bi]--
			for _, p := range cat[days[bd][bi].ex].primary {
				if p >= 0 {
					direct[p]--
				}
			}
		}
	}
	return out
}

// accumulationWeek builds accumulation week w (0-based).
func (a *Analysis) accumulationWeek(w int) Week {
	cat := catalogue().list
	sets := a.weekSets(w)
	rir := a.WeekRIR[w]
	lastAcc := w == a.accumulationWeeks()-1
	week := Week{Week: w + 1, Phase: PhaseAccumulation, TargetRIR: rir, Days: make([]Day, len(a.plan.days))}
	for d, slots := range a.plan.days {
		day := Day{Day: d + 1, Label: a.Split.Days[d].Label, Exercises: make([]ProgramExercise, 0, len(slots))}
		for i, sl := range slots {
			e := &cat[sl.ex]
			exRIR := rir
			// DOMAIN.md: 3 → 2 → 1, then 0 on safe isolations in the last
			// week; beginners stay at 1, they are still learning the lifts.
			if lastAcc && !e.isCompound() && a.Input.Experience != LevelBeginner {
				exRIR = 0
			}
			if e.CanPin {
				exRIR = max(exRIR, 1)
			}
			day.Exercises = append(day.Exercises, a.prescribe(e, sl, sets[d][i], exRIR))
		}
		day.EstimatedMinutes = estimateMinutes(day.Exercises)
		week.Days[d] = day
	}
	return week
}

// deloadWeek halves the last accumulation week (at least 1 set per
// exercise) at RIR 4 (Bell et al. 2022; DOMAIN.md asks for RIR ≥ 4 and at
// most 60 % of the sets). If single-set exercises keep the total above 60 %,
// they are dropped from the end of the day, never a day's only exercise.
func (a *Analysis) deloadWeek(prev *Week) Week {
	rir := a.WeekRIR[a.Weeks-1]
	week := Week{Week: a.Weeks, Phase: PhaseDeload, TargetRIR: rir, Days: make([]Day, len(prev.Days))}
	prevTotal, total := 0, 0
	for d, pd := range prev.Days {
		day := Day{Day: pd.Day, Label: pd.Label, Exercises: make([]ProgramExercise, len(pd.Exercises))}
		for i, e := range pd.Exercises {
			e.Equipment = append([]string{}, e.Equipment...)
			e.PrimaryMuscles = append([]string{}, e.PrimaryMuscles...)
			e.SecondaryMuscles = append([]string{}, e.SecondaryMuscles...)
			prevTotal += e.Sets
			e.Sets = max(1, e.Sets/2)
			total += e.Sets
			e.TargetRIR = rir
			e.Notes = "Deload: same weights or slightly lighter, half the sets, stop well short of failure."
			day.Exercises[i] = e
		}
		week.Days[d] = day
	}
	for d := len(week.Days) - 1; d >= 0 && float64(total) > 0.6*float64(prevTotal); d-- {
		exs := week.Days[d].Exercises
		for i := len(exs) - 1; i >= 0 && len(exs) > 1 && float64(total) > 0.6*float64(prevTotal); i-- {
			if exs[i].Sets == 1 {
				exs = append(exs[:i], exs[i+1:]...)
				total--
			}
		}
		week.Days[d].Exercises = exs
	}
	for d := range week.Days {
		week.Days[d].EstimatedMinutes = estimateMinutes(week.Days[d].Exercises)
	}
	return week
}

// estimateMinutes is the rounded time model estimate of a day.
func estimateMinutes(exs []ProgramExercise) int {
	return int(math.Round(dayMinutes(exs)))
}

// prescribe turns a slot into a program exercise for one week.
func (a *Analysis) prescribe(e *CatalogueExercise, sl layoutSlot, sets, rir int) ProgramExercise {
	lo, hi := repsFor(e, a.Input.Goal, sl.role)
	return ProgramExercise{
		ExerciseID:       e.ID,
		Name:             e.Name,
		Equipment:        append([]string{}, e.Equipment...),
		PrimaryMuscles:   append([]string{}, e.PrimaryMuscles...),
		SecondaryMuscles: append([]string{}, e.SecondaryMuscles...),
		Sets:             sets,
		RepMin:           lo,
		RepMax:           hi,
		TargetRIR:        rir,
		RestSeconds:      restSeconds(sl.role, a.SessionMinutes),
		Notes:            exerciseNotes(e, sl.role),
		Rationale:        a.exerciseRationale(e, sl),
	}
}

// exerciseNotes gives the safety and progression cue that matters most.
func exerciseNotes(e *CatalogueExercise, r role) string {
	switch {
	case e.CanPin:
		return "Use safeties or a spotter; never closer than 1 rep to failure on this lift."
	case r == roleHeavy:
		return "Main lift of the day: add load once every set reaches the top of the range."
	case r == roleIsolation:
		return "Control the lowering; add reps before load."
	default:
		return "Add load once every set reaches the top of the range."
	}
}

// exerciseRationale says in one sentence why the exercise is there.
func (a *Analysis) exerciseRationale(e *CatalogueExercise, sl layoutSlot) string {
	muscle := muscleLabel(sl.driver)
	var why string
	switch {
	case a.stateUsed.m[sl.driver].status == statusEmphasize:
		why = fmt.Sprintf("first in the session because %s is a weak point you asked to bring up", muscle)
	case sl.role == roleHeavy:
		why = "the heavy lift of the day, trained fresh in low reps for strength"
	case e.isCompound() && len(e.SecondaryMuscles) > 0:
		why = fmt.Sprintf("a compound that trains %s with %s helping, so one lift covers several muscles", muscle, joinMuscles(e.SecondaryMuscles))
	case e.isCompound():
		why = fmt.Sprintf("a compound that loads %s well", muscle)
	default:
		why = fmt.Sprintf("isolates %s, which the compound lifts do not fully train", muscle)
	}
	return fmt.Sprintf("%s for %s: %s.", e.Name, muscle, why)
}

// programName is a short, descriptive title.
func programName(a *Analysis) string {
	goal := map[string]string{GoalHypertrophy: "Hypertrophy", GoalStrength: "Strength", GoalGeneralFitness: "General fitness"}[a.Input.Goal]
	split := map[string]string{"full_body": "full body", "upper_lower": "upper/lower", "ppl": "push/pull/legs", "upper_lower_ppl": "upper/lower + push/pull/legs"}[a.Split.Type]
	return fmt.Sprintf("%s %s, %d days × %d min", goal, split, a.Input.DaysPerWeek, a.Input.SessionMinutes)
}

// rationale explains the plan behind the program in a few sentences.
func (a *Analysis) rationale() string {
	var b strings.Builder
	fmt.Fprintf(&b, "A %d-week block: %d weeks building volume and effort (RIR %d down to %d), then a deload week with about half the sets. ",
		a.Weeks, a.accumulationWeeks(), a.WeekRIR[0], a.WeekRIR[a.accumulationWeeks()-1])
	fmt.Fprintf(&b, "%s training most muscles twice a week, which beats once a week for growth (Schoenfeld 2016). ", capitalize(programSplitLabel(a.Split.Type, a.Input.DaysPerWeek)))
	fmt.Fprintf(&b, "Weekly sets start near each muscle's minimum effective volume and rise by up to 2 sets a week where time allows (Renaissance Periodization landmarks, adjusted for your level: %s). ", a.Input.Experience)
	if len(a.Emphasized) > 0 {
		fmt.Fprintf(&b, "Your weak points (%s) get extra sets and are trained first in their sessions. ", joinMuscles(a.Emphasized))
	}
	fmt.Fprintf(&b, "Sessions are planned to fit %d minutes, compounds before isolations, and loads progress by %s.",
		a.Input.SessionMinutes, strings.ReplaceAll(a.Progression, "_", " "))
	return b.String()
}

func programSplitLabel(kind string, days int) string {
	switch kind {
	case "full_body":
		return fmt.Sprintf("%d full-body days,", days)
	case "upper_lower":
		return "upper/lower twice a week,"
	case "upper_lower_ppl":
		return "upper/lower plus push/pull/legs,"
	default:
		return "push/pull/legs twice a week,"
	}
}
