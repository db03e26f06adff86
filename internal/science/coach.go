package science

import (
	"fmt"
	"slices"
	"strings"
)

// The checks of DOMAIN.md's "A coach's standard", run by Validate on every
// program (built-in and LLM alike) after the rules above it. Structural
// breaches (empty day, a muscle heavier in the deload, holds in reps, rest
// below the floors) are errors the enhancer fixes; matters of judgement
// (order, fragmentation, exercise choice) are warnings the user sees.

// Limits of the standard.
const (
	maxMusclesPerSession  = 6  // with 4+ days; a 2–3-day full body may train more
	maxBeginnerExercises  = 12 // distinct exercises a week
	qualitySlack          = 1  // tiers an exercise may sit below the best allowed
	strengthMinDays       = 3  // days from which squat and press come twice
	strengthHeavyRIRFloor = 1
	strengthHeavyRIRCeil  = 3
)

// jargon lists internal names that must not reach a lifter.
var jargon = []string{"rir_step", "rir step", "rp-classic", "builtin", "level-adjusted", "double_progression"}

// coach runs the standard's checks.
func (v *validator) coach() {
	v.emptyDays()
	v.deloadPerMuscle()
	v.sessionShape()
	v.emphasisDays()
	v.progression()
	v.exerciseChoice()
	if !v.a.trial {
		// A trial judges sets and exercises; its words are not the lifter's.
		v.words()
	}
	if v.a.Input.Goal == GoalStrength {
		v.strengthLifts()
	}
}

// emptyDays: no training day without exercises.
func (v *validator) emptyDays() {
	for wi, w := range v.p.Weeks {
		for di, d := range w.Days {
			if len(d.Exercises) == 0 {
				v.add(RuleEmptyDay, wi+1, di+1, 0, "", fmt.Sprintf("week %d day %d has no exercises", wi+1, di+1),
					fmt.Sprintf("Week %d day %d has no exercises.", wi+1, di+1))
			}
		}
	}
}

// deloadPerMuscle: the deload is lighter for every muscle, not only in total.
func (v *validator) deloadPerMuscle() {
	n := len(v.p.Weeks)
	if n < 2 || len(v.tallies) != n {
		return
	}
	prev, last := &v.tallies[n-2], &v.tallies[n-1]
	for m := range numMuscles {
		if c := deloadCap(prev.direct[m]); last.direct[m] > c {
			v.add(RuleDeloadMuscle, n, 0, 0, Muscles[m], fmt.Sprintf("%s: deload %d direct sets, at most %d after %d", Muscles[m], last.direct[m], c, prev.direct[m]),
				fmt.Sprintf("The deload gives %s %d sets, not lighter than the week before.", muscleLabel(m), last.direct[m]))
		}
	}
}

// sessionShape checks each accumulation day: set counts, rest floors,
// holds in seconds, order, and how many muscles it trains.
func (v *validator) sessionShape() {
	acc := v.accWeeks()
	for wi := range v.p.Weeks {
		w := &v.p.Weeks[wi]
		for di := range w.Days {
			d := &w.Days[di]
			wk, dy := wi+1, di+1
			for ei := range d.Exercises {
				v.prescription(&d.Exercises[ei], wk, dy, ei+1, wi < acc)
			}
			if wi < acc {
				v.order(d, wk, dy)
				if v.a.Input.DaysPerWeek > strengthMinDays {
					if n := musclesTrained(v.tallies, wi, di); n > maxMusclesPerSession {
						v.add(RuleMusclesPerSession, wk, dy, 0, "", fmt.Sprintf("%d muscles with direct work, at most %d", n, maxMusclesPerSession),
							fmt.Sprintf("Week %d day %d trains %d muscles directly; 4–6 per session keeps each one's work meaningful.", wk, dy, n))
					}
				}
			}
		}
	}
}

// musclesTrained counts muscles with direct sets on one day.
func musclesTrained(t []weekTally, wi, di int) int {
	if wi >= len(t) || di >= len(t[wi].perDay) {
		return 0
	}
	n := 0
	for m := range numMuscles {
		if t[wi].perDay[di][m] > 0 {
			n++
		}
	}
	return n
}

