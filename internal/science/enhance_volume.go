package science

import (
	"cmp"
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
			e.shiftSet(w, wi, m)
			continue
		}
		w.Days[bd].Exercises[bi].Sets--
	}
}

// shiftSet takes a set of m from its largest exercise even though that
// leaves another prime mover under its floor, then gives that muscle a set
// elsewhere (glutes over MRV from squats: a squat set becomes a leg
// extension set).
func (e *enhancer) shiftSet(w *Week, wi, m int) {
	bd, bi := -1, -1
	for di := range w.Days {
		i := largestWith(w.Days[di].Exercises, m, func(x *ProgramExercise) bool { return x.Sets > 1 })
		if i >= 0 && (bd < 0 || w.Days[di].Exercises[i].Sets > w.Days[bd].Exercises[bi].Sets) {
			bd, bi = di, i
		}
	}
	if bd < 0 {
		return
	}
	x := &w.Days[bd].Exercises[bi]
	x.Sets--
	primary, _ := exerciseMuscles(x)
	for _, p := range primary {
		if int(p) != m && tallyWeek(w).direct[p] < e.floorFor(int(p), wi) {
			e.addSets(w, wi, int(p), 1)
		}
	}
}

// addSets adds n sets of m: first to its existing exercises with room (6
// sets, 12 per session, other prime movers below MRV), on the day with the
// most time to spare, then as a new exercise on the least busy day.
func (e *enhancer) addSets(w *Week, wi, m, n int) {
	for ; n > 0; n-- {
		t := tallyWeek(w)
		bd, bi := -1, -1
		bestTime := 0.0
		for di := range w.Days {
			if t.perDay[di][m] >= maxSessionSets {
				continue
			}
			dayT := dayMinutes(w.Days[di].Exercises)
			for i := range w.Days[di].Exercises {
				x := &w.Days[di].Exercises[i]
				primary, _ := exerciseMuscles(x)
				if !slices.Contains(primary, int8(m)) || x.Sets >= maxSetsPerExercise || !e.roomFor(t, primary, m) {
					continue
				}
				after := dayT + extraSetMinutes(x)
				if bd < 0 || after < bestTime {
					bd, bi, bestTime = di, i, after
				}
			}
		}
		if bd >= 0 && bestTime <= e.a.MaxDayMinutes {
			w.Days[bd].Exercises[bi].Sets++
			continue
		}
		sets := min(n, maxSetsPerExercise)
		if !e.addExercise(w, m, sets) {
			if bd >= 0 {
				w.Days[bd].Exercises[bi].Sets++
				continue
			}
			return
		}
		n -= sets - 1
	}
}

// roomFor reports whether one more set for m on an exercise with these
// prime movers keeps every other one within its MRV.
func (e *enhancer) roomFor(t weekTally, primary []int8, m int) bool {
	for _, p := range primary {
		if int(p) != m && t.direct[p]+1 > landmarksFor(int(p), e.a.Input.Experience, max(t.freq[p], 1)).MRV {
			return false
		}
	}
	return true
}

// addExercise appends a new exercise for m, preferring one that trains m
// alone, to the day with the most time to spare that can take one; it
// reports whether one was added.
func (e *enhancer) addExercise(w *Week, m, sets int) bool {
	a := e.a
	cat := catalogue().list
	// Days under the 8-exercise limit come first; a ninth exercise is only
	// a warning, a muscle under its floor is an error.
	days := make([]int, 0, len(w.Days))
	for di := range w.Days {
		days = append(days, di)
	}
	full := func(di int) bool { return len(w.Days[di].Exercises) >= maxExercisesPerDay }
	slices.SortStableFunc(days, func(x, y int) int {
		if full(x) != full(y) {
			if full(x) {
				return 1
			}
			return -1
		}
		return cmp.Compare(dayMinutes(w.Days[x].Exercises), dayMinutes(w.Days[y].Exercises))
	})
	for _, di := range days {
		day := &w.Days[di]
		var pick *CatalogueExercise
		for _, i := range catalogue().ranked {
			c := &cat[i]
			if !c.hasPrimary(m) || !a.isAllowed(c) || slices.ContainsFunc(day.Exercises, func(x ProgramExercise) bool { return x.ExerciseID == c.ID }) {
				continue
			}
			if pick == nil || (pick.primary[1] >= 0 && c.primary[1] < 0) {
				pick = c
			}
		}
		if pick == nil {
			continue
		}
		r := roleOf(pick, a.Input.Goal, false)
		lo, hi := repsFor(pick, a.Input.Goal, r)
		day.Exercises = append(day.Exercises, ProgramExercise{
			ExerciseID: pick.ID, Name: pick.Name, Equipment: slices.Clone(pick.Equipment),
			PrimaryMuscles: slices.Clone(pick.PrimaryMuscles), SecondaryMuscles: slices.Clone(pick.SecondaryMuscles),
			Sets: sets, RepMin: lo, RepMax: hi, TargetRIR: max(w.TargetRIR, 1), RestSeconds: restSeconds(pick, r, a.SessionMinutes), Unit: pick.unit(),
			Notes:     "",
			Rationale: sayMuscle("%s for {m}: added so {m} {gets|get} enough weekly sets.", m, pick.Name),
		})
		return true
	}
	return false
}

