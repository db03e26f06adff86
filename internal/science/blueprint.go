package science

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
)

// Blueprint is one week's template of a program (DESIGN §4): the judgement —
// exercise choice and order per day, week-1 sets, rep ranges, rest, coaching
// notes and rationale. Expand turns it into the whole mesocycle, so whoever
// writes a blueprint (the built-in generator or an LLM) does no arithmetic.
// Struct tags feed BlueprintJSONSchema.
type Blueprint struct {
	Name      string         `json:"name" desc:"Short display name of the program."`
	Rationale string         `json:"rationale" desc:"Why the program looks the way it does, for the lifter, in a few sentences."`
	Days      []BlueprintDay `json:"days" desc:"One entry per training day of the week, in order."`
}

// BlueprintDay is one training day of the template week.
type BlueprintDay struct {
	Day       int                 `json:"day" desc:"Day number within the week, from 1."`
	Label     string              `json:"label" desc:"Display name, e.g. Upper A."`
	Exercises []BlueprintExercise `json:"exercises" desc:"Exercises in the order they are performed, the main compound first."`
}

// BlueprintExercise is one exercise of the template week.
type BlueprintExercise struct {
	ExerciseID  string `json:"exercise_id" desc:"Catalogue id of the exercise, from the allowed list."`
	Sets        int    `json:"sets" desc:"Working sets in week 1, 2 to 5."`
	RepMin      int    `json:"rep_min" desc:"Bottom of the rep range, 3 to 30 (seconds 10 to 90 for holds)."`
	RepMax      int    `json:"rep_max" desc:"Top of the rep range, 3 to 30 (seconds 10 to 90 for holds)."`
	Unit        string `json:"unit" enum:"reps,seconds" desc:"What rep_min and rep_max count: reps, or seconds for holds."`
	RestSeconds int    `json:"rest_seconds" desc:"Rest between sets in seconds: 180+ for heavy sets of 6 or fewer reps, 120+ for loaded compounds, 60-90 for isolations."`
	Notes       string `json:"notes" desc:"Coaching notes, e.g. how to add load; may be empty."`
	Rationale   string `json:"rationale" desc:"Why this exercise is here for this lifter, in one sentence."`
}

// BlueprintJSONSchema returns the strict JSON Schema of a blueprint, the
// root of the LLM's response format: every property required, no additional
// properties, generated from the Go types like ProgramJSONSchema.
func BlueprintJSONSchema() []byte {
	return append([]byte(nil), blueprintSchema()...)
}

var blueprintSchema = sync.OnceValue(func() []byte {
	s := schemaOf(reflect.TypeFor[Blueprint](), "One week's template of a liftplan program; the engine expands it into the mesocycle.")
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		// Only maps, slices and strings are marshalled; this cannot fail.
		panic("science: marshal blueprint schema: " + err.Error())
	}
	return b
})

// Set counts of "A coach's standard": 2–5 sets per exercise in accumulation.
const (
	coachMinSets = 2
	coachMaxSets = 5
)