// prescription checks one exercise against the standard.
func (v *validator) prescription(x *ProgramExercise, wk, dy, ex int, accumulation bool) {
	c, ok := LookupExercise(x.ExerciseID)
	if !ok {
		return
	}
	if x.Unit != c.unit() {
		v.add(RuleUnit, wk, dy, ex, "", fmt.Sprintf("%s: unit %q, want %q", x.ExerciseID, x.Unit, c.unit()),
			fmt.Sprintf("%s should be prescribed in %s.", c.Name, unitWord(c.unit())))
	}
	if floor := minRestFor(&c, x.RepMax, x.Unit); x.RestSeconds < floor {
		v.add(RuleRestFloor, wk, dy, ex, "", fmt.Sprintf("%s: rest %d s < %d s", x.ExerciseID, x.RestSeconds, floor),
			fmt.Sprintf("%s rests %d seconds; work like this needs at least %d to keep its quality.", c.Name, x.RestSeconds, floor))
	}
	if accumulation && (x.Sets < coachMinSets || x.Sets > coachMaxSets) && !v.timeIsShort() {
		v.add(RuleSetCount, wk, dy, ex, "", fmt.Sprintf("%s: %d sets, want %d–%d", x.ExerciseID, x.Sets, coachMinSets, coachMaxSets),
			fmt.Sprintf("%s has %d sets; 2–5 working sets make a real prescription.", c.Name, x.Sets))
	}
}

// timeIsShort reports whether the plan itself said time is short, the one
// case where single sets are acceptable.
func (v *validator) timeIsShort() bool { return v.a.timeIsShort() }

// timeShortPrefix opens every warning that says the time budget is short.
const timeShortPrefix = "Time is short"

// isHeavyLowerCompound reports a loaded squat or hinge: nothing small comes
// before it in a session.
func isHeavyLowerCompound(c *CatalogueExercise) bool {
	return c.isCompound() && c.isLoaded() && (c.Pattern == PatternSquat || c.Pattern == PatternHinge)
}

// order: the day opens with a compound (or an emphasised weak point), and no
// isolation comes before a loaded squat or hinge.
func (v *validator) order(d *Day, wk, dy int) {
	sawIsolation := ""
	hasCompound := slices.ContainsFunc(d.Exercises, func(x ProgramExercise) bool {
		c, ok := LookupExercise(x.ExerciseID)
		return ok && c.isCompound()
	})
	for ei, x := range d.Exercises {
		c, ok := LookupExercise(x.ExerciseID)
		if !ok {
			continue
		}
		if ei == 0 && hasCompound && !c.isCompound() && !slices.ContainsFunc(c.PrimaryMuscles, v.emphasized) {
			v.add(RuleOrder, wk, dy, 1, "", fmt.Sprintf("%s opens the day: an isolation", x.ExerciseID),
				fmt.Sprintf("Week %d day %d opens with %s; the day's main compound should come first.", wk, dy, c.Name))
		}
		if !c.isCompound() && sawIsolation == "" {
			sawIsolation = c.Name
		}
		if isHeavyLowerCompound(&c) && sawIsolation != "" {
			v.add(RuleOrder, wk, dy, ei+1, "", fmt.Sprintf("%s after an isolation", x.ExerciseID),
				fmt.Sprintf("Week %d day %d puts %s before %s; heavy squats and hinges come first.", wk, dy, sawIsolation, c.Name))
			return
		}
	}
}

// emphasized reports whether a muscle is emphasised in the plan.
func (v *validator) emphasized(muscle string) bool {
	return slices.Contains(v.a.Emphasized, muscle)
}

