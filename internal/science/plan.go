package science

import (
	"fmt"
	"slices"
	"strings"
)

// Muscle statuses while planning. Indirect is internal: the program exports
// such a muscle as maintain, and the validator holds it to a floor of 0.
const (
	statusGrow = iota
	statusEmphasize
	statusMaintain
	statusIndirect
	// statusMinimal is a big muscle below MV: only when even MV does not
	// fit the sessions under the revised time model (two 30-minute days).
	statusMinimal
)

// muscleState is one muscle's ramp while the plan is being fitted.
type muscleState struct {
	status int
	l      Landmarks
	start  int // week-1 direct sets (grow, emphasize)
	acc    int // accumulation weeks
	full   int // untrimmed peak
	peak   int // peak after trimming
	hold   int // maintain: steady weekly sets when above MV (0: MV)
	least  int // a strength block's main lifts: the fewest peak sets any trim leaves
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
		return max(ms.l.MV, ms.hold)
	case statusMinimal:
		return minimalSets(ms.l)
	default:
		// An even ramp from start to peak: with peak − start between
		// acc − 1 and 2(acc − 1), every week adds 1–2 sets.
		if ms.acc <= 1 {
			return ms.peak
		}
		return ms.start + ((ms.peak-ms.start)*w+(ms.acc-1)/2)/(ms.acc-1)
	}
}

// slowPeak is the least peak that still adds a set every week.
func (ms *muscleState) slowPeak() int {
	return min(ms.full, ms.start+ms.acc-1)
}

// minimalSets is half of MV, rounded up: what a big muscle keeps when even
// MV does not fit.
func minimalSets(l Landmarks) int { return (l.MV + 1) / 2 }

// floor returns the fewest direct sets the validator accepts: DOMAIN.md's
// [MEV, MRV] for grow, MV for maintain, nothing for indirect, and for
// emphasize MEV in early weeks and the bottom of MAV at the peak.
func (ms *muscleState) floor(peak bool) int {
	switch ms.status {
	case statusIndirect:
		return 0
	case statusMaintain:
		return ms.l.MV
	case statusMinimal:
		return minimalSets(ms.l)
	case statusEmphasize:
		if peak {
			return min(emphasisPeakFloor(ms.l), ms.full)
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
	stepMinimal
	stepDeemphasizeGrow
	stepHoldMEV
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
		steps = append(steps, trimStep{kind: stepHoldMEV, m: m}, trimStep{kind: stepDemote, m: m})
	}
	for _, m := range indirectOrder {
		steps = append(steps, trimStep{kind: stepIndirect, m: m})
	}
	for i := len(weak) - 1; i >= 0; i-- {
		if m := muscleIndex(weak[i]); m >= 0 {
			// Emphasis → a plain +1-a-week ramp from MEV → steady at MEV
			// → maintain →
			// indirect: each a smaller cut than dropping straight to MV,
			// so the time given is used.
			steps = append(steps, trimStep{kind: stepDeemphasizeGrow, m: m}, trimStep{kind: stepHoldMEV, m: m},
				trimStep{kind: stepDeemphasize, m: m}, trimStep{kind: stepIndirect, m: m})
		}
	}
	for _, m := range []int{mGlutes, mHamstrings, mChest, mBack, mQuads} {
		steps = append(steps, trimStep{kind: stepMinimal, m: m})
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
					ms.peak = max(ms.slowPeak(), ms.start+int(st.frac*float64(ms.full-ms.start)))
				}
			}
		case stepFlatten:
			// The slowest ramp that is still a progression: +1 a week.
			if ms := &s.m[st.m]; ms.status == statusGrow {
				ms.peak = ms.slowPeak()
			}
		case stepEmphFrac:
			for m := range s.m {
				if ms := &s.m[m]; ms.status == statusEmphasize {
					lo := max(min(ms.full, emphasisPeakFloor(ms.l)), ms.slowPeak())
					ms.peak = lo + int(st.frac*float64(ms.full-lo))
				}
			}
		case stepDemote:
			if ms := &s.m[st.m]; ms.status == statusGrow || (ms.status == statusMaintain && ms.hold > 0) {
				ms.status, ms.hold = statusMaintain, 0
			}
		case stepIndirect:
			if ms := &s.m[st.m]; ms.status == statusMaintain && !isBigMuscle(st.m) {
				ms.status = statusIndirect
			}
		case stepDeemphasizeGrow:
			if ms := &s.m[st.m]; ms.status == statusEmphasize {
				ms.status = statusGrow
				ms.start = min(max(ms.l.MEV, coachMinSets), ms.l.MAVHigh)
				ms.full = min(ms.start+ms.acc-1, ms.l.MAVHigh)
				ms.peak = ms.full
			}
		case stepHoldMEV:
			if ms := &s.m[st.m]; ms.status == statusGrow {
				ms.status, ms.hold = statusMaintain, ms.l.MEV
			}
		case stepDeemphasize:
			if ms := &s.m[st.m]; ms.status == statusEmphasize || ms.status == statusGrow || ms.status == statusMaintain {
				ms.status, ms.hold = statusMaintain, 0
			}
		case stepMinimal:
			if ms := &s.m[st.m]; ms.status == statusMaintain && isBigMuscle(st.m) && ms.l.MV > 1 {
				ms.status = statusMinimal
			}
		}
	}
	for m := range s.m {
		s.m[m].keepLeast()
	}
	return s
}

