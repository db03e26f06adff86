package science

import (
	"fmt"
	"slices"
)

// Validate checks a program against every error and warning rule of
// DOMAIN.md for the analysis it was made for. It never trusts the program's
// own bookkeeping: volume, frequency and session time are recomputed from
// the exercises, and muscles are taken from the catalogue.
func Validate(a Analysis, p Program) []Finding {
	v := validator{a: &a, p: &p, out: []Finding{}}
	v.structure()
	v.exercises()
	v.effort()
	v.deload()
	v.volume()
	v.weeklyVolume()
	v.weakPoints()
	v.coach()
	return v.out
}

// validator accumulates findings for one program.
type validator struct {
	a       *Analysis
	p       *Program
	out     []Finding
	tallies []weekTally
}

func (v *validator) add(rule string, week, day, ex int, muscle, msg, expl string) {
	v.out = append(v.out, Finding{Rule: rule, Severity: ruleSeverity(rule), Week: week, Day: day, Exercise: ex, Muscle: muscle, Message: msg, Explanation: expl})
}

// accWeeks is the number of accumulation weeks in the program as written.
func (v *validator) accWeeks() int { return max(len(v.p.Weeks)-1, 0) }

func (v *validator) structure() {
	a, p := v.a, v.p
	in := a.Input
	if len(p.Weeks) != a.Weeks {
		v.add(RuleWeekCount, 0, 0, 0, "", fmt.Sprintf("program has %d weeks, the plan needs %d (%d accumulation + deload)", len(p.Weeks), a.Weeks, a.Weeks-1),
			fmt.Sprintf("Your plan is a %d-week block, but this program has %d weeks.", a.Weeks, len(p.Weeks)))
	}
	bad := func(field string, got, want any) {
		v.add(RuleStructure, 0, 0, 0, "", fmt.Sprintf("%s is %v, want %v", field, got, want),
			fmt.Sprintf("The program's %s did not match your plan.", field))
	}
	if p.SchemaVersion != SchemaVersion {
		bad("schema_version", p.SchemaVersion, SchemaVersion)
	}
	if p.Goal != in.Goal {
		bad("goal", p.Goal, in.Goal)
	}
	if p.Experience != in.Experience {
		bad("experience", p.Experience, in.Experience)
	}
	if p.Split.DaysPerWeek != in.DaysPerWeek {
		bad("split.days_per_week", p.Split.DaysPerWeek, in.DaysPerWeek)
	}
	if !slices.Contains(SplitTypes, p.Split.Type) {
		bad("split.type", p.Split.Type, a.Split.Type)
	}
	if p.Mesocycle.Weeks != len(p.Weeks) || p.Mesocycle.Weeks != a.Weeks {
		bad("mesocycle.weeks", p.Mesocycle.Weeks, a.Weeks)
	}
	if p.Mesocycle.DeloadWeek != a.DeloadWeek {
		bad("mesocycle.deload_week", p.Mesocycle.DeloadWeek, a.DeloadWeek)
	}
	if !slices.Contains(Progressions, p.Mesocycle.Progression) {
		bad("mesocycle.progression", p.Mesocycle.Progression, a.Progression)
	}
	if p.Science.LandmarkTable != a.LandmarkTable {
		bad("science.landmark_table", p.Science.LandmarkTable, a.LandmarkTable)
	}
	for wi, w := range p.Weeks {
		if w.Week != wi+1 {
			bad(fmt.Sprintf("weeks[%d].week", wi), w.Week, wi+1)
		}
		want := PhaseAccumulation
		if wi == len(p.Weeks)-1 {
			want = PhaseDeload
		}
		if w.Phase != want {
			bad(fmt.Sprintf("week %d phase", wi+1), w.Phase, want)
		}
		if len(w.Days) != in.DaysPerWeek {
			v.add(RuleDayCount, wi+1, 0, 0, "", fmt.Sprintf("week %d has %d days, want %d", wi+1, len(w.Days), in.DaysPerWeek),
				fmt.Sprintf("You train %d days a week, but week %d has %d.", in.DaysPerWeek, wi+1, len(w.Days)))
		}
		for di, d := range w.Days {
			if d.Day != di+1 {
				bad(fmt.Sprintf("week %d day %d number", wi+1, di+1), d.Day, di+1)
			}
		}
	}
	if p.Science.Rationale == "" {
		v.add(RuleMissingRationale, 0, 0, 0, "", "science.rationale is empty", "The program does not explain why it is built this way.")
	}
}