// emphasisDays: an emphasised muscle is a primary mover on two days a week.
func (v *validator) emphasisDays() {
	if v.accWeeks() == 0 || v.a.Input.DaysPerWeek < 2 {
		return
	}
	t := &v.tallies[v.accWeeks()-1]
	for _, name := range v.a.Emphasized {
		if m := muscleIndex(name); m >= 0 && t.freq[m] < 2 {
			v.add(RuleEmphasis, v.accWeeks(), 0, 0, name, fmt.Sprintf("%s (emphasised) trained on %d day(s)", name, t.freq[m]),
				sayMuscle("{M} {is|are} a weak point but {gets|get} direct work on only %d day a week; two days bring {it|them} up faster.", m, t.freq[m]))
		}
	}
}

// progression: volume builds through the block. Every grow or emphasised
// muscle gains sets from week 1 to the last accumulation week unless it
// starts at the top of its MAV, and no two build-up weeks are identical.
func (v *validator) progression() {
	acc := v.accWeeks()
	if acc < 2 {
		return
	}
	building := false
	first, peak := &v.tallies[0], &v.tallies[acc-1]
	// DOMAIN.md's trim order holds growing muscles steady when time is
	// short; the program must then say so, naming them.
	held := v.heldByTime()
	for m := range numMuscles {
		plan := v.a.musclePlan(m)
		if plan.Priority == PriorityMaintain || first.direct[m] == 0 || held[Muscles[m]] {
			continue
		}
		building = true
		if peak.direct[m] <= first.direct[m] && first.direct[m] < plan.Landmarks.MAVHigh {
			v.add(RuleProgression, acc, 0, 0, Muscles[m], fmt.Sprintf("%s: %d sets in week 1 and %d in week %d", Muscles[m], first.direct[m], peak.direct[m], acc),
				sayMuscle("{M} {stays|stay} at %d sets all block; adding a set or two a week is what makes {it|them} grow.", m, first.direct[m]))
		}
	}
	for wi := 1; building && wi < acc; wi++ {
		if sameSets(&v.p.Weeks[wi-1], &v.p.Weeks[wi]) {
			v.add(RuleProgression, wi+1, 0, 0, "", fmt.Sprintf("week %d repeats week %d's sets", wi+1, wi),
				fmt.Sprintf("Week %d repeats week %d set for set; volume should build through the block.", wi+1, wi))
			return
		}
	}
}

// heldByTime returns the muscles the program says the time budget holds
// flat, when the plan itself says time is short.
func (v *validator) heldByTime() map[string]bool {
	out := map[string]bool{}
	if !v.timeIsShort() {
		return out
	}
	for _, w := range v.p.Science.Warnings {
		if !strings.HasPrefix(w, timeShortPrefix) || !strings.Contains(w, flatPhrase) {
			continue
		}
		for m := range numMuscles {
			if strings.Contains(w, muscleLabel(m)) {
				out[Muscles[m]] = true
			}
		}
	}
	return out
}

// sameSets reports whether two weeks prescribe the same sets everywhere.
func sameSets(a, b *Week) bool {
	if len(a.Days) != len(b.Days) {
		return false
	}
	for d := range a.Days {
		if len(a.Days[d].Exercises) != len(b.Days[d].Exercises) {
			return false
		}
		for i := range a.Days[d].Exercises {
			if a.Days[d].Exercises[i].Sets != b.Days[d].Exercises[i].Sets || a.Days[d].Exercises[i].ExerciseID != b.Days[d].Exercises[i].ExerciseID {
				return false
			}
		}
	}
	return true
}