// fit finds the first trim stage whose layout fits the days, records it and
// writes the muscle plans and warnings. Stage 0 (no trim) fits most inputs;
// otherwise a binary search over the stages keeps Analyze fast, relying on
// each stage needing no more time than the one before.
func (a *Analysis) fit(base planState) {
	if a.heldToMainLiftVolume() {
		base = a.capToRoom(base)
	}
	steps := a.fitSteps(base)
	try := func(k int) (planState, *layout, bool) {
		s := apply(base, steps[:k])
		l, ok := a.layout(&s)
		return s, l, ok
	}
	s, l, ok := try(0)
	a.untrimmedWhy = l.why
	if !ok && l.unbalanced {
		// Pressing the days cannot balance with pulling: relieve the
		// pushing weak points first rather than trimming every muscle.
		var relief []trimStep
		for _, m := range []int{mChest, mFrontDelts, mTriceps} {
			if base.m[m].status == statusEmphasize {
				relief = append(relief, trimStep{kind: stepDeemphasizeGrow, m: m})
			}
		}
		steps = append(relief, steps...)
	}
	hi := 0
	if !ok {
		lo := 0
		hi = len(steps)
		var last bool
		s, l, last = try(hi)
		// Later stages can fail where earlier ones fit (too little volume
		// leaves a day empty): search down for the last stage that fits.
		for k := hi - 1; !last && k > 0; k-- {
			if ks, kl, kok := try(k); kok {
				hi, s, l, last = k, ks, kl, true
			}
		}
		if !last {
			// Even the last stage does not fit (two 30-minute sessions):
			// lay out compactly, each muscle on as few days as its sets
			// allow, which saves changeovers and ramp-up sets.
			a.compact = true
			s, l, _ = try(hi)
		}
		for hi-lo > 1 {
			mid := (lo + hi) / 2
			if ms, ml, mok := try(mid); mok {
				hi, s, l = mid, ms, ml
			} else {
				lo = mid
			}
		}
	}
	// The compromise is time's fault only when the stage before the chosen
	// one failed on time alone.
	if !ok {
		_, prev, _ := try(max(hi-1, 0))
		a.timeBound = prev.overTime || a.compact
		if !a.compact {
			// A stage trims every muscle it names; give back, muscle by
			// muscle, what the days still have room and time for, so only
			// the muscle that really overflows stays trimmed.
			s, l, a.timeBound = a.restore(base, s, l)
		}
	}
	// Muscles no session had room for are covered by compounds by design,
	// not for lack of time.
	for _, m := range l.capped {
		s.m[m].status, base.m[m].status = statusIndirect, statusIndirect
		a.covered = append(a.covered, Muscles[m])
	}
	a.plan = l
	a.stateUsed = s
	a.baseState = base
	a.writeMusclePlans(base, s)
}

// fitSteps is base's trim order: DOMAIN.md's, injured muscles first,
// without the steps that would trim a strength block's overhead press.
func (a *Analysis) fitSteps(base planState) []trimStep {
	steps := injuryTrimOrder(trimSteps(a.Input.WeakPoints), a.Input.Injuries)
	if base.m[mFrontDelts].status == statusGrow && a.Input.Goal == GoalStrength {
		// The overhead press is a strength block's main lift; its sets
		// are not the time budget's to trim.
		steps = slices.DeleteFunc(steps, func(st trimStep) bool {
			return st.m == mFrontDelts && st.kind != stepGrowFrac && st.kind != stepEmphFrac
		})
	}
	return steps
}

