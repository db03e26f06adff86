package science

import (
	"slices"
	"sort"
)

// Strength programs are built on the main lifts (DOMAIN.md, "Strength is
// trained as strength"): a squat, a hinge, a horizontal and a vertical press
// and a row or pull-up, placed before any other exercise is chosen, the
// first of each day trained heavy.

// strengthSeeds lists the main-lift patterns of each day of a split, the
// day's heavy lift first: squat and press at least twice a week with 3+
// days, the hinge at least once.
func strengthSeeds(days int, beginner bool) [][]string {
	const (
		sq = PatternSquat
		hi = PatternHinge
		hp = PatternHorizontalPush
		vp = PatternVerticalPush
		hr = PatternHorizontalPull
		vr = PatternVerticalPull
	)
	switch days {
	case 2:
		return [][]string{{sq, hp, hr}, {hi, vp, vr}}
	case 3:
		if beginner {
			return [][]string{{sq, hp, hr}, {hi, vp, vr}, {sq, hp, hr}}
		}
		return [][]string{{sq, hp, hr}, {hi, vp, vr}, {sq, hp, vp}}
	case 4:
		if beginner {
			// A beginner's short list: one overhead press a week.
			return [][]string{{hp, hr}, {sq, hi}, {vp, hp, vr}, {hi, sq}}
		}
		return [][]string{{hp, vp, hr}, {sq, hi}, {vp, hp, vr}, {hi, sq}}
	case 5:
		return [][]string{{hp, hr}, {sq, hi}, {vp, hp}, {vr, hr}, {sq, hi}}
	default:
		return [][]string{{hp, vp}, {hr, vr}, {sq, hi}, {vp, hp}, {vr, hr}, {hi, sq}}
	}
}

// seedMuscle is the prime mover a main lift of a pattern is chosen for.
var seedMuscle = map[string]int{
	PatternSquat: mQuads, PatternHinge: mHamstrings, PatternHorizontalPush: mChest,
	PatternVerticalPush: mFrontDelts, PatternHorizontalPull: mBack, PatternVerticalPull: mBack,
}

// Main-lift sizing: three heavy sets when the session has room, two in
// short sessions, and only the day's first two lifts under 45 minutes.
const (
	seedSets          = 3
	seedSetsShort     = 2
	seedShortMinutes  = 60
	seedSingleMinutes = 45
	seedsShort        = 2
)

// bestMainLift returns the best allowed loaded compound of a pattern for
// its muscle, or -1. A squat taken on a bar is the one a strength block is built on: when a
// barbell squat is allowed (a box squat for an injured hip or knee), it
// comes before a leg press, whose load step is a pin on a stack.
func (a *Analysis) bestMainLift(pattern string, day []layoutSlot, room func(int) bool) int {
	best := -1
	for _, i := range a.byMuscle[seedMuscle[pattern]] {
		if !a.mainLiftCandidate(i, pattern) || !room(i) || slices.ContainsFunc(day, func(sl layoutSlot) bool { return sl.ex == i }) {
			continue
		}
		if pattern != PatternSquat || slices.Contains(catalogue().list[i].Equipment, "barbell") {
			return i
		}
		if best < 0 {
			best = i
		}
	}
	return best
}

// seedStrength places the main lifts of a strength program in two passes:
// first every lift the standard requires (squat and press twice with 3+
// days, the hinge once), then the extra ones, so an extra hinge never takes
// the glutes' MRV a required squat needs.
func (b *layoutBuilder) seedStrength() {
	a, l := b.a, b.l
	seeds := strengthSeeds(len(l.days), a.Input.Experience == LevelBeginner)
	setsFor := a.seedSetsFor(seeds)
	want := map[string]int{liftSquat: 1, liftHinge: 1, liftPress: 1}
	if a.Input.DaysPerWeek >= strengthMinDays {
		want[liftSquat], want[liftPress] = 2, 2
	}
	placed := map[string]int{}
	type seed struct{ d, j int }
	var extra []seed
	for d, patterns := range seeds {
		for j, p := range patterns {
			if j >= seedsShort && a.SessionMinutes < seedSingleMinutes {
				break
			}
			kind := mainLiftKind(&CatalogueExercise{Pattern: p, primary: [2]int8{int8(seedMuscle[p]), -1}})
			if w, ok := want[kind]; !ok || placed[kind] >= w || (a.compact && j > 0 && a.Input.DaysPerWeek < strengthMinDays) {
				// Compact days (two or three very short sessions) carry
				// only the required lifts; two of them only the first.
				// Hour-long sessions keep every main lift's volume.
				if !a.compact || j == 0 || a.heldToMainLiftVolume() {
					extra = append(extra, seed{d, j})
				}
				continue
			}
			if b.seedLift(d, p, setsFor[p]) {
				placed[kind]++
			}
		}
	}
	for _, e := range extra {
		b.seedLift(e.d, seeds[e.d][e.j], setsFor[seeds[e.d][e.j]])
	}
	b.orderSeeds(seeds)
}