// exerciseChoice: quality, a knee-flexion hamstring exercise when the
// equipment allows one, and beginner-sized exercise lists.
func (v *validator) exerciseChoice() {
	a := v.a
	distinct := map[string]bool{}
	hasKneeFlexion := false
	for wi := range v.accWeeks() {
		for di, d := range v.p.Weeks[wi].Days {
			for ei, x := range d.Exercises {
				c, ok := LookupExercise(x.ExerciseID)
				if !ok {
					continue
				}
				distinct[c.ID] = true
				hasKneeFlexion = hasKneeFlexion || (c.Pattern == PatternKneeFlexion && c.hasPrimary(mHamstrings))
				if best := a.bestFor(&c); wi == 0 && c.Quality > best+qualitySlack && !supplementsBetter(d.Exercises, &c, best) {
					v.add(RuleQuality, 1, di+1, ei+1, c.PrimaryMuscles[0], fmt.Sprintf("%s: quality tier %d, best allowed %d", c.ID, c.Quality, best),
						fmt.Sprintf("%s is a stop-gap; your equipment allows a better %s exercise.", c.Name, muscleLabel(int(c.primary[0]))))
				}
			}
		}
	}
	if a.Input.Experience == LevelBeginner && len(distinct) > maxBeginnerExercises {
		v.add(RuleBeginnerExercises, 0, 0, 0, "", fmt.Sprintf("%d distinct exercises, at most %d for a beginner", len(distinct), maxBeginnerExercises),
			fmt.Sprintf("The program has %d different exercises; a beginner learns faster repeating about %d.", len(distinct), maxBeginnerExercises))
	}
	if v.accWeeks() > 0 && !hasKneeFlexion && a.kneeFlexionAvailable() && v.tallies[0].direct[mHamstrings] > 0 && !v.timeIsShort() {
		v.add(RuleKneeFlexion, 0, 0, 0, Muscles[mHamstrings], "no knee-flexion hamstring exercise although one is allowed",
			"Your hamstrings get no leg curl although your equipment allows one; hinges alone miss half of their job.")
	}
}

// supplementsBetter reports whether stop-gap c only adds to a better
// exercise for the same muscle on the same day (DOMAIN.md: a bodyweight or
// improvised variant only when nothing better is available — here the better
// one is already there). A stop-gap hold never does.
func supplementsBetter(day []ProgramExercise, c *CatalogueExercise, best int) bool {
	if c.Hold {
		return false
	}
	return slices.ContainsFunc(day, func(x ProgramExercise) bool {
		o, ok := LookupExercise(x.ExerciseID)
		return ok && o.ID != c.ID && o.primary[0] == c.primary[0] && o.Quality <= best+qualitySlack
	})
}

// bestFor is bestQualityFor, from the analysis's cache when c is allowed.
func (a *Analysis) bestFor(c *CatalogueExercise) int {
	if a.bestTier != nil && a.allowed != nil && a.allowed[c.idx] {
		return int(a.bestTier[c.idx])
	}
	return a.bestQualityFor(c)
}

// bestQualityFor is the best quality tier among allowed exercises with c's
// first prime mover that train no muscle directly that c does not: what
// could have taken c's place without moving volume onto another muscle.
func (a *Analysis) bestQualityFor(c *CatalogueExercise) int {
	best := c.Quality
	for i := range catalogue().list {
		o := &catalogue().list[i]
		if o.Quality >= best || o.primary[0] != c.primary[0] || (o.primary[1] >= 0 && !c.hasPrimary(int(o.primary[1]))) || !a.isAllowed(o) {
			continue
		}
		best = o.Quality
	}
	return best
}

// kneeFlexionAvailable reports whether the user may do a loadable leg curl.
func (a *Analysis) kneeFlexionAvailable() bool {
	for _, c := range catalogue().list {
		if c.Pattern == PatternKneeFlexion && len(c.Equipment) > 0 && a.isAllowed(&c) {
			return true
		}
	}
	return false
}

// words: no internal names in what the lifter reads.
func (v *validator) words() {
	texts := []string{v.p.Name, v.p.Science.Rationale}
	texts = append(texts, v.p.Science.Warnings...)
	for _, w := range v.p.Weeks {
		for _, d := range w.Days {
			for _, x := range d.Exercises {
				texts = append(texts, x.Notes, x.Rationale)
			}
		}
	}
	for _, s := range texts {
		low := strings.ToLower(s)
		for _, j := range jargon {
			if strings.Contains(low, j) {
				v.add(RuleJargon, 0, 0, 0, "", fmt.Sprintf("internal name %q in %q", j, s), "Some text used an internal name instead of plain words.")
				return
			}
		}
	}
}

