package science

import (
	"fmt"
	"slices"
)

// Muscle statuses while planning. Indirect is internal: the program exports
// such a muscle as maintain, and the validator holds it to a floor of 0.
const (
	statusGrow = iota
	statusEmphasize
	statusMaintain
	statusIndirect
)

// muscleState is one muscle's ramp while the plan is being fitted.
type muscleState struct {
	status int
	l      Landmarks
	start  int // week-1 direct sets (grow, emphasize)
	inc    int // sets added per week
	full   int // untrimmed peak
	peak   int // peak after trimming
}

// planState is the ramp of every muscle.
type planState struct {
	m [numMuscles]muscleState
}

// target returns the planned direct sets in accumulation week w (0-based).
func (ms *muscleState) target(w int) int {
	switch ms.status {
	case statusIndirect:
		return 0
	case statusMaintain:
		return ms.l.MV
	default:
		return min(ms.start+ms.inc*w, ms.peak)
	}
}

// floor returns the fewest direct sets the validator accepts: DOMAIN.md's
// [MEV, MRV] for grow, MV for maintain, nothing for indirect, and for
// emphasize MEV in early weeks and the bottom of MAV at the peak.
func (ms *muscleState) floor(peak bool) int {
	switch ms.status {
	case statusIndirect:
		return 0
	case statusMaintain:
		return ms.l.MV
	case statusEmphasize:
		if peak {
			return ms.l.MAVLow
		}
		return ms.l.MEV
	default:
		return ms.l.MEV
	}
}

// trimStep is one move of the time-budget trim.
type trimStep struct {
	kind int
	m    int
	frac float64
}

const (
	stepGrowFrac = iota
	stepFlatten
	stepEmphFrac
	stepDemote
	stepIndirect
	stepDeemphasize
)

// trimSteps lists DOMAIN.md's trim order as single moves, each cheaper in
// time than the one before: grow ramps halved, then flattened at MEV one
// muscle at a time (small muscles first, so the big movers keep their
// progression longest), emphasized muscles
// down to the bottom of MAV (never lower), grow muscles to maintain (MV),
// small muscles to indirect coverage in the documented order, and as a last
// resort the emphasis itself, which a 2 × 30-minute week cannot fund.
func trimSteps(weak []string) []trimStep {
	var steps []trimStep
	steps = append(steps, trimStep{kind: stepGrowFrac, frac: 0.5})
	for _, m := range demoteOrder {
		steps = append(steps, trimStep{kind: stepFlatten, m: m})
	}
	for _, f := range []float64{0.5, 0} {
		steps = append(steps, trimStep{kind: stepEmphFrac, frac: f})
	}
	for _, m := range demoteOrder {
		steps = append(steps, trimStep{kind: stepDemote, m: m})
	}
	for _, m := range indirectOrder {
		steps = append(steps, trimStep{kind: stepIndirect, m: m})
	}
	for i := len(weak) - 1; i >= 0; i-- {
		if m := muscleIndex(weak[i]); m >= 0 {
			steps = append(steps, trimStep{kind: stepDeemphasize, m: m}, trimStep{kind: stepIndirect, m: m})
		}
	}
	return steps
}

// apply returns base with the steps applied in order.
func apply(base planState, steps []trimStep) planState {
	s := base
	for _, st := range steps {
		switch st.kind {
		case stepGrowFrac:
			for m := range s.m {
				if ms := &s.m[m]; ms.status == statusGrow {
					ms.peak = ms.start + int(st.frac*float64(ms.full-ms.start))
				}
			}
		case stepFlatten:
			if ms := &s.m[st.m]; ms.status == statusGrow {
				ms.peak = ms.start
			}
		case stepEmphFrac:
			for m := range s.m {
				if ms := &s.m[m]; ms.status == statusEmphasize {
					lo := min(ms.full, ms.l.MAVLow)
					ms.peak = lo + int(st.frac*float64(ms.full-lo))
				}
			}
		case stepDemote:
			if s.m[st.m].status == statusGrow {
				s.m[st.m].status = statusMaintain
			}
		case stepIndirect:
			if ms := &s.m[st.m]; ms.status == statusMaintain && !isBigMuscle(st.m) {
				ms.status = statusIndirect
			}
		case stepDeemphasize:
			if s.m[st.m].status == statusEmphasize {
				s.m[st.m].status = statusMaintain
			}
		}
	}
	return s
}

// fit finds the first trim stage whose layout fits the days, records it and
// writes the muscle plans and warnings. Stage 0 (no trim) fits most inputs;
// otherwise a binary search over the stages keeps Analyze fast, relying on
// each stage needing no more time than the one before.
func (a *Analysis) fit(base planState) {
	steps := trimSteps(a.Input.WeakPoints)
	try := func(k int) (planState, *layout, bool) {
		s := apply(base, steps[:k])
		l, ok := a.layout(&s)
		return s, l, ok
	}
	s, l, ok := try(0)
	if !ok {
		lo, hi := 0, len(steps)
		s, l, _ = try(hi)
		for hi-lo > 1 {
			mid := (lo + hi) / 2
			if ms, ml, mok := try(mid); mok {
				hi, s, l = mid, ms, ml
			} else {
				lo = mid
			}
		}
	}
	a.plan = l
	a.stateUsed = s
	a.writeMusclePlans(base, s)
}