// orderSeeds puts each day's main lifts back in the order of its seeds (the
// two passes append required lifts first, so a hinge day could open with its
// squat), marks the first one the day's heavy lift, and lets the
// conventional deadlift open the day that leads with a hinge: a coach puts
// the week's heaviest pull first on a fresh day, not behind squats.
func (b *layoutBuilder) orderSeeds(seeds [][]string) {
	cat := catalogue()
	rank := func(d, ex int) int {
		for j, p := range seeds[d] {
			if cat.list[ex].Pattern == p {
				return j
			}
		}
		return len(seeds[d])
	}
	hingeLead, dlDay, dlAt := -1, -1, -1
	dl, hasDL := cat.byID[conventionalDeadlift]
	for d := range b.l.days {
		if d >= len(seeds) {
			break
		}
		day := b.l.days[d]
		sort.SliceStable(day, func(i, j int) bool { return rank(d, day[i].ex) < rank(d, day[j].ex) })
		leadHeavy(day)
		for i := range day {
			day[i].main = i == 0
			if hasDL && day[i].ex == dl {
				dlDay, dlAt = d, i
			}
		}
		if len(day) > 0 && cat.list[day[0].ex].Pattern == PatternHinge && day[0].ex != dl && hingeLead < 0 {
			hingeLead = d
		}
	}
	if dlDay >= 0 && dlAt > 0 && hingeLead >= 0 && hingeLead != dlDay {
		// Same pattern, same prime movers: the days' muscle counts stay valid.
		b.l.days[dlDay][dlAt].ex, b.l.days[hingeLead][0].ex = b.l.days[hingeLead][0].ex, dl
	}
}

// leadHeavy moves to the front of a day's main lifts the first that can be
// trained as a strength lift when the seeded lead cannot: a pulldown or a
// band-assisted pull-up is not a lift for triples, a row beside it is.
func leadHeavy(day []layoutSlot) {
	cat := catalogue().list
	heavy := func(sl layoutSlot) bool {
		e := &cat[sl.ex]
		return e.takesTriples() && e.Pattern != PatternVerticalPull
	}
	if len(day) == 0 || heavy(day[0]) {
		return
	}
	if j := slices.IndexFunc(day, heavy); j > 0 {
		lead := day[j]
		copy(day[1:j+1], day[:j])
		day[0] = lead
	}
}

// strengthWeeklySets is the fewest hard sets a week a main lift gets at the
// peak when sessions are an hour or longer (our heuristic: two sessions of
// three, or one of five, the most one exercise takes).
const strengthWeeklySets = 6

// seedSetsFor sizes each main-lift pattern's sets per session: enough for
// strengthWeeklySets a week across the days it is seeded on, 3–5 a session,
// or the short-session sizes under an hour.
func (a *Analysis) seedSetsFor(seeds [][]string) map[string]int {
	n := map[string]int{}
	for _, day := range seeds {
		for _, p := range day {
			n[p]++
		}
	}
	out := map[string]int{}
	for p, k := range n {
		switch {
		case a.SessionMinutes < seedShortMinutes:
			out[p] = seedSetsShort
		case p == PatternHorizontalPull || p == PatternVerticalPull || a.Input.Experience == LevelBeginner || a.Input.DaysPerWeek < strengthMinDays:
			// Rows, a beginner's lifts (their glutes' MRV could not carry
			// a five-set hinge beside two squats) and 2-day blocks keep three.
			out[p] = seedSets
		default:
			out[p] = min(max((strengthWeeklySets+k-1)/k, seedSets), coachMaxSets)
		}
	}
	return out
}