// Expand turns a blueprint into the whole mesocycle for the analysis: each
// accumulation week's sets are fitted to the plan's weekly targets per
// muscle (the blueprint's set split between exercises is kept), effort
// follows the RIR schedule, the deload halves the work of every muscle at
// RIR 4, and names, equipment, muscles, units, weekly volume and time
// estimates come from the catalogue and the time model. Nothing is judged
// here: Validate and Enhance see the result like any other program. Unknown
// exercise ids are kept as written so the validator can name them.
func Expand(a Analysis, bp Blueprint) Program {
	if a.plan == nil || a.Muscles == nil {
		b, err := Analyze(a.Input)
		if err != nil {
			return emptyProgram(a)
		}
		a = b
	}
	tpl := a.template(bp)
	name := bp.Name
	if name == "" {
		name = programName(&a)
	}
	p := Program{
		SchemaVersion: SchemaVersion,
		Name:          name,
		Goal:          a.Input.Goal,
		Experience:    a.Input.Experience,
		Split:         ProgramSplit{Type: a.Split.Type, DaysPerWeek: a.Split.DaysPerWeek},
		Mesocycle:     Mesocycle{Weeks: a.Weeks, DeloadWeek: a.DeloadWeek, Progression: a.Progression},
		Weeks:         make([]Week, a.Weeks),
	}
	acc := a.accumulationWeeks()
	reach := a.peakReach(tpl)
	a.expandWeeks(tpl, &reach, p.Weeks[:acc])
	if a.allowSingles(tpl, &reach, p.Weeks[:acc]) {
		a.expandWeeks(tpl, &reach, p.Weeks[:acc])
	}
	a.smoothJumps(&p, acc)
	p.Weeks[acc] = a.expandDeload(&p.Weeks[acc-1])
	p.WeeklyVolume = weeklyVolume(&a, &p)
	rationale := bp.Rationale
	if rationale == "" {
		rationale = a.Rationale
	}
	p.Science = ProgramScience{
		LandmarkTable: a.LandmarkTable,
		WeakPoints:    append([]string{}, a.Input.WeakPoints...),
		Rationale:     rationale,
		Warnings:      append([]string{}, a.Warnings...),
		Fixes:         []string{},
	}
	if note := spareTimeNote(&a, &p); note != "" {
		p.Science.Warnings = append(p.Science.Warnings, note)
	}
	if note := flatTimeNote(&a, &p); note != "" {
		p.Science.Warnings = append(p.Science.Warnings, note)
	}
	return p
}

// flatPhrase marks the warning that names growing muscles the time budget
// stalls; the progression rule accepts exactly those (DOMAIN.md's trim
// order: when time is short, grow muscles are trimmed to a steady dose).
const flatPhrase = "cannot gain a set every week"

// stalledMuscles lists the growing muscles below the top of their MAV that
// fail to gain a set from some accumulation week to the next.
func stalledMuscles(a *Analysis, p *Program) []string {
	acc := a.accumulationWeeks()
	t := make([]weekTally, acc)
	for w := range acc {
		t[w] = tallyWeek(&p.Weeks[w])
	}
	var out []string
	for m := range numMuscles {
		mp := a.musclePlan(m)
		if mp.Priority == PriorityMaintain || t[0].direct[m] == 0 {
			continue
		}
		for w := 1; w < acc; w++ {
			if t[w].direct[m] <= t[w-1].direct[m] && t[w-1].direct[m] < mp.Landmarks.MAVHigh {
				out = append(out, Muscles[m])
				break
			}
		}
	}
	return out
}

// flatTimeNote says truthfully, when the time budget forced the plan's
// compromises, which growing muscles cannot gain a set every week.
func flatTimeNote(a *Analysis, p *Program) string {
	acc := a.accumulationWeeks()
	if !a.timeBound || acc < 2 || len(p.Weeks) <= acc {
		return ""
	}
	stalled := stalledMuscles(a, p)
	if len(stalled) == 0 {
		return ""
	}
	return sayMuscles("%s: with %d sessions of %d minutes, {m} %s: every session is full, so {it holds|they hold} steady for part of the block.",
		stalled, timeShortPrefix, a.Input.DaysPerWeek, a.Input.SessionMinutes, flatPhrase)
}

// spareShare: a longest session under this share of the budget is worth a
// plain note that less time is needed than offered.
const spareShare = 0.75

// spareTimeNote says plainly when the sessions need much less time than
// the lifter offered, and why (DOMAIN.md: truthful time warnings).
func spareTimeNote(a *Analysis, p *Program) string {
	if len(p.Weeks) < 2 {
		return ""
	}
	longest := 0
	for _, d := range p.Weeks[len(p.Weeks)-2].Days {
		longest = max(longest, d.EstimatedMinutes)
	}
	if longest == 0 || float64(longest) >= spareShare*float64(a.SessionMinutes) {
		return ""
	}
	why := "more sets would add fatigue faster than growth at this stage"
	switch {
	case a.heldBySupply():
		why = "more sets would add fatigue faster than growth at this stage, or the exercises your equipment and injuries allow have no room for them"
	case a.Input.Experience == LevelBeginner:
		why = "that is the volume a beginner recovers from and grows on"
	}
	return fmt.Sprintf("Even the longest session takes about %d of your %d minutes: %s. Use the spare time for a longer warm-up or mobility work.", longest, a.SessionMinutes, why)
}

