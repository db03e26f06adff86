package science

import "slices"

// Layout limits: DOMAIN.md's at most 8 exercises and 12 direct sets per
// muscle per session; past 4 sets of one exercise a coach would rather add
// a second exercise (with 90 s+ rests the extra changeover costs no time),
// 6 is the schema's ceiling.
const (
	maxExercisesPerDay   = 8
	maxSessionSets       = 12
	preferredSetsPerLift = 4
	maxSetsPerExercise   = 6
)

// layoutSlot is one exercise of the peak week.
type layoutSlot struct {
	ex     int // catalogue index
	driver int // the muscle it was chosen for
	sets   int // peak-week sets
	role   role
	main   bool // a strength program's heavy lift of the day
}

// layout is the peak week: which exercises each day holds. Every week of
// the mesocycle uses the same exercises (so loads can progress); only sets
// and effort change.
type layout struct {
	days   [][]layoutSlot
	order  []int // muscle allocation order
	capped []int // small muscles left to compounds because sessions were full
	// overTime is set when the layout failed only because a day ran over
	// its time limit, so a compromise can say truthfully that time is short.
	overTime bool
	// unbalanced is set when the layout failed because the days could not
	// hold the pulling its pressing needs; more time would have fixed it.
	unbalanced bool
	// why says what the layout failed on, for explain and the tests.
	why string
	// short is the muscle the days had no room for (-1: none), room the
	// direct sets it had been given when the layout gave up on it.
	short, room int
}

// allocationOrder: emphasized muscles claim slots first, then the big
// movers, glutes after quads and hamstrings (whose squats and hinges already
// give glutes direct sets), then the small muscles.
func (a *Analysis) allocationOrder(s *planState) []int {
	order := make([]int, 0, numMuscles)
	for _, w := range a.Input.WeakPoints {
		if m := muscleIndex(w); m >= 0 && s.m[m].status == statusEmphasize {
			order = append(order, m)
		}
	}
	for _, m := range []int{mQuads, mBack, mChest, mHamstrings, mGlutes} {
		if !slices.Contains(order, m) {
			order = append(order, m)
		}
	}
	// Small muscles that only fit on few days claim first, so the flexible
	// accessories (allowed on more days) fill whichever days have room.
	small := []int{mSideDelts, mTriceps, mBiceps, mRearDelts, mCalves, mFrontDelts, mAbs, mTraps, mForearms}
	days := func(m int) int {
		n := 0
		for _, d := range a.Split.Days {
			if slices.Contains(d.muscles, m) {
				n++
			}
		}
		return n
	}
	slices.SortStableFunc(small, func(x, y int) int { return days(x) - days(y) })
	for _, m := range small {
		if !slices.Contains(order, m) {
			order = append(order, m)
		}
	}
	return order
}

// layout places the peak-week targets of s into the split's days and
// reports whether the result respects every limit: exercises per day, sets
// per session, MRV, and the time budget.
func (a *Analysis) layout(s *planState) (*layout, bool) {
	b := a.newLayoutBuilder(s)
	l := b.l
	if a.Input.Goal == GoalStrength {
		b.seedStrength()
	}
	eligible := make([]int, 0, len(a.Split.Days))
	peakWeek := a.accumulationWeeks() - 1
	for _, m := range l.order {
		var ok bool
		if eligible, ok = b.placeMuscle(m, peakWeek, eligible); !ok {
			l.why = "no room for " + Muscles[m]
			l.short, l.room = m, b.cur[m]
			return l, false
		}
	}
	return l, b.finish(eligible)
}

// newLayoutBuilder starts an empty layout of the split's days for s, its
// muscles in allocation order.
func (a *Analysis) newLayoutBuilder(s *planState) *layoutBuilder {
	cat := catalogue().list
	nDays := len(a.Split.Days)
	return &layoutBuilder{
		a: a, s: s,
		l:         &layout{days: make([][]layoutSlot, nDays), order: a.allocationOrder(s), short: -1},
		dayDirect: make([][numMuscles]int, nDays),
		uses:      make([]uint8, len(cat)),
	}
}

// placeMuscle gives muscle m its peak-week sets across the days. eligible is
// scratch space for the days that may train m; the updated slice is returned
// so the caller keeps the last muscle's days. It reports false when m cannot
// be placed within the limits.
func (b *layoutBuilder) placeMuscle(m, peakWeek int, eligible []int) ([]int, bool) {
	a, l, ms := b.a, b.l, &b.s.m[m]
	if m == mHamstrings {
		// The leg curl claims its slot before small muscles fill the days.
		b.ensureLegCurl(eligible)
	}
	need := b.muscleNeed(m, peakWeek)
	if ms.status == statusIndirect || need <= 0 {
		return eligible, true
	}
	if ms.status == statusGrow && b.cur[m] > 0 && b.leastFor(m)+coachMinSets >= b.cur[m]+need && b.raiseCarriers(m, need) {
		// A new 2-set exercise would lift week 1 to the peak and leave the
		// muscle nothing to build: the lifts that already train it take
		// the sets instead (glutes from a third Romanian deadlift set).
		return eligible, true
	}
	eligible = a.eligibleDays(l, m, eligible[:0])
	need = max(need, coachMinSets)
	chosen := b.chooseDays(m, need, eligible)
	if len(chosen) == 0 {
		// Every day that may train this small muscle already trains six:
		// leave it to the compounds rather than crowd a session.
		if !isBigMuscle(m) && a.Input.DaysPerWeek > strengthMinDays && b.cur[m] == 0 {
			l.capped = append(l.capped, m)
			return eligible, true
		}
		return eligible, false
	}
	slices.Sort(chosen)
	if ms.status == statusEmphasize {
		need = max(need, min(coachMinSets*len(chosen), ms.l.MRV-b.cur[m]))
	}
	return eligible, b.fillChosen(m, need, chosen)
}