// seedLift places the best main lift of pattern p on day d, with fewer sets
// when the full dose would take its other prime mover past its MRV (glutes
// under squats and hinges), and reports whether it did.
func (b *layoutBuilder) seedLift(d int, p string, sets int) bool {
	a, l := b.a, b.l
	m := seedMuscle[p]
	if b.s.m[m].status == statusIndirect && m != mFrontDelts {
		return false
	}
	n, ex := sets, -1
	for ; n >= coachMinSets && ex < 0; n-- {
		room := func(i int) bool { return b.othersHaveRoom(i, m, d, n) }
		if p == PatternHinge && a.Input.Experience != LevelBeginner {
			// Beginners repeat one hinge; others pull a deadlift first.
			ex = b.hingeFor(d, room)
		} else {
			ex = a.bestMainLift(p, l.days[d], room)
		}
	}
	n++
	if ex < 0 {
		return false
	}
	l.days[d] = append(l.days[d], layoutSlot{ex: ex, driver: m, sets: n, main: len(l.days[d]) == 0})
	b.uses[ex]++
	b.count(ex, d, n)
	return true
}

// loadStep is the explicit load progression for an exercise: barbell
// +2.5 kg upper body and +5 kg lower body, the next dumbbell or kettlebell,
// the next plate or band otherwise; bodyweight work progresses by reps and
// harder variations, never by load.
func loadStep(e *CatalogueExercise) string {
	lower := e.hasPrimary(mQuads) || e.hasPrimary(mHamstrings) || e.hasPrimary(mGlutes) || e.hasPrimary(mCalves)
	has := func(q string) bool {
		for _, x := range e.Equipment {
			if x == q {
				return true
			}
		}
		return false
	}
	switch {
	case has("barbell") && lower:
		return "add 5 kg"
	case has("barbell"):
		return "add 2.5 kg"
	case has("dumbbells"):
		return "move to the next dumbbell"
	case has("kettlebells"):
		return "move to the next kettlebell"
	case has("machines") || has("cables"):
		return "move the pin to the next plate"
	case has("bands"):
		return "move to the next band"
	default:
		return ""
	}
}

// mainLiftCandidate reports whether catalogue exercise i may be a strength
// program's main lift of a pattern: a bilateral loaded compound for the
// pattern's muscle, loadable in fine steps (no bands), and no stop-gap.
func (a *Analysis) mainLiftCandidate(i int, pattern string) bool {
	e := &catalogue().list[i]
	m, ok := seedMuscle[pattern]
	return ok && a.isAllowed(e) && e.Pattern == pattern && e.isCompound() && e.isLoaded() && !e.Unilateral &&
		e.primary[0] == int8(m) && e.Quality <= tierKettlebell && e.Quality <= int(a.bestTier[i])+qualitySlack
}

// hingeFor picks a strength program's hinge: the conventional deadlift
// first when it is allowed (a barbell, no lower-back injury), then a hinge
// the week does not have yet (the Romanian deadlift as the second hinge).
func (b *layoutBuilder) hingeFor(d int, room func(int) bool) int {
	a := b.a
	if dl, ok := catalogue().byID[conventionalDeadlift]; ok && b.uses[dl] == 0 && a.mainLiftCandidate(dl, PatternHinge) && room(dl) {
		return dl
	}
	fresh := func(i int) bool { return b.uses[i] == 0 && room(i) }
	if ex := a.bestMainLift(PatternHinge, b.l.days[d], fresh); ex >= 0 {
		return ex
	}
	return a.bestMainLift(PatternHinge, b.l.days[d], room)
}

// conventionalDeadlift is the hinge a strength block is built on.
const conventionalDeadlift = "barbell_deadlift"

// mainLiftPatterns are the main lifts a strength block's volume is held to
// (DOMAIN.md, "Strength is trained as strength"); rows and pull-ups are
// balanced by the pull:push rule instead.
var mainLiftPatterns = []string{PatternSquat, PatternHorizontalPush, PatternVerticalPush, PatternHinge}

// heldToMainLiftVolume reports whether a strength block's main lifts must
// reach their weekly volume: sessions of an hour or more on 3+ days, past
// the beginner stage (a beginner repeats a short list of lifts).
func (a *Analysis) heldToMainLiftVolume() bool {
	return a.Input.Goal == GoalStrength && a.SessionMinutes >= seedShortMinutes &&
		a.Input.DaysPerWeek >= strengthMinDays && a.Input.Experience != LevelBeginner
}