// heldBySupply reports whether the fitted plan holds a muscle below its
// untrimmed ramp although time was not what forced it.
func (a *Analysis) heldBySupply() bool {
	if a.plan == nil || a.timeBound {
		return false
	}
	pk := a.accumulationWeeks() - 1
	for m := range numMuscles {
		if a.baseState.m[m].status != statusIndirect && a.stateUsed.m[m].target(pk) < a.baseState.m[m].target(pk) {
			return true
		}
	}
	return false
}

// tplExercise is one template exercise with its catalogue entry (nil when
// the id is unknown).
type tplExercise struct {
	c     *CatalogueExercise
	x     ProgramExercise // the prescription without week-specific sets and RIR
	sets  int             // template sets
	least int             // the fewest sets an early week may give it
}

// tplDay is one template day.
type tplDay struct {
	label string
	exs   []tplExercise
}

// template resolves a blueprint against the catalogue.
func (a *Analysis) template(bp Blueprint) []tplDay {
	cat := catalogue()
	out := make([]tplDay, len(bp.Days))
	for d, bd := range bp.Days {
		td := tplDay{label: bd.Label, exs: make([]tplExercise, 0, len(bd.Exercises))}
		for _, be := range bd.Exercises {
			x := ProgramExercise{
				ExerciseID: be.ExerciseID, Name: be.ExerciseID,
				Equipment: []string{}, PrimaryMuscles: []string{}, SecondaryMuscles: []string{},
				RepMin: be.RepMin, RepMax: be.RepMax, Unit: be.Unit, RestSeconds: be.RestSeconds,
				Notes: be.Notes, Rationale: be.Rationale,
			}
			var c *CatalogueExercise
			if i, ok := cat.byID[be.ExerciseID]; ok {
				c = &cat.list[i]
				x.Name, x.Unit = c.Name, c.unit()
				x.Equipment = slices.Clone(c.Equipment)
				x.PrimaryMuscles, x.SecondaryMuscles = slices.Clone(c.PrimaryMuscles), slices.Clone(c.SecondaryMuscles)
			}
			if x.Unit != UnitSeconds {
				x.Unit = UnitReps
			}
			td.exs = append(td.exs, tplExercise{c: c, x: x, sets: be.Sets, least: coachMinSets})
		}
		out[d] = td
	}
	return out
}

// weekTargets is the direct-set target of every muscle in accumulation week
// w, hamstrings held at half the quads or more (DOMAIN.md's balance).
func (a *Analysis) weekTargets(w int) [numMuscles]int {
	var t [numMuscles]int
	for m := range numMuscles {
		if w < len(a.Muscles[m].Targets) {
			t[m] = a.Muscles[m].Targets[w]
		}
	}
	if !a.Muscles[mHamstrings].Indirect {
		t[mHamstrings] = max(t[mHamstrings], hamstringsFloor(t[mQuads]))
	}
	return t
}

// rampShift is how far each muscle's ramp moves up because the template
// cannot go as low as week 1's target without 1-set exercises: the block
// then starts where the template can and still adds sets every week.
func (a *Analysis) rampShift(tpl []tplDay) [numMuscles]int {
	_, shift := a.leastAndShift(tpl)
	return shift
}

