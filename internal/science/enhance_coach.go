package science

import (
	"fmt"
	"slices"
)

// The enhancer's repairs for "A coach's standard": duplicates merged, empty
// days filled, rest raised to its floor, the deload lighter for every muscle.

// mergeDuplicates folds a second occurrence of an exercise in a day into
// the first: its sets are added (up to the 6-set ceiling) and it is removed.
func (e *enhancer) mergeDuplicates() {
	for wi := range e.p.Weeks {
		for di := range e.p.Weeks[wi].Days {
			d := &e.p.Weeks[wi].Days[di]
			for i := 0; i < len(d.Exercises); i++ {
				for j := len(d.Exercises) - 1; j > i; j-- {
					if d.Exercises[j].ExerciseID != d.Exercises[i].ExerciseID {
						continue
					}
					x := &d.Exercises[i]
					x.Sets = min(x.Sets+d.Exercises[j].Sets, MaxSets)
					e.fix(RuleDuplicate, wi+1, di+1, j+1, "", fmt.Sprintf("merged duplicate %s into exercise %d", x.ExerciseID, i+1),
						fmt.Sprintf("%s appeared twice on week %d day %d; its sets are now one entry.", x.Name, wi+1, di+1))
					d.Exercises = slices.Delete(d.Exercises, j, j+1)
				}
			}
		}
	}
}

// fillEmptyDays gives a day without exercises the best allowed exercise for
// the split day's first muscle (2 sets, half in the deload); the volume
// repair then adjusts the week.
func (e *enhancer) fillEmptyDays() {
	a := e.a
	for wi := range e.p.Weeks {
		for di := range e.p.Weeks[wi].Days {
			d := &e.p.Weeks[wi].Days[di]
			if len(d.Exercises) > 0 || di >= len(a.Split.Days) {
				continue
			}
			pick := e.pickFor(a.Split.Days[di].muscles)
			if pick == nil {
				continue
			}
			sets := coachMinSets
			if wi == len(e.p.Weeks)-1 {
				sets = 1
			}
			d.Exercises = append(d.Exercises, e.newExercise(pick, sets, e.p.Weeks[wi].TargetRIR))
			e.fix(RuleEmptyDay, wi+1, di+1, 0, "", "filled empty day with "+pick.ID,
				fmt.Sprintf("Week %d day %d was empty; it now starts with %s.", wi+1, di+1, pick.Name))
		}
	}
}

// pickFor returns the best allowed exercise for the first muscle that has one.
func (e *enhancer) pickFor(muscles []int) *CatalogueExercise {
	cat := catalogue()
	for _, m := range muscles {
		for _, i := range cat.ranked {
			if c := &cat.list[i]; c.primary[0] == int8(m) && e.a.isAllowed(c) {
				return c
			}
		}
	}
	return nil
}

// newExercise prescribes a catalogue exercise the way the generator would.
func (e *enhancer) newExercise(c *CatalogueExercise, sets, rir int) ProgramExercise {
	a := e.a
	r := roleOf(c, a.Input.Goal, false)
	lo, hi := repsFor(c, a.Input.Goal, r)
	if c.isCompound() {
		rir = max(rir, 1)
	}
	return ProgramExercise{
		ExerciseID: c.ID, Name: c.Name, Equipment: slices.Clone(c.Equipment),
		PrimaryMuscles: slices.Clone(c.PrimaryMuscles), SecondaryMuscles: slices.Clone(c.SecondaryMuscles),
		Sets: sets, RepMin: lo, RepMax: hi, Unit: c.unit(), TargetRIR: rir, RestSeconds: restSeconds(c, r, a.SessionMinutes),
		Notes: exerciseNotes(c, r), Rationale: fmt.Sprintf("%s for %s: added so the day trains what it is meant to.", c.Name, joinMuscles(c.PrimaryMuscles)),
	}
}

// restFloor raises rest to the standard's floor for the work.
func (e *enhancer) restFloor(x *ProgramExercise, wk, dy, n int) {
	c, ok := LookupExercise(x.ExerciseID)
	if !ok {
		return
	}
	if floor := minRestFor(&c, x.RepMax, x.Unit); x.RestSeconds < floor {
		e.fix(RuleRestFloor, wk, dy, n, "", fmt.Sprintf("rest %d s → %d s", x.RestSeconds, floor),
			fmt.Sprintf("Gave %s %d seconds of rest, what work like this needs.", x.Name, floor))
		x.RestSeconds = floor
	}
}

// deloadPerMuscle makes the deload lighter for every muscle.
func (e *enhancer) deloadPerMuscle() {
	n := len(e.p.Weeks)
	if n < 2 {
		return
	}
	last, prev := &e.p.Weeks[n-1], &e.p.Weeks[n-2]
	before := tallyWeek(last)
	trimDeload(last, prev)
	after := tallyWeek(last)
	for m := range numMuscles {
		if after.direct[m] < before.direct[m] {
			e.fix(RuleDeloadMuscle, n, 0, 0, Muscles[m], fmt.Sprintf("%s deload %d → %d sets", Muscles[m], before.direct[m], after.direct[m]),
				fmt.Sprintf("Made the deload lighter for %s too.", muscleLabel(m)))
		}
	}
}
