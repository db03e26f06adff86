package science

import (
	"fmt"
	"slices"
	"strings"
)

// Enhance repairs what can be repaired in a program: metadata and weak
// points, catalogue facts, equipment and injury swaps, out-of-range numbers,
// effort, the deload, volume per session and per week, the time budget, and
// the stored weekly volume. It returns a corrected copy (the input is never
// modified), the fixes applied, and the findings that remain; an error that
// remains cannot be fixed here and needs a new program (OK reports false).
func Enhance(a Analysis, p Program) EnhanceResult {
	if a.Muscles == nil {
		if b, err := Analyze(a.Input); err == nil {
			a = b
		}
	}
	e := enhancer{a: &a, p: cloneProgram(p), fixes: []Finding{}}
	var remaining []Finding
	// Each round can expose what the last one fixed (a merged duplicate
	// over the time limit, a filled day over a muscle's MRV); repeat until
	// no error remains or a round changes nothing.
	for round := 0; round < maxEnhanceRounds; round++ {
		fixed := len(e.fixes)
		e.round()
		remaining = Validate(a, e.p)
		if !HasErrors(remaining) || len(e.fixes) == fixed {
			break
		}
	}
	e.p.Science.Warnings = append([]string{}, a.Warnings...)
	for _, f := range remaining {
		if f.Severity == SeverityWarning && !slices.Contains(e.p.Science.Warnings, f.Explanation) {
			e.p.Science.Warnings = append(e.p.Science.Warnings, f.Explanation)
		}
	}
	for _, f := range e.fixes {
		e.p.Science.Fixes = append(e.p.Science.Fixes, f.Explanation)
	}
	return EnhanceResult{Program: e.p, Fixes: e.fixes, Remaining: remaining}
}

// EnhanceResult is what Enhance returns.
type EnhanceResult struct {
	// Program is the corrected copy.
	Program Program
	// Fixes lists every repair applied, in order.
	Fixes []Finding
	// Remaining is Validate's verdict on Program: what could not be fixed.
	Remaining []Finding
}

// OK reports whether the corrected program has no error left, so it may be stored.
func (r EnhanceResult) OK() bool { return !HasErrors(r.Remaining) }

// maxEnhanceRounds bounds the repair loop; real programs converge in one
// or two rounds.
const maxEnhanceRounds = 3

// round applies every repair once, in an order where each one's output is
// the next one's input.
func (e *enhancer) round() {
	e.structure()
	e.exercises()
	e.mergeDuplicates()
	e.fillEmptyDays()
	e.effort()
	e.deload()
	e.sessionVolume()
	e.weeklyVolume()
	e.timeBudget()
	// Volume and time repairs change the last accumulation week and add
	// exercises at the week's RIR: re-check the deload and the effort.
	e.deload()
	e.deloadPerMuscle()
	e.effort()
	e.rationale()
	e.bookkeeping()
}

// enhancer accumulates fixes on its own copy of a program.
type enhancer struct {
	a     *Analysis
	p     Program
	fixes []Finding
}

func (e *enhancer) fix(rule string, week, day, ex int, muscle, msg, expl string) {
	e.fixes = append(e.fixes, Finding{Rule: rule, Severity: ruleSeverity(rule), Week: week, Day: day, Exercise: ex, Muscle: muscle, Message: msg, Explanation: expl})
}

// cloneProgram deep-copies a program so Enhance never touches its input.
func cloneProgram(p Program) Program {
	c := p
	strs := func(s []string) []string { return append([]string{}, s...) }
	c.Weeks = make([]Week, len(p.Weeks))
	for wi, w := range p.Weeks {
		c.Weeks[wi] = w
		c.Weeks[wi].Days = make([]Day, len(w.Days))
		for di, d := range w.Days {
			c.Weeks[wi].Days[di] = d
			c.Weeks[wi].Days[di].Exercises = make([]ProgramExercise, len(d.Exercises))
			for ei, x := range d.Exercises {
				x.Equipment, x.PrimaryMuscles, x.SecondaryMuscles = strs(x.Equipment), strs(x.PrimaryMuscles), strs(x.SecondaryMuscles)
				c.Weeks[wi].Days[di].Exercises[ei] = x
			}
		}
	}
	c.WeeklyVolume = append([]WeeklyVolume{}, p.WeeklyVolume...)
	c.Science.WeakPoints = strs(p.Science.WeakPoints)
	c.Science.Warnings = strs(p.Science.Warnings)
	c.Science.Fixes = strs(p.Science.Fixes)
	return c
}