// exercises runs the per-day and per-exercise checks, split by concern:
// the day's shape, each prescription's numbers, and the catalogue's facts
// about the exercise (equipment, injuries, level, muscles).
func (v *validator) exercises() {
	for wi := range v.p.Weeks {
		w := &v.p.Weeks[wi]
		for di := range w.Days {
			d := &w.Days[di]
			wk, dy := wi+1, di+1
			v.dayLimits(d, wk, dy)
			for ei := range d.Exercises {
				e := &d.Exercises[ei]
				at := fmt.Sprintf("week %d day %d exercise %d (%s)", wk, dy, ei+1, e.ExerciseID)
				v.prescriptionLimits(e, at, wk, dy, ei+1)
				v.catalogueFacts(e, at, wk, dy, ei+1)
			}
		}
	}
}

// dayLimits: exercises per day, the time limit, no exercise twice.
func (v *validator) dayLimits(d *Day, wk, dy int) {
	a := v.a
	if n := len(d.Exercises); n > maxExercisesPerDay {
		v.add(RuleTooManyExercises, wk, dy, 0, "", fmt.Sprintf("%d exercises, at most %d", n, maxExercisesPerDay),
			fmt.Sprintf("Week %d day %d has %d exercises; more than 8 in a session mostly adds fatigue.", wk, dy, n))
	}
	if t := dayMinutes(d.Exercises); t > a.MaxDayMinutes {
		v.add(RuleTimeLimit, wk, dy, 0, "", fmt.Sprintf("estimate %.1f min > limit %.1f min", t, a.MaxDayMinutes),
			fmt.Sprintf("Week %d day %d would take about %.0f minutes, more than your %d.", wk, dy, t, a.Input.SessionMinutes))
	}
	for ei, e := range d.Exercises {
		for j := range ei {
			if d.Exercises[j].ExerciseID == e.ExerciseID {
				v.add(RuleDuplicate, wk, dy, ei+1, "", fmt.Sprintf("week %d day %d exercise %d (%s): appears twice in the day", wk, dy, ei+1, e.ExerciseID),
					fmt.Sprintf("%s appears twice on week %d day %d.", e.Name, wk, dy))
				break
			}
		}
	}
}

// prescriptionLimits: reps (or seconds), sets, RIR, rest and a rationale
// within DOMAIN.md's named limits.
func (v *validator) prescriptionLimits(e *ProgramExercise, at string, wk, dy, ex int) {
	if e.Rationale == "" {
		v.add(RuleMissingRationale, wk, dy, ex, "", at+": rationale is empty", fmt.Sprintf("%s has no explanation of why it is in your program.", e.Name))
	}
	if lo, hi := repLimits(e.Unit); e.RepMin < lo || e.RepMax > hi || e.RepMin > e.RepMax {
		v.add(RuleRepRange, wk, dy, ex, "", fmt.Sprintf("%s: %s %d–%d outside %d–%d or reversed", at, e.Unit, e.RepMin, e.RepMax, lo, hi),
			fmt.Sprintf("%s asks for %d–%d %s; we keep them between %d and %d, where both strength and growth work.", e.Name, e.RepMin, e.RepMax, unitWord(e.Unit), lo, hi))
	}
	if e.Sets < MinSets || e.Sets > MaxSets {
		v.add(RuleSetsRange, wk, dy, ex, "", fmt.Sprintf("%s: %d sets outside %d–%d", at, e.Sets, MinSets, MaxSets),
			fmt.Sprintf("%s has %d sets; one exercise gets between %d and %d.", e.Name, e.Sets, MinSets, MaxSets))
	}
	if e.TargetRIR < MinRIR || e.TargetRIR > MaxRIR {
		v.add(RuleRIRRange, wk, dy, ex, "", fmt.Sprintf("%s: RIR %d outside %d–%d", at, e.TargetRIR, MinRIR, MaxRIR),
			fmt.Sprintf("%s targets %d reps in reserve; useful effort sits between %d and %d.", e.Name, e.TargetRIR, MinRIR, MaxRIR))
	}
	if e.RestSeconds < MinRestSeconds {
		v.add(RuleShortRest, wk, dy, ex, "", fmt.Sprintf("%s: rest %d s < %d s", at, e.RestSeconds, MinRestSeconds),
			fmt.Sprintf("%s rests only %d seconds; at least a minute lets you keep the reps up.", e.Name, e.RestSeconds))
	}
}