// leastFor is the fewest direct sets week 1 can give m with the exercises
// already placed: 2 sets each (or fewer when the peak has fewer).
func (b *layoutBuilder) leastFor(m int) int {
	n := 0
	for _, day := range b.l.days {
		for _, sl := range day {
			if catalogue().list[sl.ex].hasPrimary(m) {
				n += min(coachMinSets, sl.sets)
			}
		}
	}
	return n
}

// raiseCarriers gives m need more sets on the exercises already training
// it, one at a time to the one with fewest sets, each within 5 sets, its
// other prime movers' limits, the hams:quads balance and its day's time,
// and reports whether all fit; it leaves the layout as it was otherwise.
func (b *layoutBuilder) raiseCarriers(m, need int) bool {
	a, l := b.a, b.l
	undo := b.save()
	for ; need > 0; need-- {
		bd, bi := -1, -1
		for d := range l.days {
			for i, sl := range l.days[d] {
				e := &catalogue().list[sl.ex]
				if !e.hasPrimary(m) || sl.sets >= coachMaxSets || b.dayDirect[d][m] >= maxSessionSets || !b.othersHaveRoom(sl.ex, m, d, 1) {
					continue
				}
				// Not through squats that would tip the quads past twice
				// the hamstrings (DOMAIN.md's balance warning).
				if m != mQuads && e.hasPrimary(mQuads) && 2*b.cur[mHamstrings] < b.cur[mQuads]+1 {
					continue
				}
				if bd < 0 || sl.sets < l.days[bd][bi].sets {
					bd, bi = d, i
				}
			}
		}
		if bd < 0 {
			undo()
			return false
		}
		l.days[bd][bi].sets++
		b.count(l.days[bd][bi].ex, bd, 1)
		if a.dayTime(b.s, l.days[bd]) > a.MaxDayMinutes {
			undo()
			return false
		}
	}
	return true
}

// muscleNeed is how many more sets m needs to reach its peak-week target,
// with hamstrings kept in ratio to quads and a weak point trained on a
// second day.
func (b *layoutBuilder) muscleNeed(m, peakWeek int) int {
	ms := &b.s.m[m]
	want := ms.target(peakWeek)
	if m == mHamstrings && ms.status != statusIndirect {
		want = max(want, hamstringsFloor(b.cur[mQuads]))
	}
	need := want - b.cur[m]
	if ms.status == statusEmphasize && b.daysTraining(m) < 2 && b.cur[m]+coachMinSets <= ms.l.MRV {
		// Main lifts may already cover a weak point's sets on one day;
		// it still needs a second day (DOMAIN.md).
		need = max(need, coachMinSets)
	}
	return need
}

// fillChosen spreads need sets of m over the chosen days, the remainder
// going to the first days, and reports false when a day's share fits
// neither there nor elsewhere.
func (b *layoutBuilder) fillChosen(m, need int, chosen []int) bool {
	for i, d := range chosen {
		ds := need / len(chosen)
		if i < need%len(chosen) {
			ds++
		}
		if ds > 0 && !b.tryFill(m, d, ds, false) && !b.fillElsewhere(m, d, ds, chosen) {
			return false
		}
	}
	return true
}

// finish balances and completes the placed layout, then reports whether it
// respects the limits: pull:push balance, MRV, no empty day, and the time
// budget.
func (b *layoutBuilder) finish(eligible []int) bool {
	a, s, l := b.a, b.s, b.l
	if a.Input.DaysPerWeek >= 3 {
		b.spreadOnceAWeek(eligible)
	}
	b.balance(eligible)
	b.shrinkBeginnerList()
	if b.pullDeficit() > 0 {
		// More pressing than the pulling the days have room and time
		// for: a trimmed stage (less emphasis, fewer sets) balances.
		l.unbalanced, l.why = true, "pulling short of pushing"
		return false
	}
	for m := range numMuscles {
		if b.cur[m] > s.m[m].l.MRV {
			l.why = Muscles[m] + " above MRV"
			return false
		}
	}
	b.fillEmptyDays()
	for d := range l.days {
		if len(l.days[d]) == 0 {
			l.why = "empty day"
			return false
		}
		if a.dayTime(s, l.days[d]) > a.MaxDayMinutes {
			l.overTime, l.why = true, "over time"
			return false
		}
	}
	return true
}

// chooseDays picks the days that train m's need this week: as many as
// sessionsFor asks, no more than week 1 can give 2 sets each (so early weeks
// never need a 1-set exercise), as few as possible in compact mode, and
// only days with room for another exercise and another muscle.
func (b *layoutBuilder) chooseDays(m, need int, eligible []int) []int {
	a, l, ms := b.a, b.l, &b.s.m[m]
	k := sessionsFor(need, m, len(l.days))
	k = min(k, max(1, ms.target(0)/coachMinSets))
	if m == mBack && a.Split.Type == "full_body" && !a.compact {
		// A full body pulls every day it may press: the back's sets go
		// to every day that can have 2 of them.
		k = max(k, min(len(eligible), ms.target(0)/coachMinSets))
	}
	if a.compact {
		k = (need + coachMaxSets - 1) / coachMaxSets
	}
	if ms.status == statusEmphasize {
		// DOMAIN.md: a weak point is a prime mover on two days a week.
		k = max(k, 2-b.daysTraining(m))
	}
	chosen := make([]int, 0, k)
	newDay := ms.status == statusEmphasize && b.daysTraining(m) == 1
	for _, d := range eligible {
		if newDay && b.dayDirect[d][m] > 0 {
			continue
		}
		if len(chosen) < k && len(l.days[d]) < maxExercisesPerDay && b.roomForMuscle(d, m) {
			chosen = append(chosen, d)
		}
	}
	// Every day's share keeps 2 sets or more (no 1-set exercises).
	for len(chosen) > 1 && need/len(chosen) < coachMinSets && (ms.status != statusEmphasize || b.daysTraining(m)+len(chosen) > 2) {
		chosen = chosen[:len(chosen)-1]
	}
	return chosen
}