// leastAndShift is the fewest direct sets the template can give each muscle
// and rampShift's shift.
func (a *Analysis) leastAndShift(tpl []tplDay) (least, shift [numMuscles]int) {
	for _, td := range tpl {
		for _, te := range td.exs {
			if te.c == nil {
				continue
			}
			for _, p := range te.c.primary {
				if p >= 0 {
					least[p] += min(te.least, max(te.sets, 1))
				}
			}
		}
	}
	t0 := a.weekTargets(0)
	for m := range numMuscles {
		if a.Muscles[m].Priority != PriorityMaintain && least[m] > t0[m] {
			shift[m] = least[m] - t0[m]
		}
	}
	return least, shift
}

// shiftedTargets is week w's direct-set targets with the ramps rampShift
// moves up; with reach, a shifted ramp ends where the fitted peak week
// reached rather than past it, so it does not top out early and repeat.
func (a *Analysis) shiftedTargets(tpl []tplDay, w int, reach *[numMuscles]int) [numMuscles]int {
	target := a.weekTargets(w)
	acc := a.accumulationWeeks()
	peak := a.weekTargets(acc - 1)
	for m, s := range a.rampShift(tpl) {
		if s == 0 {
			continue
		}
		// The shifted ramp runs evenly from what the template can start at
		// to the shifted peak, MRV-capped, so a cap flattens no week pair.
		lo := a.weekTargets(0)[m] + s
		hi := min(peak[m]+s, a.Muscles[m].Landmarks.MRV)
		if reach != nil {
			hi = min(hi, reach[m])
		}
		hi = max(hi, lo)
		target[m] = hi
		if acc > 1 {
			target[m] = lo + (hi-lo)*w/(acc-1)
		}
	}
	return target
}

// peakReach is what the peak week's fit reaches for each muscle when it
// aims at the unbounded shifted ramp: the top the earlier weeks build to.
func (a *Analysis) peakReach(tpl []tplDay) [numMuscles]int {
	acc := a.accumulationWeeks()
	var keep [numMuscles]int
	for m := range numMuscles {
		keep[m] = a.Muscles[m].PeakFloor
	}
	sets := a.fitSets(tpl, a.shiftedTargets(tpl, acc-1, nil), keep, true)
	var out [numMuscles]int
	for d, td := range tpl {
		for i, te := range td.exs {
			if te.c == nil {
				continue
			}
			for _, p := range te.c.primary {
				if p >= 0 {
					out[p] += sets[d][i]
				}
			}
		}
	}
	return out
}

// expandWeeks fills weeks with the accumulation weeks of the template.
func (a *Analysis) expandWeeks(tpl []tplDay, reach *[numMuscles]int, weeks []Week) {
	var first [numMuscles]int
	for w := range weeks {
		weeks[w] = a.expandWeek(tpl, w, &first, reach)
		if w == 0 {
			first = tallyWeek(&weeks[0]).direct
		}
	}
}

// allowSingles lets the early weeks give a growing muscle's accessories a
// single set when time is short and 2 sets each left accumulation weeks
// repeating one another: week 1 started too close to what the peak holds
// (DOMAIN.md: a single set only when time is genuinely short). It reports
// whether it changed the template.
func (a *Analysis) allowSingles(tpl []tplDay, reach *[numMuscles]int, weeks []Week) bool {
	acc := len(weeks)
	repeats := false
	for w := 1; w < acc; w++ {
		repeats = repeats || sameSets(&weeks[w-1], &weeks[w])
	}
	if !repeats || !a.timeIsShort() {
		return false
	}
	first := tallyWeek(&weeks[0]).direct
	// Repeated weeks are a fault only while some muscle still builds: the
	// ones the time note will name as held steady do not.
	var held []string
	if a.timeBound {
		held = stalledMuscles(a, &Program{Weeks: weeks})
	}
	building := false
	for m := range numMuscles {
		building = building || (a.Muscles[m].Priority != PriorityMaintain && first[m] > 0 && !slices.Contains(held, Muscles[m]))
	}
	if !building {
		return false
	}
	changed := false
	for d := range tpl {
		for i := range tpl[d].exs {
			te := &tpl[d].exs[i]
			if i == 0 || te.c == nil || te.c.primary[1] >= 0 {
				continue
			}
			m := te.c.primary[0]
			if a.Muscles[m].Priority != PriorityMaintain && reach[m]-first[m] < acc-1 {
				te.least, changed = 1, true
			}
		}
	}
	return changed
}