// catalogueFacts: the exercise exists, lists its catalogue muscles, and
// suits the user's equipment, injuries and level.
func (v *validator) catalogueFacts(e *ProgramExercise, at string, wk, dy, ex int) {
	in := v.a.Input
	cat := catalogue()
	i, known := cat.byID[e.ExerciseID]
	if !known {
		v.add(RuleUnknownExercise, wk, dy, ex, "", at+": not in the catalogue",
			fmt.Sprintf("%q is not an exercise we know, so we cannot check it is safe for you.", e.Name))
		if n := len(e.PrimaryMuscles); n < 1 || n > 2 {
			v.add(RulePrimaryMuscles, wk, dy, ex, "", fmt.Sprintf("%s: %d primary muscles, want 1–2", at, n),
				fmt.Sprintf("%s lists %d main muscles; an exercise has one or two.", e.Name, n))
		}
		return
	}
	c := &cat.list[i]
	if n := len(e.PrimaryMuscles); n < 1 || n > 2 || !slices.Equal(e.PrimaryMuscles, c.PrimaryMuscles) {
		v.add(RulePrimaryMuscles, wk, dy, ex, "", fmt.Sprintf("%s: primary muscles %v, catalogue says %v", at, e.PrimaryMuscles, c.PrimaryMuscles),
			fmt.Sprintf("%s listed the wrong main muscles; it mainly trains %s.", c.Name, joinMuscles(c.PrimaryMuscles)))
	}
	if need := c.missingEquipment(in.Equipment); need != "" {
		v.add(RuleEquipment, wk, dy, ex, "", fmt.Sprintf("%s: needs %s", at, need),
			fmt.Sprintf("%s needs %s, which you did not list.", c.Name, equipmentLabel(need)))
	}
	if inj := c.contraindicatedBy(in.Injuries); inj != "" {
		v.add(RuleContraindicated, wk, dy, ex, "", fmt.Sprintf("%s: contraindicated for %s", at, inj),
			fmt.Sprintf("%s loads your %s, which you told us is injured.", c.Name, injuryLabel(inj)))
	}
	if levelRank(c.Level) > levelRank(in.Experience) {
		v.add(RuleExerciseLevel, wk, dy, ex, "", fmt.Sprintf("%s: level %s above %s", at, c.Level, in.Experience),
			fmt.Sprintf("%s is usually for %s lifters; learn it with a coach or pick an easier variation.", c.Name, c.Level))
	}
	if c.isCompound() && e.TargetRIR == 0 {
		v.add(RuleRIRZeroCompound, wk, dy, ex, "", at+": RIR 0 on a compound",
			fmt.Sprintf("%s is taken to failure; on big lifts that adds fatigue and risk but no extra growth.", c.Name))
	}
}

// effort checks that RIR never rises during accumulation, week by week and
// exercise by exercise (matched by day and exercise id).
func (v *validator) effort() {
	acc := v.accWeeks()
	for wi := 1; wi < acc; wi++ {
		prev, cur := &v.p.Weeks[wi-1], &v.p.Weeks[wi]
		if cur.TargetRIR > prev.TargetRIR {
			v.add(RuleRIRRising, wi+1, 0, 0, "", fmt.Sprintf("week %d target RIR %d > week %d's %d", wi+1, cur.TargetRIR, wi, prev.TargetRIR),
				fmt.Sprintf("Effort should build through the block, but week %d is easier than week %d.", wi+1, wi))
		}
		for di := range cur.Days {
			if di >= len(prev.Days) {
				break
			}
			for ei, e := range cur.Days[di].Exercises {
				for _, pe := range prev.Days[di].Exercises {
					if pe.ExerciseID == e.ExerciseID && e.TargetRIR > pe.TargetRIR {
						v.add(RuleRIRRising, wi+1, di+1, ei+1, "", fmt.Sprintf("%s RIR %d > %d the week before", e.ExerciseID, e.TargetRIR, pe.TargetRIR),
							fmt.Sprintf("%s gets easier in week %d; effort should only build until the deload.", e.Name, wi+1))
						break
					}
				}
			}
		}
	}
}