// fillEmptyDays gives a day the plan left empty (every muscle it may train
// already has its sets elsewhere) a 2-set exercise for the first of its
// muscles that can take one: DOMAIN.md allows no empty day.
func (b *layoutBuilder) fillEmptyDays() {
	a, l := b.a, b.l
	for d := range l.days {
		if len(l.days[d]) > 0 {
			continue
		}
		for _, m := range a.Split.Days[d].muscles {
			if b.cur[m]+coachMinSets > b.s.m[m].l.MRV {
				continue
			}
			if ex := a.pickExercise(b.s, l, m, d, coachMinSets, -1, b.uses, &b.cur, &b.dayDirect[d]); ex >= 0 {
				l.days[d] = append(l.days[d], layoutSlot{ex: ex, driver: m, sets: coachMinSets})
				b.uses[ex]++
				b.count(ex, d, coachMinSets)
				break
			}
		}
	}
}

// othersHaveRoom reports whether ds more sets of exercise ex keep its other
// prime movers within MRV and the session limit.
func (b *layoutBuilder) othersHaveRoom(ex, m, d, ds int) bool {
	for _, p := range catalogue().list[ex].primary {
		if p >= 0 && int(p) != m && (b.cur[p]+ds > b.s.m[p].l.MRV || b.dayDirect[d][p]+ds > maxSessionSets) {
			return false
		}
	}
	return true
}

// roomForMuscle reports whether day d may take direct work for m: with 4+
// days a session trains at most 6 muscles directly (a 2–3-day full body
// may train more).
func (b *layoutBuilder) roomForMuscle(d, m int) bool {
	if b.a.Input.DaysPerWeek <= strengthMinDays || b.dayDirect[d][m] > 0 {
		return true
	}
	n := 0
	for mm := range numMuscles {
		if b.dayDirect[d][mm] > 0 {
			n++
		}
	}
	return n < maxMusclesPerSession
}

// hamstringsFloor keeps hamstrings at half the quads' direct sets or more,
// the balance DOMAIN.md warns about.
func hamstringsFloor(quads int) int { return (quads + 1) / 2 }

// layoutBuilder holds the bookkeeping while one layout is built.
type layoutBuilder struct {
	a         *Analysis
	s         *planState
	l         *layout
	cur       [numMuscles]int
	dayDirect [][numMuscles]int
	uses      []uint8
	// keepPull has a set more go to no press the pull balance lacks room for.
	keepPull bool
}

// eligibleDays lists the days that may train m, least loaded first; template
// position then day order break ties so the result is deterministic.
func (a *Analysis) eligibleDays(l *layout, m int, out []int) []int {
	for d, day := range a.Split.Days {
		if slices.Contains(day.muscles, m) {
			out = append(out, d)
		}
	}
	slices.SortStableFunc(out, func(x, y int) int {
		if c := daySets(l.days[x]) - daySets(l.days[y]); c != 0 {
			return c
		}
		return slices.Index(a.Split.Days[x].muscles, m) - slices.Index(a.Split.Days[y].muscles, m)
	})
	return out
}

// fillDay gives muscle m ds direct sets on day d, in as many exercises as
// the preferred sets per exercise ask for and the day has room for.
func (b *layoutBuilder) fillDay(m, d, ds int) bool {
	l := b.l
	if b.dayDirect[d][m]+ds > maxSessionSets {
		return false
	}
	// A main lift already on the day for m takes the sets when it has room.
	for i := range l.days[d] {
		sl := &l.days[d][i]
		if catalogue().list[sl.ex].primary[0] == int8(m) && sl.sets+ds <= coachMaxSets && b.othersHaveRoom(sl.ex, m, d, ds) {
			sl.sets += ds
			b.count(sl.ex, d, ds)
			return true
		}
	}
	// Fewer, fuller exercises: up to 5 sets each before a second one.
	nEx := (ds + coachMaxSets - 1) / coachMaxSets
	if free := maxExercisesPerDay - len(l.days[d]); nEx > free {
		nEx = free
	}
	if nEx == 0 || ds > nEx*coachMaxSets {
		return false
	}
	firstOnDay := -1
	for j := range nEx {
		sets := ds / nEx
		if j < ds%nEx {
			sets++
		}
		ex := b.a.pickExercise(b.s, l, m, d, sets, firstOnDay, b.uses, &b.cur, &b.dayDirect[d])
		if ex < 0 {
			// No second exercise left: fold the sets into the first when
			// the schema's 6-set ceiling allows.
			last := len(l.days[d]) - 1
			if j == 0 || l.days[d][last].sets+sets > coachMaxSets {
				return false
			}
			l.days[d][last].sets += sets
			b.count(l.days[d][last].ex, d, sets)
			continue
		}
		if firstOnDay < 0 {
			firstOnDay = ex
		}
		l.days[d] = append(l.days[d], layoutSlot{ex: ex, driver: m, sets: sets})
		b.uses[ex]++
		b.count(ex, d, sets)
	}
	return true
}

// count books sets of exercise ex on day d for each of its prime movers.
func (b *layoutBuilder) count(ex, d, sets int) {
	for _, p := range catalogue().list[ex].primary {
		if p >= 0 {
			b.cur[p] += sets
			b.dayDirect[d][p] += sets
		}
	}
}