// timeIsShort reports whether the plan says the time budget is short, the
// one case where single sets are acceptable.
func (a *Analysis) timeIsShort() bool {
	return slices.ContainsFunc(a.Warnings, func(w string) bool { return strings.HasPrefix(w, timeShortPrefix) })
}

// expandWeek builds accumulation week w (0-based) from the template; first
// is week 1's direct sets once it is built, reach what the peak week reaches.
func (a *Analysis) expandWeek(tpl []tplDay, w int, first, reach *[numMuscles]int) Week {
	target := a.shiftedTargets(tpl, w, reach)
	// A growing muscle that week 1 already gave more than its ramp (glutes
	// carried by squats and hinges) still gains a set a week from there,
	// up to the top of its MAV: identical weeks are no progression.
	// keep is what the balance may not take a muscle below: its floor,
	// and for a growing muscle a set a week more than week 1.
	var keep [numMuscles]int
	lastAcc := w == a.accumulationWeeks()-1
	for m := range numMuscles {
		mp := &a.Muscles[m]
		keep[m] = mp.Floor
		if lastAcc {
			keep[m] = mp.PeakFloor
		}
		if w > 0 && mp.Priority != PriorityMaintain && first[m] > 0 {
			grown := min(first[m]+w, mp.Landmarks.MAVHigh)
			target[m] = max(target[m], grown)
			keep[m] = max(keep[m], grown)
		}
	}
	sets := a.fitSets(tpl, target, keep, lastAcc)
	rir := a.WeekRIR[w]
	week := Week{Week: w + 1, Phase: PhaseAccumulation, TargetRIR: rir, Days: make([]Day, len(tpl))}
	for d, td := range tpl {
		day := Day{Day: d + 1, Label: td.label, Exercises: make([]ProgramExercise, 0, len(td.exs))}
		for i, te := range td.exs {
			x := cloneExercise(te.x)
			x.Sets = sets[d][i]
			x.TargetRIR = rir
			// DOMAIN.md: 3 → 2 → 1, then 0 on safe isolations in the last
			// week; beginners stay at 1, they are still learning the lifts.
			if c := te.c; c != nil {
				if lastAcc && !c.isCompound() && a.Input.Experience != LevelBeginner {
					x.TargetRIR = 0
				}
				if c.CanPin || c.isCompound() {
					x.TargetRIR = max(x.TargetRIR, 1)
				}
				if a.sparesElbow(c) {
					x.TargetRIR = max(x.TargetRIR, elbowRIRFloor)
				}
			}
			day.Exercises = append(day.Exercises, x)
		}
		day.EstimatedMinutes = estimateMinutes(day.Exercises)
		week.Days[d] = day
	}
	return week
}

// cloneExercise copies an exercise with its own lists.
func cloneExercise(x ProgramExercise) ProgramExercise {
	x.Equipment, x.PrimaryMuscles, x.SecondaryMuscles = slices.Clone(x.Equipment), slices.Clone(x.PrimaryMuscles), slices.Clone(x.SecondaryMuscles)
	return x
}

// fitter holds one week's set counts while they are fitted to targets.
type fitter struct {
	a      *Analysis
	tpl    []tplDay
	sets   [][]int
	direct [numMuscles]int
	perDay [][numMuscles]int
	keep   [numMuscles]int // the least each muscle may be balanced down to
	// mainWant is, at a strength block's peak, each main-lift pattern's
	// weekly sets, which no trim of the week takes its main lifts below.
	mainWant map[string]int
}