// deload checks the last week: at most 60 % of the previous week's sets and
// RIR ≥ 3 everywhere.
func (v *validator) deload() {
	n := len(v.p.Weeks)
	if n < 2 {
		return
	}
	last, prev := &v.p.Weeks[n-1], &v.p.Weeks[n-2]
	ls, ps := totalSets(last), totalSets(prev)
	if float64(ls) > 0.6*float64(ps) {
		v.add(RuleDeload, n, 0, 0, "", fmt.Sprintf("deload has %d sets, more than 60%% of %d", ls, ps),
			"The deload week should have about half the sets of the week before so fatigue can clear.")
	}
	if last.TargetRIR < 3 {
		v.add(RuleDeload, n, 0, 0, "", fmt.Sprintf("deload target RIR %d < 3", last.TargetRIR),
			"In the deload week every set should stop well short of failure.")
	}
	for di, d := range last.Days {
		for ei, e := range d.Exercises {
			if e.TargetRIR < 3 {
				v.add(RuleDeload, n, di+1, ei+1, "", fmt.Sprintf("%s deload RIR %d < 3", e.ExerciseID, e.TargetRIR),
					fmt.Sprintf("%s is pushed too hard for a deload week.", e.Name))
			}
		}
	}
}

func totalSets(w *Week) int {
	t := 0
	for _, d := range w.Days {
		for _, e := range d.Exercises {
			t += e.Sets
		}
	}
	return t
}

// volume checks weekly direct sets against each muscle's floor and MRV,
// sets per session, and the balance warnings.
func (v *validator) volume() {
	a := v.a
	acc := v.accWeeks()
	v.tallies = make([]weekTally, len(v.p.Weeks))
	for wi := range v.p.Weeks {
		v.tallies[wi] = tallyWeek(&v.p.Weeks[wi])
	}
	var lowFreq, jump [numMuscles]bool
	pushPull, hamsQuads := false, false
	for wi := range v.p.Weeks {
		t := &v.tallies[wi]
		wk := wi + 1
		for di := range t.perDay {
			for m := range numMuscles {
				if s := t.perDay[di][m]; s > maxSessionSets {
					v.add(RuleSessionVolume, wk, di+1, 0, Muscles[m], fmt.Sprintf("%s: %d direct sets in one session, at most %d", Muscles[m], s, maxSessionSets),
						fmt.Sprintf("Week %d day %d gives %s %d sets; past about 12 in one session the extra sets stop paying off.", wk, di+1, muscleLabel(m), s))
				}
			}
		}
		if wi >= acc {
			continue
		}
		peak := wi == acc-1
		for m := range numMuscles {
			plan := a.musclePlan(m)
			lm := landmarksFor(m, a.Input.Experience, max(t.freq[m], 1))
			floor := plan.Floor
			if peak {
				floor = plan.PeakFloor
			}
			s := t.direct[m]
			if s < floor || s > lm.MRV {
				v.add(RuleVolumeRange, wk, 0, 0, Muscles[m], fmt.Sprintf("%s: %d direct sets, want %d–%d (%s)", Muscles[m], s, floor, lm.MRV, plan.Priority),
					volumeExplanation(m, wk, s, floor, lm.MRV))
			}
			if plan.Priority == PriorityGrow && a.Input.DaysPerWeek >= 3 && t.freq[m] == 1 && !lowFreq[m] {
				lowFreq[m] = true
				v.add(RuleLowFrequency, wk, 0, 0, Muscles[m], fmt.Sprintf("%s trained on 1 day in week %d", Muscles[m], wk),
					sayMuscle("{M} {is|are} trained only once a week; twice a week usually grows {it|them} better.", m))
			}
			if wi > 0 && s-v.tallies[wi-1].direct[m] > 2 && !jump[m] {
				jump[m] = true
				v.add(RuleVolumeJump, wk, 0, 0, Muscles[m], fmt.Sprintf("%s: %d → %d sets", Muscles[m], v.tallies[wi-1].direct[m], s),
					sayMuscle("{M} {jumps|jump} by %d sets into week %d; adding 1–2 sets a week is easier to recover from.", m, s-v.tallies[wi-1].direct[m], wk))
			}
		}
		push, pull := patternSets(&v.p.Weeks[wi])
		if float64(pull) < 0.8*float64(push) && !pushPull {
			pushPull = true
			v.add(RulePullPushRatio, wk, 0, 0, "", fmt.Sprintf("pulling %d sets < 0.8 × pushing %d", pull, push),
				"There is noticeably more pushing than pulling; balanced shoulders need about as much rowing and pulling as pressing.")
		}
		if float64(t.direct[mHamstrings]) < 0.5*float64(t.direct[mQuads]) && !hamsQuads {
			hamsQuads = true
			v.add(RuleHamsQuadsRatio, wk, 0, 0, Muscles[mHamstrings], fmt.Sprintf("hamstrings %d sets < 0.5 × quads %d", t.direct[mHamstrings], t.direct[mQuads]),
				"Hamstrings get less than half the work of your quads; balanced thighs are stronger and more robust.")
		}
	}
}