// writeMusclePlans exports the fitted state and explains every compromise
// in at most three plain sentences, each naming the muscles concerned.
func (a *Analysis) writeMusclePlans(base, s planState) {
	acc := a.accumulationWeeks()
	short := fmt.Sprintf("%d sessions of %d minutes", a.Input.DaysPerWeek, a.Input.SessionMinutes)
	var deemphasized, maintained, indirect []string
	a.Muscles = make([]MusclePlan, numMuscles)
	for m := range numMuscles {
		ms := &s.m[m]
		mp := MusclePlan{
			Muscle:    Muscles[m],
			Landmarks: ms.l,
			Targets:   make([]int, a.Weeks),
			Floor:     ms.floor(false),
			PeakFloor: ms.floor(true),
		}
		for w := range acc {
			mp.Targets[w] = ms.target(w)
		}
		mp.Targets[acc] = mp.Targets[acc-1] / 2
		switch ms.status {
		case statusEmphasize:
			mp.Priority = PriorityEmphasize
			a.Emphasized = append(a.Emphasized, Muscles[m])
		case statusGrow:
			mp.Priority = PriorityGrow
		case statusMaintain:
			mp.Priority = PriorityMaintain
		default:
			mp.Priority = PriorityMaintain
			mp.Indirect = true
		}
		a.Muscles[m] = mp
		was := base.m[m].status
		switch {
		case was == ms.status || was == statusIndirect:
		case was == statusEmphasize:
			deemphasized = append(deemphasized, Muscles[m])
			if ms.status == statusIndirect {
				indirect = append(indirect, Muscles[m])
			}
		case ms.status == statusIndirect || (ms.l.MV == 0 && !isBigMuscle(m)):
			indirect = append(indirect, Muscles[m])
		default:
			maintained = append(maintained, Muscles[m])
		}
	}
	if len(deemphasized) > 0 {
		a.Warnings = append(a.Warnings, fmt.Sprintf(
			"%s cannot fund extra work for %s on top of the basics, so they are not emphasised this block; more days or longer sessions would allow it.",
			capitalize(short), joinMuscles(deemphasized)))
	}
	if len(maintained) > 0 {
		a.Warnings = append(a.Warnings, fmt.Sprintf(
			"Time is short: with %s, %s get maintenance volume this block, enough to keep what you have.",
			short, joinMuscles(maintained)))
	}
	if len(indirect) > 0 {
		a.Warnings = append(a.Warnings, fmt.Sprintf(
			"Time is short: with %s there is no room for direct %s work; they still work in the compound lifts this block.",
			short, joinMuscles(indirect)))
	}
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	b := []byte(s)
	if b[0] >= 'a' && b[0] <= 'z' {
		b[0] -= 'a' - 'A'
	}
	return string(b)
}

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
}