// fitSets moves the template's sets towards the week's targets: a muscle
// over its target loses sets from its largest exercise (never below 2, or
// the template's 1, and never taking another prime mover under its own
// target); a muscle under it gains sets on its smallest exercise while that
// stays at 5 sets or fewer, the other prime movers within MRV, the session
// within 12 direct sets for the muscle and the day within its time limit.
func (a *Analysis) fitSets(tpl []tplDay, target, keep [numMuscles]int, peak bool) [][]int {
	f := &fitter{a: a, tpl: tpl, sets: make([][]int, len(tpl)), perDay: make([][numMuscles]int, len(tpl)), keep: keep}
	if peak && a.heldToMainLiftVolume() {
		f.mainWant = a.mainLiftWant()
	}
	for d, td := range tpl {
		f.sets[d] = make([]int, len(td.exs))
		for i, te := range td.exs {
			f.sets[d][i] = min(max(te.sets, 1), maxSetsPerExercise)
			f.book(d, i, f.sets[d][i])
		}
	}
	for _, m := range a.fitOrder() {
		for f.direct[m] > target[m] && f.takeSet(m, target) {
		}
		// Glutes blocked by the hams:quads balance grow once the
		// hamstrings have a set more.
		for f.direct[m] < target[m] && (f.giveSet(m) || (m == mGlutes && f.giveSet(mHamstrings) && f.giveSet(m))) {
		}
	}
	f.balance()
	return f.sets
}

// balance keeps the week's pulling at 0.8 × pushing or more and the
// hamstrings at half the quads or more (DOMAIN.md's balance warnings) by
// giving the short side sets its template has room for, within MRV.
func (f *fitter) balance() {
	for _, m := range []int{mBack, mRearDelts} {
		for f.pullDeficit() > 0 && f.direct[m] < f.a.Muscles[m].Landmarks.MRV && f.giveSet(m) {
		}
	}
	// Pulling that cannot rise (full days, no more pulls) is met by less
	// pressing, never below a muscle's floor or its weekly progression.
	for f.pullDeficit() > 0 && f.takePush() {
	}
	for 2*f.direct[mHamstrings] < f.direct[mQuads] && f.direct[mHamstrings] < f.a.Muscles[mHamstrings].Landmarks.MRV && f.giveSet(mHamstrings) {
	}
}

// pullDeficit is how many pulling sets the week lacks for 0.8 × pushing.
func (f *fitter) pullDeficit() int {
	push, pull := f.pushPull()
	return ceilShare(push, pullPushNum, pullPushDen) - pull
}

// pushPull counts the week's pushing and pulling sets by pattern.
func (f *fitter) pushPull() (push, pull int) {
	for d, td := range f.tpl {
		for i, te := range td.exs {
			switch {
			case te.c == nil:
			case slices.Contains(pushPatterns, te.c.Pattern):
				push += f.sets[d][i]
			case slices.Contains(pullPatterns, te.c.Pattern):
				pull += f.sets[d][i]
			}
		}
	}
	return push, pull
}

// fitOrder is the plan's allocation order, or muscle order without a plan.
func (a *Analysis) fitOrder() []int {
	if a.plan != nil {
		return a.plan.order
	}
	out := make([]int, numMuscles)
	for m := range out {
		out[m] = m
	}
	return out
}

// book adds n sets of template exercise (d, i) to the tallies.
func (f *fitter) book(d, i, n int) {
	c := f.tpl[d].exs[i].c
	if c == nil {
		return
	}
	for _, p := range c.primary {
		if p >= 0 {
			f.direct[p] += n
			f.perDay[d][p] += n
		}
	}
}

// takeSet removes one set of m from its largest exercise that may lose one;
// in a strength block the accessories give theirs before a main lift does.
func (f *fitter) takeSet(m int, target [numMuscles]int) bool {
	return f.takeLargest(func(te *tplExercise, sets int) bool {
		return te.c.hasPrimary(m) && sets > min(te.least, te.sets)
	}, &target, m)
}