// timeBudget trims days over the time limit in DOMAIN.md's order: sets of
// maintain (and indirect) muscles first, down to their floor, then grow
// muscles down to MEV, then emphasized muscles but never below the bottom of
// MAV. An exercise down to 1 set goes entirely when that keeps every prime
// mover at its floor. Only when no set can go are rests shortened: 60 s for
// isolations and 90 s for compounds, then 60 s for compounds too, the
// floor DOMAIN.md warns below.
func (e *enhancer) timeBudget() {
	for wi := range e.p.Weeks {
		w := &e.p.Weeks[wi]
		for di := range w.Days {
			e.fitDay(w, wi, di)
		}
	}
}

// fitDay brings day di of week wi within the time limit: sets first, then
// rests, then moving sets to other days; it records a fix for any day that
// started over the limit.
func (e *enhancer) fitDay(w *Week, wi, di int) {
	d := &w.Days[di]
	before := dayMinutes(d.Exercises)
	if before <= e.a.MaxDayMinutes {
		return
	}
	e.trimDaySets(w, wi, d)
	e.shortenDayRests(d)
	// Still over with every muscle at its floor: move single-muscle
	// sets to days with time to spare.
	for range 24 {
		if dayMinutes(d.Exercises) <= e.a.MaxDayMinutes || !e.moveSet(w, wi, di) {
			break
		}
	}
	e.fix(RuleTimeLimit, wi+1, di+1, 0, "", fmt.Sprintf("estimate %.1f → %.1f min", before, dayMinutes(d.Exercises)),
		fmt.Sprintf("Shortened week %d day %d to fit your %d minutes, keeping the muscles you prioritised.", wi+1, di+1, e.a.Input.SessionMinutes))
}

// trimRank orders exercises for trimming by their prime movers' priority:
// 0 maintain (or indirect), 1 grow, 2 emphasize; lower ranks lose sets first.
func (e *enhancer) trimRank(x *ProgramExercise) int {
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

// trimDaySets takes sets off day d (in week wi) while it is over the time
// limit, each from the lowest-ranked exercise whose prime movers stay at
// their floor (the most sets among equals); an exercise at 1 set goes
// entirely unless it is the day's last.
func (e *enhancer) trimDaySets(w *Week, wi int, d *Day) {
	for dayMinutes(d.Exercises) > e.a.MaxDayMinutes {
		best := e.trimCandidate(w, wi, d)
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
}

// trimCandidate returns the index of the exercise on d that should lose a
// set next, or -1 when every one would take a prime mover below its floor
// (the last week, the deload, has no floor).
func (e *enhancer) trimCandidate(w *Week, wi int, d *Day) int {
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
		if ok && (best < 0 || e.trimRank(x) < e.trimRank(&d.Exercises[best]) || (e.trimRank(x) == e.trimRank(&d.Exercises[best]) && x.Sets > d.Exercises[best].Sets)) {
			best = i
		}
	}
	return best
}

// shortenDayRests cuts rests on d while it is over the time limit: compounds
// to 90 s, then to 60 s, never below the standard's floors.
func (e *enhancer) shortenDayRests(d *Day) {
	for _, compoundRest := range []int{90, 60} {
		for i := range d.Exercises {
			if dayMinutes(d.Exercises) <= e.a.MaxDayMinutes {
				break
			}
			// Never below the standard's floors: loaded compounds keep 2
			// minutes (3 for heavy sets), the rest keep a minute.
			x := &d.Exercises[i]
			rest := MinRestSeconds
			if c, known := LookupExercise(x.ExerciseID); known {
				rest = minRestFor(&c, x.RepMax, x.Unit)
				if c.isCompound() && !c.restsLikeLoaded() {
					rest = max(rest, compoundRest)
				}
			}
			x.RestSeconds = min(x.RestSeconds, rest)
		}
	}
}

// moveSet takes a set from day di's largest single-muscle exercise and
// gives it to that muscle on another day with time to spare.
func (e *enhancer) moveSet(w *Week, wi, di int) bool {
	d := &w.Days[di]
	best := -1
	for i := range d.Exercises {
		x := &d.Exercises[i]
		if primary, _ := exerciseMuscles(x); len(primary) == 1 && x.Sets > 1 && (best < 0 || x.Sets > d.Exercises[best].Sets) {
			best = i
		}
	}
	if best < 0 {
		return false
	}
	x := &d.Exercises[best]
	primary, _ := exerciseMuscles(x)
	m := int(primary[0])
	t := tallyWeek(w)
	for od := range w.Days {
		if od == di || t.perDay[od][m] >= maxSessionSets {
			continue
		}
		for i := range w.Days[od].Exercises {
			y := &w.Days[od].Exercises[i]
			yp, _ := exerciseMuscles(y)
			after := dayMinutes(w.Days[od].Exercises) + extraSetMinutes(y)
			if slices.Contains(yp, int8(m)) && y.Sets < maxSetsPerExercise && e.roomFor(t, yp, m) && after <= e.a.MaxDayMinutes {
				x.Sets--
				y.Sets++
				return true
			}
		}
	}
	return false
}

// extraSetMinutes is what one more set of x adds to its session.
func extraSetMinutes(x *ProgramExercise) float64 {
	var c *CatalogueExercise
	if i, ok := catalogue().byID[x.ExerciseID]; ok {
		c = &catalogue().list[i]
	}
	return exerciseMinutes(c, x.Sets+1, x.RestSeconds) - exerciseMinutes(c, x.Sets, x.RestSeconds)
}