// isMainLift reports whether e counts as a strength block's main lift: a
// loaded compound of a main-lift pattern.
func isMainLift(e *CatalogueExercise) bool {
	return e.isCompound() && e.isLoaded() && slices.Contains(mainLiftPatterns, e.Pattern)
}

// mainLiftLeast is, per muscle, the fewest direct sets at the peak a
// strength block's main lifts need: the seeded sets of each main lift the
// equipment allows (a squat and a press twice a week, the hinge at least
// once) on its prime mover, plus the 2-set leg curl the hamstrings also
// get beside the hinge when any is allowed. The time budget trims other
// muscles first: these sets are what a strength block is for.
func (a *Analysis) mainLiftLeast() (least [numMuscles]int, total int) {
	if !a.heldToMainLiftVolume() {
		return least, 0
	}
	cat := catalogue().list
	want := a.mainLiftWant()
	for _, p := range mainLiftPatterns {
		least[seedMuscle[p]] += want[p]
		total += want[p]
	}
	if least[mHamstrings] > 0 && slices.ContainsFunc(a.byMuscle[mHamstrings], func(i int) bool { return cat[i].Pattern == PatternKneeFlexion }) {
		least[mHamstrings] += coachMinSets
	}
	return least, total
}

// armsBelowMainLifts keeps a strength block's curls and triceps extensions
// under its main lifts' total sets (mainSets), when an injury or the
// equipment leaves few main lifts: arms hold steady at MEV, then at MV,
// then are left to presses and rows; a weak-point arm peaks at the least
// emphasis DOMAIN.md allows, and past that it grows with the rest (the
// lifter is told why).
func (a *Analysis) armsBelowMainLifts(s *planState, mainSets int) {
	arms := func() int { return s.m[mBiceps].target(s.m[mBiceps].acc-1) + s.m[mTriceps].target(s.m[mTriceps].acc-1) }
	steps := []func(ms *muscleState, m int){
		func(ms *muscleState, _ int) { ms.status, ms.hold = statusMaintain, ms.l.MEV },
		func(ms *muscleState, _ int) { ms.status, ms.hold = statusMaintain, 0 },
		func(ms *muscleState, m int) {
			ms.status = statusIndirect
			a.covered = append(a.covered, Muscles[m])
		},
	}
	for pass := range 2 {
		for _, step := range steps {
			for _, m := range []int{mBiceps, mTriceps} {
				if ms := &s.m[m]; mainSets > 0 && arms() >= mainSets && (ms.status == statusGrow || ms.status == statusMaintain) {
					step(ms, m)
				}
			}
		}
		for _, m := range []int{mBiceps, mTriceps} {
			ms := &s.m[m]
			if mainSets == 0 || arms() < mainSets || ms.status != statusEmphasize || pass > 0 {
				continue
			}
			ms.full = min(ms.full, max(emphasisPeakFloor(ms.l), ms.start+ms.acc-1))
			ms.peak = ms.full
			if arms() >= mainSets {
				*s = apply(*s, []trimStep{{kind: stepDeemphasizeGrow, m: m}})
				a.Warnings = append(a.Warnings, sayMuscle(
					"Your {m} {is|are} a weak point, but in a strength block with few main lifts open to you the arms stay below the main lifts' sets, so {it grows|they grow} with the rest this block.", m))
			}
		}
	}
}

// mainLiftWant is the weekly sets of each main-lift pattern the equipment
// and injuries allow a strength block: its sets a session times the days
// it is seeded on.
func (a *Analysis) mainLiftWant() map[string]int {
	seeds := strengthSeeds(a.Input.DaysPerWeek, false)
	setsFor := a.seedSetsFor(seeds)
	out := map[string]int{}
	for _, p := range mainLiftPatterns {
		if !slices.ContainsFunc(a.byMuscle[seedMuscle[p]], func(i int) bool { return a.mainLiftCandidate(i, p) }) {
			continue
		}
		for _, day := range seeds {
			if slices.Contains(day, p) {
				out[p] += setsFor[p]
			}
		}
	}
	return out
}