// structure rewrites metadata that must match the analysis.
func (e *enhancer) structure() {
	a, p := e.a, &e.p
	set := func(field string, ok bool, apply func()) {
		if !ok {
			apply()
			e.fix(RuleStructure, 0, 0, 0, "", "set "+field+" from the analysis", "Corrected the program's "+field+" to match your plan.")
		}
	}
	set("schema_version", p.SchemaVersion == SchemaVersion, func() { p.SchemaVersion = SchemaVersion })
	set("goal", p.Goal == a.Input.Goal, func() { p.Goal = a.Input.Goal })
	set("experience", p.Experience == a.Input.Experience, func() { p.Experience = a.Input.Experience })
	set("split.days_per_week", p.Split.DaysPerWeek == a.Input.DaysPerWeek, func() { p.Split.DaysPerWeek = a.Input.DaysPerWeek })
	set("split.type", slices.Contains(SplitTypes, p.Split.Type), func() { p.Split.Type = a.Split.Type })
	if len(p.Weeks) == a.Weeks {
		set("mesocycle.weeks", p.Mesocycle.Weeks == a.Weeks, func() { p.Mesocycle.Weeks = a.Weeks })
		set("mesocycle.deload_week", p.Mesocycle.DeloadWeek == a.DeloadWeek, func() { p.Mesocycle.DeloadWeek = a.DeloadWeek })
	}
	set("mesocycle.progression", slices.Contains(Progressions, p.Mesocycle.Progression), func() { p.Mesocycle.Progression = a.Progression })
	set("science.landmark_table", p.Science.LandmarkTable == a.LandmarkTable, func() { p.Science.LandmarkTable = a.LandmarkTable })
	for wi := range p.Weeks {
		w := &p.Weeks[wi]
		phase := PhaseAccumulation
		if wi == len(p.Weeks)-1 {
			phase = PhaseDeload
		}
		set(fmt.Sprintf("week %d number and phase", wi+1), w.Week == wi+1 && w.Phase == phase, func() { w.Week, w.Phase = wi+1, phase })
		for di := range w.Days {
			d := &w.Days[di]
			set(fmt.Sprintf("week %d day %d number", wi+1, di+1), d.Day == di+1, func() { d.Day = di + 1 })
		}
	}
	for _, wp := range a.Input.WeakPoints {
		if !slices.Contains(p.Science.WeakPoints, wp) {
			p.Science.WeakPoints = append(p.Science.WeakPoints, wp)
			e.fix(RuleWeakPoints, 0, 0, 0, wp, "added weak point "+wp, fmt.Sprintf("Recorded %s as one of your weak points.", strings.ReplaceAll(wp, "_", " ")))
		}
	}
}