// spreadOnceAWeek gives a growth muscle trained on only one day a second
// day when another eligible day has room and time: half of its own sets
// move there, or, when compounds alone train it (glutes from squats), a
// 2-set exercise is added. DOMAIN.md warns when a growth muscle is trained
// once a week on 3+ days; this is the generator avoiding that.
func (b *layoutBuilder) spreadOnceAWeek(scratch []int) {
	a, l := b.a, b.l
	for _, m := range l.order {
		if b.s.m[m].status != statusGrow || b.cur[m] == 0 {
			continue
		}
		home, days := -1, 0
		for d := range l.days {
			if b.dayDirect[d][m] > 0 {
				home, days = d, days+1
			}
		}
		if days != 1 {
			continue
		}
		// Move half of the muscle's own exercise when both halves keep 2
		// sets; otherwise add a 2-set exercise. A strength block's main
		// lift keeps its sets: the week's one deadlift is not halved into
		// a leg curl.
		own := -1
		for i, sl := range l.days[home] {
			if sl.driver == m && sl.sets >= 2*coachMinSets && (a.Input.Goal != GoalStrength || !isMainLift(&catalogue().list[sl.ex])) {
				own = i
				break
			}
		}
		moved := coachMinSets
		if own >= 0 {
			moved = l.days[home][own].sets / 2
		} else if b.cur[m]+moved > b.s.m[m].l.MRV {
			continue
		}
		for _, d := range a.eligibleDays(l, m, scratch[:0]) {
			if d == home || len(l.days[d]) >= maxExercisesPerDay || !b.roomForMuscle(d, m) {
				continue
			}
			ex := a.pickExercise(b.s, l, m, d, moved, -1, b.uses, &b.cur, &b.dayDirect[d])
			if ex < 0 {
				continue
			}
			if !b.addTimed(d, layoutSlot{ex: ex, driver: m, sets: moved}) {
				continue
			}
			if own >= 0 {
				l.days[home][own].sets -= moved
				b.count(l.days[home][own].ex, home, -moved)
			}
			break
		}
	}
}

// addTimed adds slot sl to day d and books it when the day stays within its
// time limit, and reports whether it did.
func (b *layoutBuilder) addTimed(d int, sl layoutSlot) bool {
	l := b.l
	l.days[d] = append(l.days[d], sl)
	if b.a.dayTime(b.s, l.days[d]) > b.a.MaxDayMinutes {
		// dayTime reorders the day, so remove the new slot by id.
		l.days[d] = slices.DeleteFunc(l.days[d], func(o layoutSlot) bool { return o.ex == sl.ex })
		return false
	}
	b.uses[sl.ex]++
	b.count(sl.ex, d, sl.sets)
	return true
}

// dayTime orders a day, assigns roles and returns its estimated minutes.
func (a *Analysis) dayTime(s *planState, day []layoutSlot) float64 {
	a.orderDay(s, day)
	cat := catalogue().list
	return sessionMinutes(len(day), func(i int) (*CatalogueExercise, int, int) {
		e := &cat[day[i].ex]
		return e, day[i].sets, restSeconds(e, day[i].role, a.SessionMinutes)
	})
}

func daySets(day []layoutSlot) int {
	n := 0
	for _, sl := range day {
		n += sl.sets + 2 // an exercise's changeover costs about 2 sets of time
	}
	return n
}

// sessionsFor decides on how many days a muscle's weekly sets are spread:
// twice a week beats once (Schoenfeld 2016), about 5 sets per session keeps
// each session productive (the per-session plateau is near 11 fractional
// sets, Remmert 2025), and with only 2 days a small muscle with a few sets
// takes one slot so the big movers keep theirs.
func sessionsFor(need, m, days int) int {
	k := 1
	if need >= 2 && (days >= 3 || need >= 5 || isBigMuscle(m)) {
		k = 2
	}
	k = max(k, (need+preferredSetsPerLift-1)/preferredSetsPerLift, (need+maxSessionSets-1)/maxSessionSets)
	return k
}

// Scoring weights of pickExercise.
const (
	qualityPenalty     = 15
	curlBonus          = 25
	secondMoverPenalty = 10
)

// pickExercise chooses the exercise for muscle m on day d, or -1. Lower
// scores win; the catalogue's curated order is the base, then variety across
// days, the right mechanic for the muscle, a different pattern for a second
// exercise, patterns varied across the week, and restraint on the other
// prime mover's volume.
func (a *Analysis) pickExercise(s *planState, l *layout, m, d, sets, firstOnDay int, uses []uint8, cur *[numMuscles]int, dayDirect *[numMuscles]int) int {
	cat := catalogue().list
	day := l.days[d]
	r := a.newPickRequest(s, l, m, sets, firstOnDay, uses, cur, dayDirect)
	best, bestScore := -1, 1<<30
	for rank, ex := range a.byMuscle[m] {
		e := &cat[ex]
		// A stop-gap never stands in for a better exercise the user may do
		// (the validator's exercise_quality rule).
		if slices.ContainsFunc(day, func(sl layoutSlot) bool { return sl.ex == ex }) || (e.Quality > int(a.bestTier[ex])+qualitySlack && !a.supplements(day, ex)) || (a.Input.Goal == GoalStrength && repeatsIsolation(day, e)) {
			continue
		}
		if score, ok := a.pickScore(&r, rank, ex); ok && score < bestScore {
			best, bestScore = ex, score
		}
	}
	return best
}