// takeLargest removes one set from the largest template exercise that may
// lose one, keeping every prime mover but spare (-1: none) at or above
// floor, and reports whether it did. A strength block's main lift at its
// weekly sets never loses one, and its accessories lose theirs first.
func (f *fitter) takeLargest(may func(te *tplExercise, sets int) bool, floor *[numMuscles]int, spare int) bool {
	bd, bi := -1, -1
	for d, td := range f.tpl {
		for i := range td.exs {
			te := &td.exs[i]
			if te.c == nil || !may(te, f.sets[d][i]) || f.mainLiftAtWant(te.c) {
				continue
			}
			if bd >= 0 && f.keepsFirst(d, i, bd, bi) {
				continue
			}
			ok := true
			for _, p := range te.c.primary {
				if p >= 0 && int(p) != spare && f.direct[p]-1 < floor[p] {
					ok = false
				}
			}
			if ok {
				bd, bi = d, i
			}
		}
	}
	if bd < 0 {
		return false
	}
	f.sets[bd][bi]--
	f.book(bd, bi, -1)
	return true
}

// giveSet adds one set of m to its smallest exercise that may take one.
func (f *fitter) giveSet(m int) bool {
	a := f.a
	if a.Muscles != nil && f.direct[m] >= a.Muscles[m].Landmarks.MRV {
		return false
	}
	bd, bi := -1, -1
	for d, td := range f.tpl {
		if f.perDay[d][m] >= maxSessionSets {
			continue
		}
		for i, te := range td.exs {
			if te.c == nil || !te.c.hasPrimary(m) || f.sets[d][i] >= coachMaxSets {
				continue
			}
			if bd >= 0 && f.sets[d][i] >= f.sets[bd][bi] {
				continue
			}
			ok := true
			for _, p := range te.c.primary {
				if p >= 0 && int(p) != m && f.direct[p]+1 > a.Muscles[p].Landmarks.MRV {
					ok = false
				}
			}
			// Glutes grown through squats must not tip the quads past twice
			// the hamstrings (DOMAIN.md's balance warning).
			if m != mQuads && te.c.hasPrimary(mQuads) && 2*f.direct[mHamstrings] < f.direct[mQuads]+1 {
				ok = false
			}
			if !ok {
				continue
			}
			f.sets[d][i]++
			fits := f.dayMinutes(d) <= a.MaxDayMinutes
			f.sets[d][i]--
			if fits {
				bd, bi = d, i
			}
		}
	}
	if bd < 0 {
		return false
	}
	f.sets[bd][bi]++
	f.book(bd, bi, 1)
	// A pushing set that leaves pulling under 0.8 × pushing stays only
	// with the pulling set it needs; the balance may later find no day
	// with time for it.
	if slices.Contains(pushPatterns, f.tpl[bd].exs[bi].c.Pattern) && f.pullDeficit() > 0 && !f.givePull() {
		f.sets[bd][bi]--
		f.book(bd, bi, -1)
		return false
	}
	return true
}

// givePull gives one pulling set (back, then rear delts) within MRV.
func (f *fitter) givePull() bool {
	for _, m := range []int{mBack, mRearDelts} {
		if f.direct[m] < f.a.Muscles[m].Landmarks.MRV && f.giveSet(m) {
			return true
		}
	}
	return false
}

// dayMinutes estimates template day d at the current set counts.
func (f *fitter) dayMinutes(d int) float64 {
	exs := f.tpl[d].exs
	return sessionMinutes(len(exs), func(i int) (*CatalogueExercise, int, int) {
		return exs[i].c, f.sets[d][i], exs[i].x.RestSeconds
	})
}

// deloadShare is the most of a muscle's (and the week's) sets a deload
// keeps: Bell et al. 2022 describe about half, DOMAIN.md's rule is ≤ 60 %.
const deloadShare = 0.6

// deloadCap is the most direct sets muscle m may keep in the deload when it
// had prev the week before: lighter for every muscle, not only in total.
func deloadCap(prev int) int {
	// A single set is the least a kept exercise can have.
	if prev <= 1 {
		return 1
	}
	return max(1, int(deloadShare*float64(prev)))
}

