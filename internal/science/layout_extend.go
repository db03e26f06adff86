package science

import "slices"

// Extending a fitted layout: when a trimmed muscle's raise does not fit a
// layout built afresh (the greedy allocation spends the days' slots
// differently), the days as they are often still have room for it — a set
// more on its exercise, or a new exercise on a day with a free slot and time
// left. restore tries that before it gives up on a raise.

// builderFor returns a layout builder holding a copy of l's days with their
// bookkeeping, for s.
func (a *Analysis) builderFor(s *planState, l *layout) *layoutBuilder {
	b := a.newLayoutBuilder(s)
	c := cloneLayout(l)
	c.capped = append([]int(nil), l.capped...)
	c.overTime, c.unbalanced, c.why = false, false, ""
	b.l = c
	for d, day := range c.days {
		for _, sl := range day {
			b.uses[sl.ex]++
			b.count(sl.ex, d, sl.sets)
		}
	}
	return b
}

// extendLayout gives muscle m of s the sets its peak-week target asks for
// beyond what layout l already holds, changing nothing else but the
// balancing sets the extra work needs. It reports whether the result keeps
// every limit, and whether time alone refused a set the caps allowed.
func (a *Analysis) extendLayout(s *planState, l *layout, m int) (*layout, bool, bool) {
	el, ok, late := a.extendLayoutWith(s, l, m, false)
	if !ok && !late && s.m[m].status == statusEmphasize {
		// A set more on a press needs a pulling set the full days may not
		// have room for; the weak point's exercise that does not push may
		// take it (only a weak point: another muscle's set would take the
		// room a later muscle's raise needs).
		if pl, pok, plate := a.extendLayoutWith(s, l, m, true); pok {
			return pl, pok, plate
		}
	}
	return el, ok, late
}

// extendLayoutWith is extendLayout; with keepPull, a set more goes to no
// pushing exercise whose set would leave pulling short of 0.8 × pushing.
func (a *Analysis) extendLayoutWith(s *planState, l *layout, m int, keepPull bool) (*layout, bool, bool) {
	b := a.builderFor(s, l)
	b.keepPull = keepPull
	add := s.m[m].target(a.accumulationWeeks()-1) - b.cur[m]
	overTime := false
	for add > 0 {
		n, short := b.addSets(m, add)
		overTime = overTime || short
		if n == 0 {
			return b.l, false, overTime
		}
		add -= n
	}
	b.balance(nil)
	for b.pullDeficit() > 0 && b.trimSparePush() {
	}
	if b.pullDeficit() > 0 || (b.hamsDeficit() > 0 && b.cur[mHamstrings] > 0) {
		return b.l, false, false
	}
	for mm := range numMuscles {
		if b.cur[mm] > s.m[mm].l.MRV {
			return b.l, false, false
		}
	}
	for d := range b.l.days {
		if a.dayTime(s, b.l.days[d]) > a.MaxDayMinutes {
			return b.l, false, true
		}
	}
	return b.l, true, overTime
}

// trimSparePush takes one set from the largest pushing slot whose prime
// movers are all left to compound lifts (an overhead press seeded for front
// delts that get no sets of their own; never a main lift a strength block
// holds to its volume), as the fitter's trim and balance
// does to the weeks when pulling cannot rise, and reports whether it did:
// the peak week's balance is the fitted program's, not the layout's spare
// pressing.
func (b *layoutBuilder) trimSparePush() bool {
	cat := catalogue().list
	peak, held := b.a.accumulationWeeks()-1, b.a.heldToMainLiftVolume()
	bd, bi := -1, -1
	for d, day := range b.l.days {
		for i, sl := range day {
			e := &cat[sl.ex]
			if !slices.Contains(pushPatterns, e.Pattern) || sl.sets <= coachMinSets || (held && isMainLift(e)) || (bd >= 0 && sl.sets <= b.l.days[bd][bi].sets) {
				continue
			}
			spare := true
			for _, p := range e.primary {
				if p >= 0 && (b.s.m[p].status != statusIndirect || b.cur[p]-1 < b.s.m[p].target(peak)) {
					spare = false
				}
			}
			if spare {
				bd, bi = d, i
			}
		}
	}
	if bd < 0 {
		return false
	}
	b.l.days[bd][bi].sets--
	b.count(b.l.days[bd][bi].ex, bd, -1)
	return true
}

// addSets adds sets of m towards want on one day: a set more on an exercise m
// leads (up to 5), or else a new 2-set exercise on a day with a free slot.
// It returns how many it added, and whether time alone refused one.
func (b *layoutBuilder) addSets(m, want int) (int, bool) {
	a, l := b.a, b.l
	ms := &b.s.m[m]
	overTime := false
	days := a.eligibleDays(l, m, nil)
	for _, d := range days {
		if b.cur[m]+1 > ms.l.MRV || b.dayDirect[d][m]+1 > maxSessionSets {
			continue
		}
		for i := range l.days[d] {
			sl := &l.days[d][i]
			if int(catalogue().list[sl.ex].primary[0]) != m || sl.sets >= coachMaxSets || !b.othersHaveRoom(sl.ex, m, d, 1) || b.breaksPull(sl.ex) {
				continue
			}
			ex := sl.ex
			sl.sets++
			if a.dayTime(b.s, l.days[d]) > a.MaxDayMinutes {
				// dayTime reorders the day: find the slot again by id.
				for j := range l.days[d] {
					if l.days[d][j].ex == ex {
						l.days[d][j].sets--
					}
				}
				overTime = true
				continue
			}
			b.count(ex, d, 1)
			return 1, overTime
		}
	}
	// A new exercise takes 2 sets even when one is wanted: the weeks are
	// fitted to the targets, so the peak week's template may carry a set more.
	if b.cur[m]+coachMinSets > ms.l.MRV {
		return 0, overTime
	}
	for _, d := range days {
		if len(l.days[d]) >= maxExercisesPerDay || !b.roomForMuscle(d, m) {
			continue
		}
		saved, cur, dd, uses := slices.Clone(l.days[d]), b.cur, b.dayDirect[d], slices.Clone(b.uses)
		if b.fillDay(m, d, coachMinSets) {
			if a.dayTime(b.s, l.days[d]) <= a.MaxDayMinutes {
				return coachMinSets, overTime
			}
			overTime = true
		}
		l.days[d], b.cur, b.dayDirect[d], b.uses = saved, cur, dd, uses
	}
	return 0, overTime
}

// breaksPull reports whether, with keepPull set, a set more of exercise ex
// would leave pulling short of 0.8 × pushing.
func (b *layoutBuilder) breaksPull(ex int) bool {
	if !b.keepPull || !slices.Contains(pushPatterns, catalogue().list[ex].Pattern) {
		return false
	}
	push, pull := b.pushPullSets()
	return ceilShare(push+1, pullPushNum, pullPushDen) > pull
}