// repeatsIsolation reports whether isolation e would be a second variant of
// an isolation the day already holds for the same muscle (a single-leg and
// a barbell calf raise): a strength coach gives the one exercise the sets
// instead, the accessories staying few beside the main lifts.
func repeatsIsolation(day []layoutSlot, e *CatalogueExercise) bool {
	return !e.isCompound() && slices.ContainsFunc(day, func(sl layoutSlot) bool {
		o := &catalogue().list[sl.ex]
		return !o.isCompound() && o.Pattern == e.Pattern && o.primary[0] == e.primary[0]
	})
}

// supplements reports whether stop-gap ex would only add to a better
// exercise for the same muscle already on the day, with its five sets
// (the validator's supplementsBetter, in layout terms).
func (a *Analysis) supplements(day []layoutSlot, ex int) bool {
	cat := catalogue().list
	e := &cat[ex]
	return !e.Hold && slices.ContainsFunc(day, func(sl layoutSlot) bool {
		o := &cat[sl.ex]
		return sl.ex != ex && o.primary[0] == e.primary[0] && o.Quality <= int(a.bestTier[ex])+qualitySlack && sl.sets >= coachMaxSets
	})
}

// pickRequest is what pickExercise scores candidates against: the muscle,
// its sets, the week so far and the preferences derived from them.
type pickRequest struct {
	s              *planState
	l              *layout
	m, sets        int
	firstOnDay     int
	uses           []uint8
	cur, dayDirect *[numMuscles]int
	wantCompound   bool
	wantCurl       bool
	loadable       bool
	usePenalty     int
}

// newPickRequest derives the preferences for choosing m's exercise: the
// mechanic it wants, whether hamstrings still want a leg curl, how repeats
// are scored, and whether anything loadable leads m.
func (a *Analysis) newPickRequest(s *planState, l *layout, m, sets, firstOnDay int, uses []uint8, cur, dayDirect *[numMuscles]int) pickRequest {
	cat := catalogue().list
	r := pickRequest{s: s, l: l, m: m, sets: sets, firstOnDay: firstOnDay, uses: uses, cur: cur, dayDirect: dayDirect}
	r.wantCompound = isBigMuscle(m) || m == mFrontDelts
	// Hamstrings: a hinge and a knee-flexion exercise (DOMAIN.md: a leg
	// curl whenever the equipment allows one).
	r.wantCurl = m == mHamstrings && r.samePattern(PatternKneeFlexion) == 0 && (r.samePattern(PatternHinge) > 0 || a.Input.Goal != GoalStrength)
	if r.wantCurl {
		r.wantCompound = false
	}
	// Beginners repeat a small set of lifts; others vary them across days.
	r.usePenalty = 8
	if a.Input.Experience == LevelBeginner {
		r.usePenalty = -6
	}
	// A stop-gap hold (a wall sit) only when nothing loadable leads m.
	r.loadable = slices.ContainsFunc(a.byMuscle[m], func(i int) bool {
		o := &cat[i]
		return int(o.primary[0]) == m && o.Quality <= tierKettlebell && !o.Hold
	})
	return r
}

// samePattern counts this muscle's exercises elsewhere in the week with
// the pattern, so back gets a row and a pulldown rather than two pulldowns.
func (r *pickRequest) samePattern(pattern string) int {
	cat := catalogue().list
	n := 0
	for _, dd := range r.l.days {
		for _, sl := range dd {
			if sl.driver == r.m && cat[sl.ex].Pattern == pattern {
				n++
			}
		}
	}
	return n
}

// pickScore scores catalogue exercise ex, at position rank in m's list, for
// r; lower wins. It reports false when ex may not be chosen.
func (a *Analysis) pickScore(r *pickRequest, rank, ex int) (int, bool) {
	cat := catalogue().list
	e := &cat[ex]
	m := r.m
	// Quality outweighs variety: a second row beats a towel pull.
	score := rank + r.usePenalty*int(r.uses[ex]) + 4*r.samePattern(e.Pattern) + qualityPenalty*(e.Quality-int(a.bestTier[ex]))
	if r.loadable && e.Hold && e.Quality == tierCompromised {
		return 0, false
	}
	if r.wantCurl && e.Pattern == PatternKneeFlexion {
		score -= curlBonus
	}
	// Triceps from extensions rather than more pressing: presses
	// already train them, and every pressing set needs a pulling set
	// to balance it (DOMAIN.md's 0.8 pull:push), which full days and
	// bodyweight pulls often cannot give. Worth a quality tier and variety.
	if m == mTriceps && slices.Contains(pushPatterns, e.Pattern) {
		score += 2 * qualityPenalty
	}
	// A muscle's own slot goes to an exercise it leads (a hip thrust
	// for glutes rather than a third hinge), so its ramp does not
	// ride on another muscle's MRV.
	if int(e.primary[0]) != m {
		score += secondMoverPenalty
	}
	if r.firstOnDay >= 0 {
		if cat[r.firstOnDay].Pattern == e.Pattern {
			score += 10
		}
	} else if e.isCompound() != r.wantCompound {
		score += 20
	}
	cost, ok := a.otherMoversCost(r, e)
	return score + cost, ok
}

// otherMoversCost is the score ex's other prime movers add, and false when
// they would pass their MRV, a session's set cap, or (with 4+ days) the
// session's muscle cap.
func (a *Analysis) otherMoversCost(r *pickRequest, e *CatalogueExercise) (int, bool) {
	// With 4+ days a session trains at most 6 muscles directly, the
	// exercise's second prime mover included.
	if a.Input.DaysPerWeek > strengthMinDays && musclesWith(r.dayDirect, e) > maxMusclesPerSession {
		return 0, false
	}
	cost := 0
	for _, p := range e.primary {
		if p < 0 || int(p) == r.m {
			continue
		}
		ps := &r.s.m[p]
		if r.cur[p]+r.sets > ps.l.MRV || r.dayDirect[p]+r.sets > maxSessionSets {
			return 0, false
		}
		// Extra direct sets for the other prime mover (glutes from
		// squats) are harmless up to the top of its MAV; past it, prefer
		// a lift that leaves it alone.
		if over := r.cur[p] + r.sets - ps.l.MAVHigh; over > 0 {
			cost += 2 * over
		}
	}
	return cost, true
}