// expandDeload halves the last accumulation week (at least 1 set per
// exercise) at the deload RIR, then drops single sets until every muscle
// and the week as a whole are within their deload caps, never emptying a day.
func (a *Analysis) expandDeload(prev *Week) Week {
	rir := a.WeekRIR[a.Weeks-1]
	week := Week{Week: a.Weeks, Phase: PhaseDeload, TargetRIR: rir, Days: make([]Day, len(prev.Days))}
	for d, pd := range prev.Days {
		day := Day{Day: pd.Day, Label: pd.Label, Exercises: make([]ProgramExercise, len(pd.Exercises))}
		for i, x := range pd.Exercises {
			x = cloneExercise(x)
			x.Sets = max(1, x.Sets/2)
			x.TargetRIR = rir
			x.Notes = deloadNote
			day.Exercises[i] = x
		}
		week.Days[d] = day
	}
	trimDeload(&week, prev)
	for d := range week.Days {
		week.Days[d].EstimatedMinutes = estimateMinutes(week.Days[d].Exercises)
	}
	return week
}

// deloadNote is the cue every deload exercise carries.
const deloadNote = "Deload: same weights or slightly lighter, half the sets, stop well short of failure."

// trimDeload removes sets, then single-set exercises from the end of a day
// (never a day's only exercise), until the deload is within its caps.
func trimDeload(week, prev *Week) {
	pt := tallyWeek(prev)
	prevTotal := totalSets(prev)
	over := func(x *ProgramExercise) bool {
		t := tallyWeek(week)
		primary, _ := exerciseMuscles(x)
		for _, p := range primary {
			if t.direct[p] > deloadCap(pt.direct[p]) {
				return true
			}
		}
		return false
	}
	totalOver := func() bool { return float64(totalSets(week)) > deloadShare*float64(prevTotal) }
	for d := len(week.Days) - 1; d >= 0; d-- {
		exs := week.Days[d].Exercises
		for i := len(exs) - 1; i >= 0; i-- {
			for exs[i].Sets > 1 && over(&exs[i]) {
				exs[i].Sets--
			}
			if len(exs) > 1 && (over(&exs[i]) || (totalOver() && exs[i].Sets == 1)) {
				exs = slices.Delete(exs, i, i+1)
			}
		}
		week.Days[d].Exercises = exs
	}
}

// keepsFirst reports whether template exercise (d, i) should keep its sets
// before (bd, bi) does: a strength block's main lift after its accessories
// (DOMAIN.md: strength builds on the main lifts), otherwise the smaller one.
func (f *fitter) keepsFirst(d, i, bd, bi int) bool {
	if f.a.heldToMainLiftVolume() {
		x, y := isMainLift(f.tpl[d].exs[i].c), isMainLift(f.tpl[bd].exs[bi].c)
		if x != y {
			return x
		}
	}
	// Of two equally large exercises the stop-gap loses first.
	return f.sets[d][i] < f.sets[bd][bi] || f.sets[d][i] == f.sets[bd][bi] && f.tpl[d].exs[i].c.Quality <= f.tpl[bd].exs[bi].c.Quality
}

// mainLiftAtWant reports whether c is a main lift whose pattern has no set
// above its weekly sets at a strength block's peak (f.mainWant).
func (f *fitter) mainLiftAtWant(c *CatalogueExercise) bool {
	want, ok := f.mainWant[c.Pattern]
	if !ok || !isMainLift(c) {
		return false
	}
	n := 0
	for d, td := range f.tpl {
		for i, te := range td.exs {
			if te.c != nil && te.c.Pattern == c.Pattern && isMainLift(te.c) {
				n += f.sets[d][i]
			}
		}
	}
	return n <= want
}

// takePush removes one set from the largest pushing exercise whose prime
// movers all stay at or above what they must keep, and reports whether it did.
func (f *fitter) takePush() bool {
	return f.takeLargest(func(te *tplExercise, sets int) bool {
		return slices.Contains(pushPatterns, te.c.Pattern) && sets > coachMinSets
	}, &f.keep, -1)
}