// strengthLifts: the main lifts the equipment allows, squat and press twice
// a week with 3+ days and the hinge once, each day opened by a heavy lift
// (3–6 reps, RIR 1–3, 3+ minutes' rest) whose notes give a load step.
func (v *validator) strengthLifts() {
	if v.accWeeks() == 0 {
		return
	}
	w := &v.p.Weeks[0]
	count := map[string]int{}
	for di, d := range w.Days {
		if len(d.Exercises) == 0 {
			continue
		}
		seen := map[string]bool{}
		for _, x := range d.Exercises {
			if c, ok := LookupExercise(x.ExerciseID); ok && c.isCompound() && !seen[mainLiftKind(&c)] {
				seen[mainLiftKind(&c)] = true
				count[mainLiftKind(&c)]++
			}
		}
		x := &d.Exercises[0]
		c, ok := LookupExercise(x.ExerciseID)
		if !ok || !c.takesTriples() || !c.isCompound() {
			// Bodyweight and banded lifts are not trained in triples.
			continue
		}
		if x.RepMin < 3 || x.RepMax > heavyRepMax || x.TargetRIR < strengthHeavyRIRFloor || x.TargetRIR > strengthHeavyRIRCeil || x.RestSeconds < MinHeavyRest || !hasLoadStep(x.Notes) {
			v.add(RuleStrength, 1, di+1, 1, "", fmt.Sprintf("%s: %d–%d reps RIR %d rest %d s, notes %q", x.ExerciseID, x.RepMin, x.RepMax, x.TargetRIR, x.RestSeconds, x.Notes),
				fmt.Sprintf("%s opens the day but is not trained as a strength lift (3–6 reps, 3+ minutes' rest, a load step each week).", c.Name))
		}
	}
	// A slice, not a map: the findings come out in the same order every
	// run, and the program's warnings and fixes with them.
	want := []struct {
		kind string
		n    int
	}{{liftSquat, 1}, {liftHinge, 1}, {liftPress, 1}}
	if v.a.Input.DaysPerWeek >= strengthMinDays {
		want[0].n, want[2].n = 2, 2
	}
	avail := v.a.mainLiftsAvailable()
	for _, w := range want {
		if avail[w.kind] && count[w.kind] < w.n {
			v.add(RuleStrength, 1, 0, 0, "", fmt.Sprintf("%s trained on %d day(s), want %d", w.kind, count[w.kind], w.n),
				fmt.Sprintf("A strength block needs the %s on %d days a week; this one has it on %d.", w.kind, w.n, count[w.kind]))
		}
	}
}

// Main-lift kinds of a strength program.
const (
	liftSquat = "squat"
	liftHinge = "hinge"
	liftPress = "press"
	liftPull  = "row or pull-up"
)

// mainLiftKind classifies a compound for the strength rule.
func mainLiftKind(c *CatalogueExercise) string {
	switch c.Pattern {
	case PatternSquat, PatternLunge:
		return liftSquat
	case PatternHinge:
		return liftHinge
	case PatternHorizontalPush, PatternVerticalPush:
		if c.hasPrimary(mChest) || c.hasPrimary(mFrontDelts) {
			return liftPress
		}
	case PatternHorizontalPull, PatternVerticalPull:
		return liftPull
	}
	return ""
}

// mainLiftsAvailable reports which main lifts the user may load.
func (a *Analysis) mainLiftsAvailable() map[string]bool {
	out := map[string]bool{}
	if a.bestTier == nil {
		return out
	}
	for i := range catalogue().list {
		for p := range seedMuscle {
			if a.mainLiftCandidate(i, p) {
				out[mainLiftKind(&catalogue().list[i])] = true
			}
		}
	}
	return out
}

// hasLoadStep reports whether notes give an explicit load step.
func hasLoadStep(notes string) bool {
	return strings.Contains(notes, " kg") || strings.Contains(notes, "next dumbbell") || strings.Contains(notes, "next kettlebell") ||
		strings.Contains(notes, "next plate") || strings.Contains(notes, "next band") || strings.Contains(notes, "next weight")
}
