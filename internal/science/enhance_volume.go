package science

import (
	"fmt"
	"slices"
)

// This file holds the enhancer's volume and time repairs.

// sessionVolume caps direct sets per muscle per session at 12.
func (e *enhancer) sessionVolume() {
	for wi := range e.p.Weeks {
		w := &e.p.Weeks[wi]
		t := tallyWeek(w)
		for di := range w.Days {
			for m := range numMuscles {
				over := t.perDay[di][m] - maxSessionSets
				if over <= 0 {
					continue
				}
				before := t.perDay[di][m]
				for over > 0 {
					i := largestWith(w.Days[di].Exercises, m, func(x *ProgramExercise) bool { return x.Sets > 1 })
					if i < 0 {
						break
					}
					w.Days[di].Exercises[i].Sets--
					over--
				}
				e.fix(RuleSessionVolume, wi+1, di+1, 0, Muscles[m], fmt.Sprintf("%s session sets %d → %d", Muscles[m], before, maxSessionSets+over),
					fmt.Sprintf("Capped %s at 12 sets in one session on week %d day %d.", muscleLabel(m), wi+1, di+1))
			}
		}
	}
}

// largestWith returns the exercise with the most sets that has m as a prime
// mover and passes ok, or -1.
func largestWith(exs []ProgramExercise, m int, ok func(*ProgramExercise) bool) int {
	best := -1
	for i := range exs {
		x := &exs[i]
		primary, _ := exerciseMuscles(x)
		if slices.Contains(primary, int8(m)) && ok(x) && (best < 0 || x.Sets > exs[best].Sets) {
			best = i
		}
	}
	return best
}

// floorFor is the fewest direct sets muscle m may have in week index wi.
func (e *enhancer) floorFor(m, wi int) int {
	mp := e.a.musclePlan(m)
	if wi == len(e.p.Weeks)-2 {
		return mp.PeakFloor
	}
	return mp.Floor
}

// weeklyVolume clamps each muscle's weekly direct sets of the accumulation
// weeks into [floor, MRV]: sets come off the largest exercises over MRV and
// go onto existing exercises (or a new one) under the floor.
func (e *enhancer) weeklyVolume() {
	for wi := 0; wi < len(e.p.Weeks)-1; wi++ {
		w := &e.p.Weeks[wi]
		for m := range numMuscles {
			t := tallyWeek(w)
			mrv := landmarksFor(m, e.a.Input.Experience, max(t.freq[m], 1)).MRV
			floor := e.floorFor(m, wi)
			switch got := t.direct[m]; {
			case got > mrv:
				e.trimMuscle(w, wi, m, got-mrv)
				e.fix(RuleVolumeRange, wi+1, 0, 0, Muscles[m], fmt.Sprintf("%s %d → %d sets (MRV %d)", Muscles[m], got, tallyWeek(w).direct[m], mrv),
					fmt.Sprintf("Cut %s to %d sets in week %d, within what you can recover from.", muscleLabel(m), tallyWeek(w).direct[m], wi+1))
			case got < floor:
				e.addSets(w, wi, m, floor-got)
				e.fix(RuleVolumeRange, wi+1, 0, 0, Muscles[m], fmt.Sprintf("%s %d → %d sets (floor %d)", Muscles[m], got, tallyWeek(w).direct[m], floor),
					fmt.Sprintf("Raised %s to %d sets in week %d, enough to keep progressing.", muscleLabel(m), tallyWeek(w).direct[m], wi+1))
			}
		}
	}
}

// trimMuscle removes n sets of m, largest exercises first, never taking
// another prime mover of the exercise below its floor.
func (e *enhancer) trimMuscle(w *Week, wi, m, n int) {
	for ; n > 0; n-- {
		t := tallyWeek(w)
		bd, bi := -1, -1
		for di := range w.Days {
			i := largestWith(w.Days[di].Exercises, m, func(x *ProgramExercise) bool {
				if x.Sets <= 1 {
					return false
				}
				primary, _ := exerciseMuscles(x)
				for _, p := range primary {
					if int(p) != m && t.direct[p]-1 < e.floorFor(int(p), wi) {
						return false
					}
				}
				return true
			})
			if i >= 0 && (bd < 0 || w.Days[di].Exercises[i].Sets > w.Days[bd].Exercises[bi].Sets) {
				bd, bi = di, i
			}
		}
		if bd < 0 {
			return
		}
		w.Days[bd].Exercises[bi].Sets--
	}
}