// orderDay sorts a day: emphasized muscles first (DOMAIN.md: trained first
// in the session), then compounds before isolations, otherwise allocation
// order; then it assigns each slot its role.
func (a *Analysis) orderDay(s *planState, day []layoutSlot) {
	cat := catalogue().list
	heavyLower := slices.ContainsFunc(day, func(sl layoutSlot) bool { return isHeavyLowerCompound(&cat[sl.ex]) })
	strength := a.Input.Goal == GoalStrength
	key := func(sl layoutSlot) int {
		e := &cat[sl.ex]
		emph := s.m[sl.driver].status == statusEmphasize
		switch {
		case sl.main:
			return 0
		case emph && e.isCompound():
			return 1
		case isHeavyLowerCompound(e), strength && isMainLift(e):
			// A strength day trains its main lifts fresh, before any
			// weak-point isolation tires the muscles they need.
			return 2
		case emph && !heavyLower:
			return 1
		case emph:
			return 3
		case e.isCompound():
			return 4
		default:
			return 5
		}
	}
	slices.SortStableFunc(day, func(x, y layoutSlot) int { return key(x) - key(y) })
	first := true
	for i := range day {
		e := &cat[day[i].ex]
		day[i].role = roleOf(e, a.Input.Goal, first && e.isCompound())
		if e.isCompound() {
			first = false
		}
	}
}

// pushPullSets counts the layout's pushing and pulling sets the way the
// validator's balance rule does (by movement pattern).
func (b *layoutBuilder) pushPullSets() (push, pull int) {
	cat := catalogue().list
	for _, day := range b.l.days {
		for _, sl := range day {
			switch {
			case slices.Contains(pushPatterns, cat[sl.ex].Pattern):
				push += sl.sets
			case slices.Contains(pullPatterns, cat[sl.ex].Pattern):
				pull += sl.sets
			}
		}
	}
	return push, pull
}

// pullDeficit is how many pulling sets the layout lacks for pulling to
// reach DOMAIN.md's 0.8 × pushing.
func (b *layoutBuilder) pullDeficit() int {
	push, pull := b.pushPullSets()
	return ceilShare(push, pullPushNum, pullPushDen) - pull
}

// hamsDeficit is how many hamstring sets the layout lacks for half the quads.
func (b *layoutBuilder) hamsDeficit() int {
	return hamstringsFloor(b.cur[mQuads]) - b.cur[mHamstrings]
}

// DOMAIN.md's balance warnings as fractions: pulling ≥ 4/5 of pushing.
const (
	pullPushNum = 4
	pullPushDen = 5
)

// ceilShare is ⌈n × num / den⌉.
func ceilShare(n, num, den int) int { return (n*num + den - 1) / den }

// balance tops up pulling (back, then rear delts) and hamstrings at the
// peak week until DOMAIN.md's balance warnings no longer apply, adding sets
// where a day has room and time; the fitter keeps the balance week by week.
func (b *layoutBuilder) balance(scratch []int) {
	for _, m := range []int{mBack, mRearDelts} {
		for b.pullDeficit() > 0 && b.topUp(m, b.pullDeficit(), scratch) {
		}
	}
	for b.hamsDeficit() > 0 && b.topUp(mHamstrings, b.hamsDeficit(), scratch) {
	}
}

// topUp gives m up to want more sets (2 at least when that takes a new
// exercise) on the first eligible day that has room and time, and reports
// whether it did.
func (b *layoutBuilder) topUp(m, want int, scratch []int) bool {
	a, l := b.a, b.l
	ms := &b.s.m[m]
	if ms.status == statusIndirect && m != mBack {
		return false
	}
	for _, d := range a.eligibleDays(l, m, scratch[:0]) {
		ds := min(want, ms.l.MRV-b.cur[m], maxSessionSets-b.dayDirect[d][m])
		has := slices.ContainsFunc(l.days[d], func(sl layoutSlot) bool {
			return catalogue().list[sl.ex].primary[0] == int8(m) && sl.sets+ds <= coachMaxSets
		})
		if !has {
			ds = max(ds, coachMinSets)
		}
		if ds <= 0 || b.cur[m]+ds > ms.l.MRV || b.dayDirect[d][m]+ds > maxSessionSets || (!has && !b.roomForMuscle(d, m)) {
			continue
		}
		saved, cur, dd, uses := slices.Clone(l.days[d]), b.cur, b.dayDirect[d], slices.Clone(b.uses)
		if b.fillDay(m, d, ds) && a.dayTime(b.s, l.days[d]) <= a.MaxDayMinutes {
			return true
		}
		l.days[d], b.cur, b.dayDirect[d], b.uses = saved, cur, dd, uses
	}
	return false
}