// exercises restores catalogue facts, swaps exercises the user cannot or
// should not do, and clamps numbers into their ranges.
func (e *enhancer) exercises() {
	a := e.a
	cat := catalogue()
	for wi := range e.p.Weeks {
		w := &e.p.Weeks[wi]
		for di := range w.Days {
			d := &w.Days[di]
			for ei := range d.Exercises {
				x := &d.Exercises[ei]
				wk, dy, n := wi+1, di+1, ei+1
				if i, ok := cat.byID[x.ExerciseID]; ok {
					c := &cat.list[i]
					if need, inj := c.missingEquipment(a.Input.Equipment), c.contraindicatedBy(a.Input.Injuries); need != "" || inj != "" {
						if sub := a.substitute(c, d.Exercises); sub != nil {
							rule, why := RuleEquipment, "needs "+equipmentLabel(need)
							if need == "" {
								rule, why = RuleContraindicated, jointStress[inj]
							}
							e.fix(rule, wk, dy, n, "", fmt.Sprintf("replaced %s with %s", c.ID, sub.ID),
								fmt.Sprintf("Swapped %s (it %s) for %s, which trains the same muscles.", c.Name, why, sub.Name))
							e.swap(x, c, sub, why)
							c = sub
						} else if len(d.Exercises) > 1 {
							// Nothing left to swap in (the day already holds every
							// allowed alternative): drop it; the volume repair
							// moves its sets onto what remains.
							e.fix(RuleEquipment, wk, dy, n, "", "removed "+c.ID+": no allowed substitute",
								fmt.Sprintf("Removed %s, which you cannot do; its sets moved to similar exercises.", c.Name))
							x.ExerciseID = ""
							continue
						}
					}
					if !slices.Equal(x.PrimaryMuscles, c.PrimaryMuscles) {
						e.fix(RulePrimaryMuscles, wk, dy, n, "", fmt.Sprintf("%s primary muscles %v → %v", c.ID, x.PrimaryMuscles, c.PrimaryMuscles),
							fmt.Sprintf("Corrected the main muscles of %s.", c.Name))
					}
					x.Name, x.Equipment = c.Name, slices.Clone(c.Equipment)
					x.PrimaryMuscles, x.SecondaryMuscles = slices.Clone(c.PrimaryMuscles), slices.Clone(c.SecondaryMuscles)
				}
				e.clamp(x, wk, dy, n)
			}
			d.Exercises = slices.DeleteFunc(d.Exercises, func(x ProgramExercise) bool { return x.ExerciseID == "" })
		}
	}
}

// substitute finds an allowed exercise keeping pattern and first primary
// muscle (DOMAIN.md), else keeping the first primary muscle, that is not
// already in the day.
func (a *Analysis) substitute(c *CatalogueExercise, day []ProgramExercise) *CatalogueExercise {
	cat := catalogue()
	inDay := func(id string) bool {
		return slices.ContainsFunc(day, func(x ProgramExercise) bool { return x.ExerciseID == id })
	}
	for _, id := range c.Substitutes {
		s := &cat.list[cat.byID[id]]
		if a.isAllowed(s) && !inDay(id) {
			return s
		}
	}
	// Then the best allowed exercise keeping pattern and muscle, then muscle
	// and mechanic, then the muscle alone, in quality order.
	for pass := range 3 {
		for _, i := range cat.ranked {
			s := &cat.list[i]
			keeps := s.Pattern == c.Pattern || (pass == 1 && s.Mechanic == c.Mechanic) || pass == 2
			if s.primary[0] == c.primary[0] && keeps && a.isAllowed(s) && !inDay(s.ID) {
				return s
			}
		}
	}
	return nil
}

// isAllowed reports whether the analysis allows an exercise.
func (a *Analysis) isAllowed(c *CatalogueExercise) bool {
	if a.allowed != nil {
		return a.allowed[c.idx]
	}
	return c.allowedFor(a.Input.Equipment, a.Input.Injuries, a.Input.Experience)
}

// swap replaces x's exercise, re-prescribing reps and rest when the
// mechanic changes (an isolation wants other reps than a compound).
func (e *enhancer) swap(x *ProgramExercise, from, to *CatalogueExercise, why string) {
	x.ExerciseID = to.ID
	if from.Mechanic != to.Mechanic {
		r := roleOf(to, e.a.Input.Goal, false)
		x.RepMin, x.RepMax = repsFor(to, e.a.Input.Goal, r)
		x.RestSeconds = restSeconds(to, r, e.a.SessionMinutes)
		x.Unit = to.unit()
	}
	// Say which exercise it replaces and why, as the built-in program does.
	x.Rationale = fmt.Sprintf("%s for %s, in place of the %s, which %s.", to.Name, joinMuscles(to.PrimaryMuscles), lowerFirst(from.Name), why)
}