// keepLeast lifts a muscle the trim took below its main lifts' least peak
// back to it: a growing muscle peaks there, any other holds it steady.
func (ms *muscleState) keepLeast() {
	least := min(ms.least, ms.l.MRV)
	if least == 0 || ms.target(ms.acc-1) >= least {
		return
	}
	switch ms.status {
	case statusGrow, statusEmphasize:
		ms.peak = least
		ms.full = max(ms.full, least)
	default:
		ms.status, ms.hold = statusMaintain, least
	}
}

// capToRoom caps each muscle a strength block's untrimmed layout has no room
// for at the most sets the days can give it with the exercises the lifter
// may do, one muscle at a time: with one row for dumbbells alone the back's
// ramp cannot be placed at any trim, and trimming every other muscle first
// would cut the main lifts' partners and leave the sessions half empty. A
// muscle short of room only because the untrimmed days are crowded is left
// to the time budget's trim.
func (a *Analysis) capToRoom(base planState) planState {
	var dropped []string
	defer func() {
		if len(dropped) > 0 {
			a.Warnings = append(a.Warnings, sayMuscles(
				"With the exercises your equipment and injuries allow, the sessions have no room for direct {m} work beside the main lifts; {it still works|they still work} in the compound lifts this block.",
				dropped))
		}
	}()
	for range numMuscles {
		s := base
		l, ok := a.layout(&s)
		if ok || l.short < 0 {
			return base
		}
		m := l.short
		t, capped, crowded := a.capMuscle(base, m)
		if !capped && !crowded && base.m[m].status == statusEmphasize {
			// Too few exercises for a weak point's extra sets: it grows
			// with the rest, and the lifter is told why.
			var fits bool
			if t, capped, fits = a.capMuscle(apply(base, []trimStep{{kind: stepDeemphasizeGrow, m: m}}), m); capped || fits {
				capped = true
				// Said once the fit is known (writeMusclePlans): the time
				// budget may still leave the muscle no direct work.
				a.supplyDeemphasized = append(a.supplyDeemphasized, m)
			}
		}
		if !capped && !crowded && !isBigMuscle(m) && base.m[m].least == 0 {
			// Not even MV fits beside the main lifts: a small muscle is
			// left to the compounds rather than every muscle trimmed.
			t, capped = base, true
			t.m[m].status = statusIndirect
			dropped = append(dropped, Muscles[m])
		}
		if !capped {
			return base
		}
		base = t
	}
	return base
}

// capMuscle caps muscle m of base at the most sets the days can hold with
// m's exercises beside the main lifts' least sets alone, and reports whether
// it did, or that m fits there uncapped (crowded: the other muscles' sets,
// not m's exercises, leave it no room).
func (a *Analysis) capMuscle(base planState, m int) (t planState, capped, crowded bool) {
	fits := func(t planState) bool {
		for o := range t.m {
			switch {
			case o == m:
			case t.m[o].least > 0:
				t.m[o].status, t.m[o].hold = statusMaintain, t.m[o].least
			default:
				t.m[o].status = statusIndirect
			}
		}
		l, _ := a.layout(&t)
		return l.short < 0
	}
	if fits(base) {
		return base, false, true
	}
	for n := base.m[m].target(base.m[m].acc-1) - 1; n >= max(base.m[m].l.MV, 1); n-- {
		t := base
		if t.m[m].capTo(n) && fits(t) {
			return t, true, false
		}
	}
	return base, false, false
}

// capTo lowers a muscle's ramp to peak at room sets, still rising a set a
// week when room allows it and held steady there otherwise, and reports
// whether it did: never below the muscle's MV or its main lifts' least, and
// an emphasised muscle only while it still peaks where DOMAIN.md's emphasis
// asks (the trim takes it from there).
func (ms *muscleState) capTo(room int) bool {
	if room < max(ms.l.MV, ms.least, 1) || room >= ms.target(ms.acc-1) {
		return false
	}
	switch {
	case ms.status == statusEmphasize && room >= max(emphasisPeakFloor(ms.l), ms.start+ms.acc-1):
		ms.full, ms.peak = room, room
	case ms.status == statusEmphasize:
		return false
	case ms.status == statusGrow && room >= max(ms.start, ms.l.MEV)+ms.acc-1:
		ms.full, ms.peak = room, room
	case ms.status == statusGrow || ms.status == statusMaintain:
		ms.status, ms.hold = statusMaintain, room
	default:
		return false
	}
	return true
}