// ensureLegCurl adds a 2-set knee-flexion exercise when hamstrings are
// trained but only by hinges (strength seeds often cover their sets) and
// the equipment allows a loadable leg curl: DOMAIN.md asks for one
// whenever possible, since hinges alone miss half of the hamstrings' job.
func (b *layoutBuilder) ensureLegCurl(scratch []int) {
	a, l := b.a, b.l
	cat := catalogue().list
	if hs := &b.s.m[mHamstrings]; hs.status == statusIndirect || hs.target(a.accumulationWeeks()-1) == 0 {
		return
	}
	for _, day := range l.days {
		for _, sl := range day {
			if cat[sl.ex].Pattern == PatternKneeFlexion {
				return
			}
		}
	}
	curl := -1
	for _, i := range a.byMuscle[mHamstrings] {
		if e := &cat[i]; e.Pattern == PatternKneeFlexion && len(e.Equipment) > 0 && e.primary[1] < 0 {
			curl = i
			break
		}
	}
	if curl < 0 || b.cur[mHamstrings]+coachMinSets > b.s.m[mHamstrings].l.MRV {
		return
	}
	for _, d := range a.eligibleDays(l, mHamstrings, scratch[:0]) {
		if len(l.days[d]) >= maxExercisesPerDay || b.dayDirect[d][mHamstrings]+coachMinSets > maxSessionSets || !b.roomForMuscle(d, mHamstrings) {
			continue
		}
		if b.addTimed(d, layoutSlot{ex: curl, driver: mHamstrings, sets: coachMinSets}) {
			return
		}
	}
	// Every day is full (a 2-day strength week of main lifts and two
	// exercises per weak point): a muscle's second exercise of a day makes
	// room when its sets fit its other exercises.
	for _, d := range a.eligibleDays(l, mHamstrings, scratch[:0]) {
		if b.curlInPlaceOf(d, curl) {
			return
		}
	}
}

// curlInPlaceOf adds the leg curl to full day d in place of a muscle's
// second exercise on the day, whose sets move to the muscle's other
// exercises (the muscle may lose what it holds above its peak target),
// and reports whether it did; it leaves the layout as it was otherwise.
func (b *layoutBuilder) curlInPlaceOf(d, curl int) bool {
	a, l := b.a, b.l
	cat := catalogue().list
	if len(l.days[d]) < maxExercisesPerDay || b.dayDirect[d][mHamstrings]+coachMinSets > maxSessionSets || !b.roomForMuscle(d, mHamstrings) {
		return false
	}
	peak := a.accumulationWeeks() - 1
	undo := b.save()
	slots := slices.Clone(l.days[d])
	slices.SortStableFunc(slots, func(x, y layoutSlot) int { return x.sets - y.sets })
	for _, sl := range slots {
		e := &cat[sl.ex]
		m := int(e.primary[0])
		same := 0
		for _, o := range l.days[d] {
			if int(cat[o.ex].primary[0]) == m {
				same++
			}
		}
		if sl.main || m == mHamstrings || e.primary[1] >= 0 || same < 2 {
			continue
		}
		spare := max(0, b.cur[m]-max(b.s.m[m].target(peak), b.s.m[m].floor(true)))
		if !b.tryFold(d, sl.ex, cat, spare) {
			continue
		}
		l.days[d] = append(l.days[d], layoutSlot{ex: curl, driver: mHamstrings, sets: coachMinSets})
		if a.dayTime(b.s, l.days[d]) <= a.MaxDayMinutes {
			b.uses[curl]++
			b.count(curl, d, coachMinSets)
			return true
		}
		undo()
	}
	return false
}

// shrinkBeginnerList swaps exercises a beginner does only once a week for
// one with the same prime movers the week already holds, until the week
// has at most 12 distinct exercises (DOMAIN.md: beginners repeat a small
// set of lifts). A swap that would put an exercise twice in a day or a day
// over its time is skipped.
func (b *layoutBuilder) shrinkBeginnerList() {
	if b.a.Input.Experience != LevelBeginner {
		return
	}
	cat := catalogue().list
	distinct := func() int {
		n := 0
		for _, u := range b.uses {
			if u > 0 {
				n++
			}
		}
		return n
	}
	for distinct() > maxBeginnerExercises && (b.swapOnce(cat) || b.foldOnce(cat)) {
	}
}

// foldOnce folds a beginner's once-a-week exercise into the lifts the week
// already holds for the same prime movers (a leg extension's sets onto the
// leg press), when no like-for-like swap is left, and reports whether it
// did. Main lifts and the week's only knee-flexion exercise stay.
func (b *layoutBuilder) foldOnce(cat []CatalogueExercise) bool {
	curls := 0
	for _, day := range b.l.days {
		for _, sl := range day {
			if cat[sl.ex].Pattern == PatternKneeFlexion {
				curls++
			}
		}
	}
	for d := range b.l.days {
		// A failed fold restores copies of the days: walk a copy of this one.
		for _, sl := range slices.Clone(b.l.days[d]) {
			if b.uses[sl.ex] != 1 || sl.main || (cat[sl.ex].Pattern == PatternKneeFlexion && curls == 1) {
				continue
			}
			if b.tryFold(d, sl.ex, cat, 0) {
				return true
			}
		}
	}
	return false
}

// tryFold moves the sets of exercise ex on day d onto other slots that
// train all of its prime movers (the same day first), each up to 5 sets,
// then drops it; up to lossOK sets that find no slot may be dropped with
// it. It leaves the layout as it was and reports false when more sets are
// left over, a day runs over time, or a muscle loses a day.
func (b *layoutBuilder) tryFold(d, ex int, cat []CatalogueExercise, lossOK int) bool {
	a, l := b.a, b.l
	e := &cat[ex]
	m := int(e.primary[0])
	undo := b.save()
	freq := b.daysTraining(m)
	k := slices.IndexFunc(l.days[d], func(sl layoutSlot) bool { return sl.ex == ex })
	left := l.days[d][k].sets
	b.count(ex, d, -left)
	b.uses[ex]--
	l.days[d] = slices.Delete(l.days[d], k, k+1)
	for _, dd := range append([]int{d}, a.otherDays(d)...) {
		for j := range l.days[dd] {
			sl := &l.days[dd][j]
			for left > 0 && sl.sets < coachMaxSets && b.canTakeFold(dd, sl.ex, e) {
				sl.sets++
				b.count(sl.ex, dd, 1)
				left--
			}
		}
		if a.dayTime(b.s, l.days[dd]) > a.MaxDayMinutes {
			undo()
			return false
		}
	}
	if left > lossOK || b.daysTraining(m) < freq {
		undo()
		return false
	}
	return true
}