// clamp pulls numbers into their allowed ranges.
func (e *enhancer) clamp(x *ProgramExercise, wk, dy, n int) {
	if x.RepMin > x.RepMax {
		x.RepMin, x.RepMax = x.RepMax, x.RepMin
		e.fix(RuleRepRange, wk, dy, n, "", "swapped rep_min and rep_max", fmt.Sprintf("Put the rep range of %s the right way round.", x.Name))
	}
	if c, ok := LookupExercise(x.ExerciseID); ok && x.Unit != c.unit() {
		e.fix(RuleUnit, wk, dy, n, "", fmt.Sprintf("unit %q → %q", x.Unit, c.unit()), fmt.Sprintf("Prescribed %s in %s.", x.Name, unitWord(c.unit())))
		x.Unit = c.unit()
		if x.Unit == UnitSeconds {
			x.RepMin, x.RepMax = holdSeconds(&c)
		}
	} else if x.Unit != UnitReps && x.Unit != UnitSeconds {
		x.Unit = UnitReps
	}
	minR, maxR := repLimits(x.Unit)
	if lo, hi := min(max(x.RepMin, minR), maxR), min(max(x.RepMax, minR), maxR); lo != x.RepMin || hi != x.RepMax {
		e.fix(RuleRepRange, wk, dy, n, "", fmt.Sprintf("%s %d–%d → %d–%d", x.Unit, x.RepMin, x.RepMax, lo, hi), fmt.Sprintf("Kept the %s of %s between %d and %d.", unitWord(x.Unit), x.Name, minR, maxR))
		x.RepMin, x.RepMax = lo, hi
	}
	if s := min(max(x.Sets, MinSets), MaxSets); s != x.Sets {
		e.fix(RuleSetsRange, wk, dy, n, "", fmt.Sprintf("sets %d → %d", x.Sets, s), fmt.Sprintf("Kept %s between 1 and 6 sets.", x.Name))
		x.Sets = s
	}
	if r := min(max(x.TargetRIR, MinRIR), MaxRIR); r != x.TargetRIR {
		e.fix(RuleRIRRange, wk, dy, n, "", fmt.Sprintf("RIR %d → %d", x.TargetRIR, r), fmt.Sprintf("Kept the effort of %s between 0 and 5 reps in reserve.", x.Name))
		x.TargetRIR = r
	}
	if x.RestSeconds < MinRestSeconds {
		e.fix(RuleShortRest, wk, dy, n, "", fmt.Sprintf("rest %d s → %d s", x.RestSeconds, MinRestSeconds), fmt.Sprintf("Gave %s at least a minute of rest.", x.Name))
		x.RestSeconds = MinRestSeconds
	}
	e.restFloor(x, wk, dy, n)
	if c, ok := LookupExercise(x.ExerciseID); ok && c.isCompound() && x.TargetRIR == 0 {
		e.fix(RuleRIRZeroCompound, wk, dy, n, "", "RIR 0 → 1 on a compound", fmt.Sprintf("Kept %s one rep short of failure.", x.Name))
		x.TargetRIR = 1
	}
}

// effort makes RIR non-rising through the accumulation weeks.
func (e *enhancer) effort() {
	weeks := e.p.Weeks
	for wi := 1; wi < len(weeks)-1; wi++ {
		prev, cur := &weeks[wi-1], &weeks[wi]
		if cur.TargetRIR > prev.TargetRIR {
			e.fix(RuleRIRRising, wi+1, 0, 0, "", fmt.Sprintf("week target RIR %d → %d", cur.TargetRIR, prev.TargetRIR), fmt.Sprintf("Kept effort building into week %d.", wi+1))
			cur.TargetRIR = prev.TargetRIR
		}
		for di := range cur.Days {
			if di >= len(prev.Days) {
				break
			}
			for ei := range cur.Days[di].Exercises {
				x := &cur.Days[di].Exercises[ei]
				for _, px := range prev.Days[di].Exercises {
					if px.ExerciseID == x.ExerciseID && x.TargetRIR > px.TargetRIR {
						e.fix(RuleRIRRising, wi+1, di+1, ei+1, "", fmt.Sprintf("%s RIR %d → %d", x.ExerciseID, x.TargetRIR, px.TargetRIR), fmt.Sprintf("Kept %s from getting easier in week %d.", x.Name, wi+1))
						x.TargetRIR = px.TargetRIR
						break
					}
				}
			}
		}
	}
}