// addSets adds n sets of m: first to its existing exercises with room (6
// sets, 12 per session), then as a new exercise on the least busy day.
func (e *enhancer) addSets(w *Week, wi, m, n int) {
	for ; n > 0; n-- {
		t := tallyWeek(w)
		bd, bi := -1, -1
		for di := range w.Days {
			if t.perDay[di][m] >= maxSessionSets {
				continue
			}
			for i := range w.Days[di].Exercises {
				x := &w.Days[di].Exercises[i]
				primary, _ := exerciseMuscles(x)
				if !slices.Contains(primary, int8(m)) || x.Sets >= maxSetsPerExercise {
					continue
				}
				if bd < 0 || x.Sets < w.Days[bd].Exercises[bi].Sets {
					bd, bi = di, i
				}
			}
		}
		if bd >= 0 {
			w.Days[bd].Exercises[bi].Sets++
			continue
		}
		if !e.addExercise(w, wi, m, min(n, maxSetsPerExercise)) {
			return
		}
		n -= min(n, maxSetsPerExercise) - 1
	}
}

// addExercise appends a new exercise for m to the day with the fewest
// exercises; it reports whether one was added.
func (e *enhancer) addExercise(w *Week, wi, m, sets int) bool {
	a := e.a
	cat := catalogue().list
	bd := -1
	for di := range w.Days {
		if bd < 0 || len(w.Days[di].Exercises) < len(w.Days[bd].Exercises) {
			bd = di
		}
	}
	if bd < 0 {
		return false
	}
	day := &w.Days[bd]
	for i := range cat {
		c := &cat[i]
		if !c.hasPrimary(m) || !a.isAllowed(c) || slices.ContainsFunc(day.Exercises, func(x ProgramExercise) bool { return x.ExerciseID == c.ID }) {
			continue
		}
		r := roleOf(c, a.Input.Goal, false)
		lo, hi := repsFor(c, a.Input.Goal, r)
		day.Exercises = append(day.Exercises, ProgramExercise{
			ExerciseID: c.ID, Name: c.Name, Equipment: slices.Clone(c.Equipment),
			PrimaryMuscles: slices.Clone(c.PrimaryMuscles), SecondaryMuscles: slices.Clone(c.SecondaryMuscles),
			Sets: sets, RepMin: lo, RepMax: hi, TargetRIR: max(w.TargetRIR, 1), RestSeconds: restSeconds(r, a.SessionMinutes),
			Notes:     "",
			Rationale: fmt.Sprintf("%s for %s: added so %s get enough weekly sets.", c.Name, muscleLabel(m), muscleLabel(m)),
		})
		return true
	}
	return false
}

// timeBudget trims days over the time limit in DOMAIN.md's order: sets of
// maintain (and indirect) muscles first, down to their floor, then grow
// muscles down to MEV, then emphasized muscles but never below the bottom of
// MAV. An exercise down to 1 set goes entirely when that keeps every prime
// mover at its floor. Only when no set can go are rests shortened to 90 s
// for compounds and 60 s for isolations, the fastest our model allows.
func (e *enhancer) timeBudget() {
	rank := func(x *ProgramExercise) int {
		primary, _ := exerciseMuscles(x)
		r := 0
		for _, p := range primary {
			switch e.a.musclePlan(int(p)).Priority {
			case PriorityEmphasize:
				r = max(r, 2)
			case PriorityGrow:
				r = max(r, 1)
			}
		}
		return r
	}
	for wi := range e.p.Weeks {
		w := &e.p.Weeks[wi]
		for di := range w.Days {
			d := &w.Days[di]
			before := dayMinutes(d.Exercises)
			if before <= e.a.MaxDayMinutes {
				continue
			}
			for dayMinutes(d.Exercises) > e.a.MaxDayMinutes {
				t := tallyWeek(w)
				best := -1
				for i := range d.Exercises {
					x := &d.Exercises[i]
					primary, _ := exerciseMuscles(x)
					ok := true
					for _, p := range primary {
						floor := 0
						if wi < len(e.p.Weeks)-1 {
							floor = e.floorFor(int(p), wi)
						}
						if t.direct[p]-1 < floor {
							ok = false
						}
					}
					if ok && (best < 0 || rank(x) < rank(&d.Exercises[best]) || (rank(x) == rank(&d.Exercises[best]) && x.Sets > d.Exercises[best].Sets)) {
						best = i
					}
				}
				if best < 0 {
					break
				}
				if d.Exercises[best].Sets > 1 {
					d.Exercises[best].Sets--
				} else if len(d.Exercises) > 1 {
					d.Exercises = append(d.Exercises[:best], d.Exercises[best+1:]...)
				} else {
					break
				}
			}
			for i := range d.Exercises {
				if dayMinutes(d.Exercises) <= e.a.MaxDayMinutes {
					break
				}
				x := &d.Exercises[i]
				c, known := LookupExercise(x.ExerciseID)
				floor := 60
				if known && c.isCompound() {
					floor = 90
				}
				x.RestSeconds = min(x.RestSeconds, max(floor, 60))
			}
			e.fix(RuleTimeLimit, wi+1, di+1, 0, "", fmt.Sprintf("estimate %.1f → %.1f min", before, dayMinutes(d.Exercises)),
				fmt.Sprintf("Shortened week %d day %d to fit your %d minutes, keeping the muscles you prioritised.", wi+1, di+1, e.a.Input.SessionMinutes))
		}
	}
}
