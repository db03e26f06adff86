package science

import "slices"

// maxWeeklyJump is the most direct sets a muscle gains from one week to the
// next (DOMAIN.md: 1–2 sets a week; the validator warns past it).
const maxWeeklyJump = 2

// smoothJumps raises the week before any accumulation week in which a
// muscle gains more than maxWeeklyJump direct sets, a set at a time, so the
// build-up climbs in steps a lifter recovers from. Later weeks go first, so
// a raised week is itself checked against the week before it.
func (a *Analysis) smoothJumps(p *Program, acc int) {
	next := tallyWeek(&p.Weeks[acc-1])
	var after *weekTally // the week after next, once next is not the peak
	for w := acc - 1; w >= 1; w-- {
		prev := tallyWeek(&p.Weeks[w-1])
		for m := range numMuscles {
			for next.direct[m]-prev.direct[m] > maxWeeklyJump &&
				(a.raiseSet(&p.Weeks[w-1], &p.Weeks[w], m, &prev, &next) || a.lowerSet(&p.Weeks[w], &p.Weeks[w-1], m, &next, &prev, after)) {
			}
		}
		done := next
		after, next = &done, prev
	}
}

// raiseSet adds a set of muscle m to week's smallest exercise for it that
// may take one (see mayRaise), books it in week's tally t and reports
// whether it did.
func (a *Analysis) raiseSet(week, next *Week, m int, t, nt *weekTally) bool {
	bd, bi := -1, -1
	for d := range week.Days {
		for i := range week.Days[d].Exercises {
			if (bd < 0 || week.Days[d].Exercises[i].Sets < week.Days[bd].Exercises[bi].Sets) && a.mayRaise(week, next, d, i, m, t, nt) {
				bd, bi = d, i
			}
		}
	}
	if bd < 0 {
		return false
	}
	x := &week.Days[bd].Exercises[bi]
	x.Sets++
	week.Days[bd].EstimatedMinutes = estimateMinutes(week.Days[bd].Exercises)
	primary, _ := exerciseMuscles(x)
	for _, p := range primary {
		t.direct[p]++
		t.perDay[bd][p]++
	}
	return true
}

// mayRaise reports whether exercise i of day d in week may take one more
// set for muscle m: it trains m directly, stays below the same exercise's
// sets next week and its other prime movers below theirs (the weeks still
// build), within 5 sets, MRV, 12 sets a session and the day's time, and
// the week keeps its pull:push and hamstrings:quads balance.
func (a *Analysis) mayRaise(week, next *Week, d, i, m int, t, nt *weekTally) bool {
	x := &week.Days[d].Exercises[i]
	if d >= len(next.Days) || i >= len(next.Days[d].Exercises) {
		return false
	}
	nx := &next.Days[d].Exercises[i]
	primary, _ := exerciseMuscles(x)
	c, ok := LookupExercise(x.ExerciseID)
	if !ok || nx.ExerciseID != x.ExerciseID || x.Sets+1 > min(nx.Sets, coachMaxSets) || !slices.Contains(primary, int8(m)) {
		return false
	}
	for _, p := range primary {
		if t.direct[p]+1 >= nt.direct[p] || t.direct[p]+1 > a.Muscles[p].Landmarks.MRV || t.perDay[d][p]+1 > maxSessionSets {
			return false
		}
	}
	if slices.Contains(primary, int8(mQuads)) && !slices.Contains(primary, int8(mHamstrings)) && 2*t.direct[mHamstrings] < t.direct[mQuads]+1 {
		return false
	}
	if slices.Contains(pushPatterns, c.Pattern) {
		push, pull := patternSets(week)
		if ceilShare(push+1, pullPushNum, pullPushDen) > pull {
			return false
		}
	}
	x.Sets++
	fits := dayMinutes(week.Days[d].Exercises) <= a.MaxDayMinutes && !sameSets(week, next)
	x.Sets--
	return fits
}

// lowerSet takes a set of muscle m from next, the week that jumps, when the
// week before it cannot rise: from m's largest exercise that has more sets
// than the week before, never below the muscle's floor, 2 sets an exercise,
// the other prime movers' sets the week before, or the pull:push and
// hamstrings:quads balance, and never so low that the week after it (after,
// nil for the peak, which keeps its peak floors and a strength block's main
// lifts) jumps instead. It books the set in nt and reports
// whether it took one.
func (a *Analysis) lowerSet(next, week *Week, m int, nt, t, after *weekTally) bool {
	if (after != nil && after.direct[m]-(nt.direct[m]-1) > maxWeeklyJump) || nt.direct[m]-1 < weekFloor(&a.Muscles[m], after == nil) {
		return false
	}
	bd, bi := -1, -1
	for d := range next.Days {
		for i := range next.Days[d].Exercises {
			if (bd < 0 || next.Days[d].Exercises[i].Sets > next.Days[bd].Exercises[bi].Sets) && a.mayLower(next, week, d, i, m, nt, t, after) {
				bd, bi = d, i
			}
		}
	}
	if bd < 0 {
		return false
	}
	x := &next.Days[bd].Exercises[bi]
	x.Sets--
	next.Days[bd].EstimatedMinutes = estimateMinutes(next.Days[bd].Exercises)
	primary, _ := exerciseMuscles(x)
	for _, p := range primary {
		nt.direct[p]--
		nt.perDay[bd][p]--
	}
	return true
}

// mayLower reports whether exercise i of day d in next may give up a set of
// muscle m (see lowerSet).
func (a *Analysis) mayLower(next, week *Week, d, i, m int, nt, t, after *weekTally) bool {
	x := &next.Days[d].Exercises[i]
	if d >= len(week.Days) || i >= len(week.Days[d].Exercises) {
		return false
	}
	px := &week.Days[d].Exercises[i]
	primary, _ := exerciseMuscles(x)
	c, ok := LookupExercise(x.ExerciseID)
	if !ok || px.ExerciseID != x.ExerciseID || x.Sets-1 < max(px.Sets, coachMinSets) || !slices.Contains(primary, int8(m)) {
		return false
	}
	if after == nil && a.heldToMainLiftVolume() && isMainLift(&c) {
		// A strength block's peak keeps its main lifts' sets.
		return false
	}
	for _, p := range primary {
		if nt.direct[p]-1 <= t.direct[p] || nt.direct[p]-1 < weekFloor(&a.Muscles[p], after == nil) || (after != nil && after.direct[p]-(nt.direct[p]-1) > maxWeeklyJump) {
			return false
		}
	}
	if slices.Contains(primary, int8(mHamstrings)) && !slices.Contains(primary, int8(mQuads)) && 2*(nt.direct[mHamstrings]-1) < nt.direct[mQuads] {
		return false
	}
	if slices.Contains(pullPatterns, c.Pattern) {
		push, pull := patternSets(next)
		if ceilShare(push, pullPushNum, pullPushDen) > pull-1 {
			return false
		}
	}
	x.Sets--
	same := sameSets(week, next)
	x.Sets++
	return !same
}

// weekFloor is the least direct sets a muscle's plan allows in a build-up
// week, or at the peak.
func weekFloor(mp *MusclePlan, peak bool) int {
	if peak {
		return mp.PeakFloor
	}
	return mp.Floor
}