// layout is the peak week: which exercises each day holds. Every week of
// the mesocycle uses the same exercises (so loads can progress); only sets
// and effort change.
type layout struct {
	days  [][]layoutSlot
	order []int // muscle allocation order
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
	cat := catalogue().list
	nDays := len(a.Split.Days)
	b := &layoutBuilder{
		a: a, s: s,
		l:         &layout{days: make([][]layoutSlot, nDays), order: a.allocationOrder(s)},
		dayDirect: make([][numMuscles]int, nDays),
		uses:      make([]uint8, len(cat)),
	}
	l := b.l
	eligible := make([]int, 0, nDays)
	peakWeek := a.accumulationWeeks() - 1
	for _, m := range l.order {
		ms := &s.m[m]
		want := ms.target(peakWeek)
		if m == mHamstrings && ms.status != statusIndirect {
			want = max(want, hamstringsFloor(b.cur[mQuads]))
		}
		need := want - b.cur[m]
		if ms.status == statusIndirect || need <= 0 {
			continue
		}
		eligible = a.eligibleDays(l, m, eligible[:0])
		k := sessionsFor(need, m, nDays)
		chosen := make([]int, 0, k)
		for _, d := range eligible {
			if len(chosen) < k && len(l.days[d]) < maxExercisesPerDay {
				chosen = append(chosen, d)
			}
		}
		if len(chosen) == 0 {
			return l, false
		}
		slices.Sort(chosen)
		for i, d := range chosen {
			ds := need / len(chosen)
			if i < need%len(chosen) {
				ds++
			}
			if ds > 0 && !b.fillDay(m, d, ds) {
				return l, false
			}
		}
	}
	if a.Input.DaysPerWeek >= 3 {
		b.spreadOnceAWeek(eligible)
	}
	for m := range numMuscles {
		if b.cur[m] > s.m[m].l.MRV {
			return l, false
		}
	}
	for d := range l.days {
		if len(l.days[d]) == 0 || a.dayTime(s, l.days[d]) > a.MaxDayMinutes {
			return l, false
		}
	}
	return l, true
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
	nEx := (ds + preferredSetsPerLift - 1) / preferredSetsPerLift
	if free := maxExercisesPerDay - len(l.days[d]); nEx > free {
		nEx = free
	}
	if nEx == 0 || ds > nEx*maxSetsPerExercise {
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
			if j == 0 || l.days[d][last].sets+sets > maxSetsPerExercise {
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
		own := -1
		for i, sl := range l.days[home] {
			if sl.driver == m && sl.sets >= 2 {
				own = i
				break
			}
		}
		moved := 2
		if own >= 0 {
			moved = l.days[home][own].sets / 2
		} else if b.cur[m]+moved > b.s.m[m].l.MRV {
			continue
		}
		for _, d := range a.eligibleDays(l, m, scratch[:0]) {
			if d == home || len(l.days[d]) >= maxExercisesPerDay {
				continue
			}
			ex := a.pickExercise(b.s, l, m, d, moved, -1, b.uses, &b.cur, &b.dayDirect[d])
			if ex < 0 {
				continue
			}
			l.days[d] = append(l.days[d], layoutSlot{ex: ex, driver: m, sets: moved})
			if a.dayTime(b.s, l.days[d]) > a.MaxDayMinutes {
				// dayTime reorders the day, so remove the new slot by id.
				l.days[d] = slices.DeleteFunc(l.days[d], func(sl layoutSlot) bool { return sl.ex == ex })
				continue
			}
			b.uses[ex]++
			b.count(ex, d, moved)
			if own >= 0 {
				l.days[home][own].sets -= moved
				b.count(l.days[home][own].ex, home, -moved)
			}
			break
		}
	}
}

// dayTime orders a day, assigns roles and returns its estimated minutes.
func (a *Analysis) dayTime(s *planState, day []layoutSlot) float64 {
	a.orderDay(s, day)
	t := warmupMinutes
	for _, sl := range day {
		t += exerciseMinutes(sl.sets, restSeconds(sl.role, a.SessionMinutes))
	}
	return t
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

// pickExercise chooses the exercise for muscle m on day d, or -1. Lower
// scores win; the catalogue's curated order is the base, then variety across
// days, the right mechanic for the muscle, a different pattern for a second
// exercise, patterns varied across the week, and restraint on the other
// prime mover's volume.
func (a *Analysis) pickExercise(s *planState, l *layout, m, d, sets, firstOnDay int, uses []uint8, cur *[numMuscles]int, dayDirect *[numMuscles]int) int {
	cat := catalogue().list
	day := l.days[d]
	// samePattern counts this muscle's exercises elsewhere in the week with
	// the pattern, so back gets a row and a pulldown rather than two pulldowns.
	samePattern := func(pattern string) int {
		n := 0
		for _, dd := range l.days {
			for _, sl := range dd {
				if sl.driver == m && cat[sl.ex].Pattern == pattern {
					n++
				}
			}
		}
		return n
	}
	wantCompound := isBigMuscle(m) || m == mFrontDelts
	best, bestScore := -1, 1<<30
	for rank, ex := range a.byMuscle[m] {
		e := &cat[ex]
		if slices.ContainsFunc(day, func(sl layoutSlot) bool { return sl.ex == ex }) {
			continue
		}
		score := rank + 8*int(uses[ex]) + 4*samePattern(e.Pattern)
		if firstOnDay >= 0 {
			if cat[firstOnDay].Pattern == e.Pattern {
				score += 10
			}
		} else if e.isCompound() != wantCompound {
			score += 20
		}
		ok := true
		for _, p := range e.primary {
			if p < 0 || int(p) == m {
				continue
			}
			ps := &s.m[p]
			if cur[p]+sets > ps.l.MRV || dayDirect[p]+sets > maxSessionSets {
				ok = false
				break
			}
			// Extra direct sets for the other prime mover (glutes from
			// squats) are harmless up to the top of its MAV; past it, prefer
			// a lift that leaves it alone.
			if over := cur[p] + sets - ps.l.MAVHigh; over > 0 {
				score += 2 * over
			}
		}
		if ok && score < bestScore {
			best, bestScore = ex, score
		}
	}
	return best
}

// orderDay sorts a day: emphasized muscles first (DOMAIN.md: trained first
// in the session), then compounds before isolations, otherwise allocation
// order; then it assigns each slot its role.
func (a *Analysis) orderDay(s *planState, day []layoutSlot) {
	cat := catalogue().list
	key := func(sl layoutSlot) int {
		k := 0
		if s.m[sl.driver].status != statusEmphasize {
			k += 2
		}
		if !cat[sl.ex].isCompound() {
			k++
		}
		return k
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