// compromises groups the muscles whose plan fell short of what was asked,
// by how: each group becomes one plain sentence.
type compromises struct {
	deemphasized, maintained, steady, indirect, minimal []string
}

// writeMusclePlans exports the fitted state and explains every compromise
// in at most three plain sentences, each naming the muscles concerned.
func (a *Analysis) writeMusclePlans(base, s planState) {
	var c compromises
	a.Muscles = make([]MusclePlan, numMuscles)
	for m := range numMuscles {
		a.Muscles[m] = a.exportPlan(m, &s.m[m], &c)
		c.add(m, base.m[m].status, &s.m[m])
	}
	for _, m := range a.supplyDeemphasized {
		if ms := &s.m[m]; ms.status == statusIndirect || ms.target(ms.acc-1) == 0 {
			// The time budget left it no direct work either: the weak
			// point is plainly not emphasised, for want of time.
			c.deemphasized = append(c.deemphasized, Muscles[m])
			continue
		}
		a.Warnings = append(a.Warnings, sayMuscle(
			"Your {m} {is|are} a weak point, but the exercises your equipment and injuries allow cannot take the extra sets a weak point gets, so {it grows|they grow} with the rest this block.", m))
	}
	a.writeCompromises(c, s)
}

// exportPlan is the exported plan of muscle m: landmarks, weekly targets
// (the deload half the last accumulation week) and priority. Emphasised
// muscles are listed in a.Emphasized, minimal ones in c.minimal.
func (a *Analysis) exportPlan(m int, ms *muscleState, c *compromises) MusclePlan {
	acc := a.accumulationWeeks()
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
	case statusMinimal:
		mp.Priority = PriorityMaintain
		c.minimal = append(c.minimal, Muscles[m])
	default:
		mp.Priority = PriorityMaintain
		mp.Indirect = true
	}
	return mp
}

// add files muscle m under the compromise that took it from its planned
// status was to its fitted state ms, if any.
func (c *compromises) add(m, was int, ms *muscleState) {
	switch {
	case was == ms.status || was == statusIndirect:
	case was == statusEmphasize:
		c.deemphasized = append(c.deemphasized, Muscles[m])
		if ms.status == statusIndirect {
			c.indirect = append(c.indirect, Muscles[m])
		}
	case ms.status == statusMinimal:
	case ms.status == statusIndirect || (ms.l.MV == 0 && !isBigMuscle(m) && ms.target(0) == 0):
		// A small muscle held at its MV of 0 gets no direct work; one held
		// steady at its MEV still does, and is not "no room for direct work".
		c.indirect = append(c.indirect, Muscles[m])
	default:
		if ms.hold >= ms.l.MEV && ms.hold > ms.l.MV {
			c.steady = append(c.steady, Muscles[m])
		} else {
			c.maintained = append(c.maintained, Muscles[m])
		}
	}
}

// writeCompromises turns the compromises into warnings. It says "time is
// short" only when time was what forced them; otherwise it names what did
// (8 exercises a session, recoverable volume, the exercises the equipment
// and injuries leave).
func (a *Analysis) writeCompromises(c compromises, s planState) {
	short := fmt.Sprintf("%d sessions of %d minutes", a.Input.DaysPerWeek, a.Input.SessionMinutes)
	why := timeShortPrefix + ": with " + short + ","
	if !a.timeBound {
		why = "To keep each session to 8 exercises or fewer with the exercises your equipment and injuries allow,"
		if !a.sessionsFull(c) {
			why = "With the exercises your equipment and injuries allow, at most 5 sets each,"
		}
	}
	switch {
	case len(c.deemphasized) > 0 && a.timeBound:
		a.Warnings = append(a.Warnings, fmt.Sprintf(
			"%s cannot fund extra work for %s on top of the basics, so they are not emphasised this block; more days or longer sessions would allow it.",
			capitalize(short), joinMuscles(c.deemphasized)))
	case len(c.deemphasized) > 0:
		// Time was not the limit: say what was, never "more time".
		a.Warnings = append(a.Warnings, fmt.Sprintf(
			"%s there is no room for extra work for %s on top of the basics, so they are not emphasised this block.",
			why, joinMuscles(c.deemphasized)))
	}
	if len(c.maintained) > 0 {
		a.Warnings = append(a.Warnings, a.heldSentence(why, c.maintained, s))
	}
	if len(c.steady) > 0 {
		a.Warnings = append(a.Warnings, sayMuscles("%s {m} {gets|get} a steady number of sets this block, as many as the sessions have room for, instead of a rising one.",
			c.steady, why))
	}
	if len(c.minimal) > 0 {
		a.Warnings = append(a.Warnings, sayMuscles(
			"%s {m} {gets|get} only a few hard sets a week once warm-up sets and full rests are counted; more days or longer sessions would fix it.",
			c.minimal, why))
	}
	if len(c.indirect) > 0 {
		a.Warnings = append(a.Warnings, sayMuscles(
			"%s there is no room for direct {m} work; {it still works|they still work} in the compound lifts this block.",
			c.indirect, why))
	}
}