// save snapshots the layout's days and tallies; the returned function
// puts them back (any number of times).
func (b *layoutBuilder) save() func() {
	l := b.l
	days := make([][]layoutSlot, len(l.days))
	for i := range l.days {
		days[i] = slices.Clone(l.days[i])
	}
	cur, dd, uses := b.cur, slices.Clone(b.dayDirect), slices.Clone(b.uses)
	return func() {
		for i := range days {
			l.days[i] = slices.Clone(days[i])
		}
		b.cur = cur
		copy(b.dayDirect, dd)
		copy(b.uses, uses)
	}
}

// canTakeFold reports whether slot exercise o on day d may take one more
// set folded from e: it trains every prime mover of e, and its other prime
// movers stay within MRV and the session limit.
func (b *layoutBuilder) canTakeFold(d, o int, e *CatalogueExercise) bool {
	x := &catalogue().list[o]
	for _, p := range e.primary {
		if p >= 0 && !x.hasPrimary(int(p)) {
			return false
		}
	}
	for _, p := range x.primary {
		if p >= 0 && (b.cur[p]+1 > b.s.m[p].l.MRV || b.dayDirect[d][p]+1 > maxSessionSets) {
			return false
		}
	}
	return true
}

// otherDays lists the layout's days other than d, in order.
func (a *Analysis) otherDays(d int) []int {
	out := make([]int, 0, len(a.Split.Days))
	for i := range a.Split.Days {
		if i != d {
			out = append(out, i)
		}
	}
	return out
}

// swapOnce makes one swap of shrinkBeginnerList and reports whether it did.
func (b *layoutBuilder) swapOnce(cat []CatalogueExercise) bool {
	a, l := b.a, b.l
	for d := range l.days {
		for i := range l.days[d] {
			sl := &l.days[d][i]
			if b.uses[sl.ex] != 1 {
				continue
			}
			for o := range b.uses {
				if b.uses[o] == 0 || o == sl.ex || !b.canSwap(d, sl, o) {
					continue
				}
				old, sets := sl.ex, sl.sets
				ex := slices.IndexFunc(l.days[d], func(x layoutSlot) bool { return x.ex == old })
				l.days[d][ex].ex = o
				if a.dayTime(b.s, l.days[d]) > a.MaxDayMinutes {
					k := slices.IndexFunc(l.days[d], func(x layoutSlot) bool { return x.ex == o })
					l.days[d][k].ex = old
					continue
				}
				b.count(old, d, -sets)
				b.count(o, d, sets)
				b.uses[old]--
				b.uses[o]++
				return true
			}
		}
	}
	return false
}

// daysTraining counts the days that already give m direct sets.
func (b *layoutBuilder) daysTraining(m int) int {
	n := 0
	for d := range b.l.days {
		if b.dayDirect[d][m] > 0 {
			n++
		}
	}
	return n
}

// musclesWith counts the muscles a day trains directly once exercise e is added.
func musclesWith(dayDirect *[numMuscles]int, e *CatalogueExercise) int {
	n := 0
	for m := range numMuscles {
		if dayDirect[m] > 0 || e.hasPrimary(m) {
			n++
		}
	}
	return n
}

// canSwap reports whether exercise o may replace slot sl on day d for a
// beginner: the same first prime mover and mechanic (a main lift only by
// one of its pattern), not already on the day, and any other prime mover
// it adds within its MRV and the session limit.
func (b *layoutBuilder) canSwap(d int, sl *layoutSlot, o int) bool {
	cat := catalogue().list
	e, x := &cat[sl.ex], &cat[o]
	if x.primary[0] != e.primary[0] || x.isCompound() != e.isCompound() || (sl.main && x.Pattern != e.Pattern) ||
		slices.ContainsFunc(b.l.days[d], func(y layoutSlot) bool { return y.ex == o }) {
		return false
	}
	for _, p := range x.primary {
		if p >= 0 && !e.hasPrimary(int(p)) && (b.cur[p]+sl.sets > b.s.m[p].l.MRV || b.dayDirect[d][p]+sl.sets > maxSessionSets) {
			return false
		}
	}
	return true
}

// tryFill is fillDay that leaves the day as it was when it fails; with
// timed it also fails when the day would run over its time limit.
func (b *layoutBuilder) tryFill(m, d, ds int, timed bool) bool {
	l := b.l
	saved, cur, dd, uses := slices.Clone(l.days[d]), b.cur, b.dayDirect[d], slices.Clone(b.uses)
	if b.fillDay(m, d, ds) && (!timed || b.a.dayTime(b.s, l.days[d]) <= b.a.MaxDayMinutes) {
		return true
	}
	l.days[d], b.cur, b.dayDirect[d], b.uses = saved, cur, dd, uses
	return false
}

// fillElsewhere moves the ds sets day d had no room for to another day that
// may train m and has room and time, the days already chosen for m first
// (their exercise for m takes more sets), and reports whether it did: one
// full day should cost a muscle its sets only when no day can take them.
func (b *layoutBuilder) fillElsewhere(m, d, ds int, chosen []int) bool {
	others := b.a.eligibleDays(b.l, m, nil)
	slices.SortStableFunc(others, func(x, y int) int {
		return boolRank(!slices.Contains(chosen, x)) - boolRank(!slices.Contains(chosen, y))
	})
	for _, e := range others {
		if e != d && b.roomForMuscle(e, m) && b.tryFill(m, e, ds, true) {
			return true
		}
	}
	return false
}
