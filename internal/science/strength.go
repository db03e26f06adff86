package science

// Strength programs are built on the main lifts (DOMAIN.md, "Strength is
// trained as strength"): a squat, a hinge, a horizontal and a vertical press
// and a row or pull-up, placed before any other exercise is chosen, the
// first of each day trained heavy.

// strengthSeeds lists the main-lift patterns of each day of a split, the
// day's heavy lift first: squat and press at least twice a week with 3+
// days, the hinge at least once.
func strengthSeeds(days int) [][]string {
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
		return [][]string{{sq, hp, hr}, {hi, vp, vr}, {sq, hp, hr}}
	case 4:
		return [][]string{{hp, hr}, {sq, hi}, {vp, hp, vr}, {hi, sq}}
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
// its muscle, or -1.
func (a *Analysis) bestMainLift(pattern string, day []layoutSlot, room func(int) bool) int {
	for _, i := range a.byMuscle[seedMuscle[pattern]] {
		if !a.mainLiftCandidate(i, pattern) || !room(i) {
			continue
		}
		inDay := false
		for _, sl := range day {
			inDay = inDay || sl.ex == i
		}
		if !inDay {
			return i
		}
	}
	return -1
}

// seedStrength places the main lifts of a strength program in two passes:
// first every lift the standard requires (squat and press twice with 3+
// days, the hinge once), then the extra ones, so an extra hinge never takes
// the glutes' MRV a required squat needs.
func (b *layoutBuilder) seedStrength() {
	a, l := b.a, b.l
	sets := seedSets
	if a.SessionMinutes < seedShortMinutes {
		sets = seedSetsShort
	}
	want := map[string]int{liftSquat: 1, liftHinge: 1, liftPress: 1}
	if a.Input.DaysPerWeek >= strengthMinDays {
		want[liftSquat], want[liftPress] = 2, 2
	}
	placed := map[string]int{}
	type seed struct{ d, j int }
	var extra []seed
	seeds := strengthSeeds(len(l.days))
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
			if b.seedLift(d, p, sets) {
				placed[kind]++
			}
		}
	}
	for _, e := range extra {
		b.seedLift(e.d, seeds[e.d][e.j], sets)
	}
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
		ex = a.bestMainLift(p, l.days[d], func(i int) bool { return b.othersHaveRoom(i, m, d, n) })
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