// sessionsFull reports whether a day that trains one of the compromised
// muscles directly holds 8 exercises (or, with 4+ days, 6 muscles): only
// then is the exercise cap what holds them, rather than the few exercises
// equipment and injuries leave.
func (a *Analysis) sessionsFull(c compromises) bool {
	if a.plan == nil {
		return true
	}
	var names []string
	names = append(names, c.maintained...)
	names = append(names, c.steady...)
	names = append(names, c.indirect...)
	names = append(names, c.minimal...)
	names = append(names, c.deemphasized...)
	cat := catalogue().list
	for d, day := range a.plan.days {
		var trained [numMuscles]bool
		n := 0
		for _, sl := range day {
			for _, p := range cat[sl.ex].primary {
				if p >= 0 && !trained[p] {
					trained[p], n = true, n+1
				}
			}
		}
		full := len(day) >= maxExercisesPerDay || (a.Input.DaysPerWeek > strengthMinDays && n >= maxMusclesPerSession)
		for _, name := range names {
			if m := muscleIndex(name); full && slices.Contains(a.Split.Days[d].muscles, m) {
				return true
			}
		}
	}
	return false
}

// restore walks the muscles in allocation order and raises each trimmed one
// back towards its untrimmed ramp (full ramp, a +1-a-week ramp, steady at
// MEV), keeping the first raise whose layout still fits. It returns the
// raised state and layout and whether a raise failed on time alone, which
// is when a "time is short" warning is true.
func (a *Analysis) restore(base, s planState, l *layout) (planState, *layout, bool) {
	var short [numMuscles]bool
	faults := -1
	order := l.order
	// Further passes retry the muscles still held: the raises of the
	// muscles after them may have left the days room they lacked before.
	for pass, raised := 0, true; pass < 3 && raised; pass++ {
		raised = false
		for _, m := range order {
			if s.m[m] == base.m[m] {
				continue
			}
			short[m] = false
			for _, c := range raises(&base.m[m], &s.m[m]) {
				t := s
				t.m[m] = c
				tl, ok := a.layout(&t)
				if !ok {
					// The days as they are may still have room for the raise.
					var late bool
					if tl, ok, late = a.extendLayout(&t, l, m); !ok {
						short[m] = short[m] || late
						continue
					}
				}
				// The peak week fits; the weeks fitted down from it must
				// still progress and balance, or the raise is not worth it.
				if faults < 0 {
					faults = a.trialFaults(base, s, l)
				}
				if f := a.trialFaults(base, t, tl); f <= faults {
					s, l, faults, raised = t, tl, f, true
					break
				}
			}
		}
	}
	return s, l, slices.Contains(short[:], true)
}

// raiseGuards are the standard's warnings a raise may not add: progression,
// balance, emphasis days, beginner-sized lists, the leg curl, muscles and
// sets per session, order, quality, the strength lifts, and a week-to-week
// jump the smoothing cannot level (a raise may make the fitted weeks jump).
var raiseGuards = []string{
	RuleProgression, RulePullPushRatio, RuleHamsQuadsRatio, RuleEmphasis, RuleBeginnerExercises,
	RuleKneeFlexion, RuleMusclesPerSession, RuleSetCount, RuleOrder, RuleQuality, RuleStrength, RuleVolumeJump,
}

// trialFaults generates the program a fitted state would give and counts
// its errors and the findings of raiseGuards.
func (a *Analysis) trialFaults(base, s planState, l *layout) int {
	b := *a
	b.Warnings = slices.Clone(a.Warnings)
	b.Emphasized = []string{}
	b.covered = slices.Clone(a.covered)
	for _, m := range l.capped {
		s.m[m].status, base.m[m].status = statusIndirect, statusIndirect
	}
	b.plan, b.stateUsed, b.baseState = cloneLayout(l), s, base
	b.writeMusclePlans(base, s)
	b.Rationale, b.trial = "trial", true
	n := 0
	for _, f := range Validate(b, Expand(b, b.BuiltinBlueprint())) {
		if f.Severity == SeverityError || slices.Contains(raiseGuards, f.Rule) {
			n++
		}
	}
	return n
}