// deload halves the last week's sets until it has at most 60 % of the
// week before, and sets its effort to RIR 4.
func (e *enhancer) deload() {
	n := len(e.p.Weeks)
	if n < 2 {
		return
	}
	last, prev := &e.p.Weeks[n-1], &e.p.Weeks[n-2]
	if last.TargetRIR < 3 {
		e.fix(RuleDeload, n, 0, 0, "", fmt.Sprintf("deload target RIR %d → 4", last.TargetRIR), "Made the deload week easy: every set stops about 4 reps short of failure.")
		last.TargetRIR = 4
	}
	for di := range last.Days {
		for ei := range last.Days[di].Exercises {
			if x := &last.Days[di].Exercises[ei]; x.TargetRIR < 3 {
				e.fix(RuleDeload, n, di+1, ei+1, "", fmt.Sprintf("%s deload RIR %d → 4", x.ExerciseID, x.TargetRIR), fmt.Sprintf("Eased %s off for the deload.", x.Name))
				x.TargetRIR = 4
			}
		}
	}
	limit := 0.6 * float64(totalSets(prev))
	if float64(totalSets(last)) <= limit {
		return
	}
	before := totalSets(last)
	for pass := 0; pass < 3 && float64(totalSets(last)) > limit; pass++ {
		for di := range last.Days {
			for ei := range last.Days[di].Exercises {
				x := &last.Days[di].Exercises[ei]
				x.Sets = max(1, x.Sets/2)
			}
		}
	}
	for di := len(last.Days) - 1; di >= 0 && float64(totalSets(last)) > limit; di-- {
		exs := last.Days[di].Exercises
		for ei := len(exs) - 1; ei >= 0 && len(exs) > 1 && float64(totalSets(last)) > limit; ei-- {
			exs = append(exs[:ei], exs[ei+1:]...)
			last.Days[di].Exercises = exs
		}
	}
	e.fix(RuleDeload, n, 0, 0, "", fmt.Sprintf("deload sets %d → %d", before, totalSets(last)), "Cut the deload week to about half the sets so fatigue can clear.")
}

// rationale fills in missing explanations.
func (e *enhancer) rationale() {
	if e.p.Science.Rationale == "" {
		e.p.Science.Rationale = e.a.Rationale
		e.fix(RuleMissingRationale, 0, 0, 0, "", "filled science.rationale", "Added an explanation of how the program is built.")
	}
	for wi := range e.p.Weeks {
		for di := range e.p.Weeks[wi].Days {
			for ei := range e.p.Weeks[wi].Days[di].Exercises {
				x := &e.p.Weeks[wi].Days[di].Exercises[ei]
				if x.Rationale != "" {
					continue
				}
				x.Rationale = fmt.Sprintf("%s trains %s.", x.Name, joinMuscles(x.PrimaryMuscles))
				e.fix(RuleMissingRationale, wi+1, di+1, ei+1, "", "filled rationale", fmt.Sprintf("Added a reason for %s.", x.Name))
			}
		}
	}
}

// bookkeeping recomputes the day estimates and the weekly volume; the
// stored numbers are never trusted.
func (e *enhancer) bookkeeping() {
	for wi := range e.p.Weeks {
		for di := range e.p.Weeks[wi].Days {
			d := &e.p.Weeks[wi].Days[di]
			d.EstimatedMinutes = estimateMinutes(d.Exercises)
		}
	}
	want := weeklyVolume(e.a, &e.p)
	if !slices.Equal(want, e.p.WeeklyVolume) {
		e.p.WeeklyVolume = want
		e.fix(RuleVolumeMismatch, 0, 0, 0, "", "recomputed weekly_volume from the exercises", "Recounted the weekly sets per muscle from the exercises.")
	}
}
