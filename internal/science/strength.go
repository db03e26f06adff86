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
				if !a.compact || j == 0 {
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