// cloneLayout copies a layout's days, which generating a program reorders.
func cloneLayout(l *layout) *layout {
	c := *l
	c.days = make([][]layoutSlot, len(l.days))
	for d := range l.days {
		c.days[d] = slices.Clone(l.days[d])
	}
	return &c
}

// raises lists the ramps a trimmed muscle may get back, most generous
// first, each more than it has now.
func raises(base, cur *muscleState) []muscleState {
	var out []muscleState
	if base.status == statusIndirect {
		return out
	}
	out = append(out, *base)
	if base.status == statusGrow || base.status == statusEmphasize {
		// Every peak between the full ramp and the slowest one that still
		// progresses (for a weak point, the least peak it may have), so a
		// muscle gets back all the sets the days have room for.
		low := base.slowPeak()
		if base.status == statusEmphasize {
			low = max(low, base.floor(true))
		}
		for p := base.peak - 1; p >= low; p-- {
			c := *base
			c.peak = p
			out = append(out, c)
		}
	}
	if base.status == statusEmphasize {
		// A weak point the days cannot emphasise still grows as fast as
		// they allow, from MEV (the trim's de-emphasis, finer) or, for a
		// peak 2 sets a week cannot reach from there, from higher up.
		g := *base
		g.status, g.start = statusGrow, min(max(base.l.MEV, coachMinSets), base.l.MAVHigh)
		low := g.start
		for p := min(max(base.peak, g.start+2*(g.acc-1)), base.l.MAVHigh); p >= low+g.acc-1; p-- {
			g.full, g.peak, g.start = p, p, max(low, p-2*(g.acc-1))
			out = append(out, g)
		}
	}
	// Then steady doses, from just under the ramp's peak down to just over
	// MV: all the sets the days have room for when no rising ramp fits.
	// A muscle that already rises keeps rising: a steady dose, however
	// large, is no raise of a progression.
	rising := cur.status == statusGrow || cur.status == statusEmphasize
	for h := base.target(base.acc-1) - 1; h > base.l.MV && !rising; h-- {
		steady := *base
		steady.status, steady.hold = statusMaintain, h
		out = append(out, steady)
	}
	if cur.status == statusIndirect || cur.status == statusMinimal {
		mv := *base
		mv.status, mv.hold = statusMaintain, 0
		out = append(out, mv)
	}
	// Only raises: a candidate no larger at the peak than now is dropped.
	peak := cur.acc - 1
	return slices.DeleteFunc(out, func(c muscleState) bool {
		return c.target(peak) < cur.target(peak) || (c.target(peak) == cur.target(peak) && c.target(0) <= cur.target(0))
	})
}

// heldSentence tells the lifter in plain words (never "maintenance volume",
// DOMAIN.md) what the muscles held steady get and why: "calves keep 6 sets
// a week this block, enough to hold what you have; there is no time to grow
// them in 60-minute sessions". A beginner grows from small doses, so the
// sentence does not promise mere holding.
func (a *Analysis) heldSentence(why string, held []string, s planState) string {
	var parts, compoundOnly []string
	for _, name := range held {
		m := muscleIndex(name)
		switch n := s.m[m].target(0); {
		case n == 0:
			compoundOnly = append(compoundOnly, name)
		case len(parts) == 0:
			parts = append(parts, sayMuscle("{m} {keeps|keep} %d", m, n))
		default:
			parts = append(parts, fmt.Sprintf("%s %d", muscleLabel(m), n))
		}
	}
	reason := fmt.Sprintf("there is no time to grow them in %d-minute sessions", a.Input.SessionMinutes)
	if !a.timeBound {
		reason = "eight exercises a session leave no room to grow them"
		if !a.sessionsFull(compromises{maintained: held}) {
			reason = "their exercises have no room for more sets"
		}
	}
	var what string
	switch {
	case len(parts) > 0 && a.Input.Experience == LevelBeginner:
		what = strings.Join(parts, ", ") + " sets a week this block, steady rather than rising"
	case len(parts) > 0:
		what = strings.Join(parts, ", ") + " sets a week this block, enough to hold what you have"
	}
	if len(compoundOnly) > 0 {
		if what != "" {
			what += ", and "
		}
		what += sayMuscles("{m} {works|work} through the compound lifts alone", compoundOnly)
	}
	return fmt.Sprintf("%s %s; %s.", why, what, reason)
}