// pushPatterns and pullPatterns classify sets for the pull:push balance.
var (
	pushPatterns = []string{PatternHorizontalPush, PatternVerticalPush, PatternChestFly}
	pullPatterns = []string{PatternHorizontalPull, PatternVerticalPull, PatternShoulderExt, PatternRearDeltFly}
)

func patternSets(w *Week) (push, pull int) {
	for _, d := range w.Days {
		for _, e := range d.Exercises {
			c, ok := LookupExercise(e.ExerciseID)
			if !ok {
				continue
			}
			switch {
			case slices.Contains(pushPatterns, c.Pattern):
				push += e.Sets
			case slices.Contains(pullPatterns, c.Pattern):
				pull += e.Sets
			}
		}
	}
	return push, pull
}

func volumeExplanation(m, week, sets, floor, mrv int) string {
	if sets < floor {
		return sayMuscle("In week %d {m} {gets|get} %d direct sets, fewer than the %d {it needs|they need} to make progress.", m, week, sets, floor)
	}
	return sayMuscle("In week %d {m} {gets|get} %d direct sets, more than the about %d {it|they} can recover from.", m, week, sets, mrv)
}

// musclePlan returns the analysis plan of muscle m, or a grow default for
// an analysis built without Analyze.
func (a *Analysis) musclePlan(m int) MusclePlan {
	if m < len(a.Muscles) {
		return a.Muscles[m]
	}
	l := landmarksFor(m, a.Input.Experience, plannedFrequency)
	return MusclePlan{Muscle: Muscles[m], Priority: PriorityGrow, Landmarks: l, Floor: l.MEV, PeakFloor: l.MEV}
}

// weeklyVolume checks the stored weekly_volume against the recomputed one.
func (v *validator) weeklyVolume() {
	want := weeklyVolume(v.a, v.p)
	got := v.p.WeeklyVolume
	if len(got) != len(want) {
		v.add(RuleVolumeMismatch, 0, 0, 0, "", fmt.Sprintf("weekly_volume has %d entries, want %d (every muscle every week)", len(got), len(want)),
			"The weekly set counts did not match the exercises in the program.")
		return
	}
	for i := range want {
		if got[i] != want[i] {
			v.add(RuleVolumeMismatch, want[i].Week, 0, 0, want[i].Muscle, fmt.Sprintf("weekly_volume[%d] = %+v, recomputed %+v", i, got[i], want[i]),
				fmt.Sprintf("The weekly set count for %s in week %d did not match the exercises.", muscleLabel(muscleIndex(want[i].Muscle)), want[i].Week))
		}
	}
}

func (v *validator) weakPoints() {
	for _, w := range v.a.Input.WeakPoints {
		if !slices.Contains(v.p.Science.WeakPoints, w) {
			v.add(RuleWeakPoints, 0, 0, 0, w, fmt.Sprintf("weak point %s missing from science.weak_points", w),
				fmt.Sprintf("You named %s as a weak point, but the program did not record it.", muscleLabel(muscleIndex(w))))
		}
	}
}

func equipmentLabel(e string) string {
	if e == "pullup_bar" {
		return "a pull-up bar"
	}
	if e == "bench" {
		return "a bench"
	}
	return e
}

func injuryLabel(i string) string {
	if i == "lower_back" {
		return "lower back"
	}
	return i
}

// Limits of a prescription (DOMAIN.md), named so rules and repairs agree.
const (
	MinReps = 3
	MaxReps = 30
	MinRIR  = 0
	MaxRIR  = 5
	MinSets = 1
	MaxSets = maxSetsPerExercise
)

// repLimits is the allowed range of rep_min/rep_max for a unit.
func repLimits(unit string) (int, int) {
	if unit == UnitSeconds {
		return MinHoldSeconds, MaxHoldSeconds
	}
	return MinReps, MaxReps
}

// unitWord names a unit in a sentence.
func unitWord(unit string) string {
	if unit == UnitSeconds {
		return "seconds"
	}
	return "reps"
}
