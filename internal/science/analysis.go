package science

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Analysis is everything the science layer derives from one submission
// before a program exists. The LLM prompt is built from it, and Validate
// judges every program against it.
type Analysis struct {
	// Input is the normalised submission.
	Input Input `json:"input"`
	// LandmarkTable identifies the landmark table and level adjustment.
	LandmarkTable string `json:"landmark_table"`
	// Split is the weekly structure for the day count.
	Split Split `json:"split"`
	// Weeks is the mesocycle length including the deload.
	Weeks int `json:"weeks"`
	// DeloadWeek is the week number of the deload (the last week).
	DeloadWeek int `json:"deload_week"`
	// WeekRIR is the target reps in reserve of each week.
	WeekRIR []int `json:"week_rir"`
	// Progression is the mesocycle.progression value.
	Progression string `json:"progression"`
	// SessionMinutes is the per-day time budget the user gave.
	SessionMinutes int `json:"session_minutes"`
	// MaxDayMinutes is the most a day's estimate may reach (budget × 1.05).
	MaxDayMinutes float64 `json:"max_day_minutes"`
	// Emphasized lists the muscles trained with priority emphasize.
	Emphasized []string `json:"emphasized"`
	// Muscles is the volume plan of every muscle, in Muscles order.
	Muscles []MusclePlan `json:"muscles"`
	// AllowedExercises lists the catalogue ids allowed by equipment, injuries and level.
	AllowedExercises []string `json:"allowed_exercises"`
	// Warnings are plain-language notes about compromises the plan makes.
	Warnings []string `json:"warnings"`
	// Rationale explains the plan in a few sentences.
	Rationale string `json:"rationale"`

	allowed   []bool // by catalogue index
	bestTier  []int8 // by catalogue index: bestQualityFor, computed once
	byMuscle  [numMuscles][]int
	plan      *layout
	stateUsed planState
	baseState planState // the untrimmed plan, before the time budget
	// untrimmedWhy says what the untrimmed plan failed on ("" when it fit).
	untrimmedWhy string
	compact      bool     // layout trains each muscle on as few days as possible
	covered      []string // small muscles left to compounds by design (4+ days)
	timeBound    bool     // the plan's compromises were forced by the time budget
	nextNotes    []string // what a log summary changed, for the rationale

	// supplyDeemphasized lists the weak points a strength block lets grow
	// with the rest because their exercises cannot take a weak point's sets.
	supplyDeemphasized []int
	trial              bool // a fitting trial: Validate skips the lifter's words
}

// MusclePlan is the weekly direct-set plan of one muscle.
type MusclePlan struct {
	// Muscle is the muscle name.
	Muscle string `json:"muscle"`
	// Priority is emphasize, grow or maintain (what the program exports).
	Priority string `json:"priority"`
	// Indirect is true when the muscle gets no direct sets and relies on
	// compounds; its priority is then maintain with a floor of 0.
	Indirect bool `json:"indirect"`
	// Landmarks are the level-adjusted landmarks used for planning (2× column).
	Landmarks Landmarks `json:"landmarks"`
	// Targets are the planned direct sets per week, deload included.
	Targets []int `json:"targets"`
	// Floor is the fewest weekly direct sets accepted in accumulation weeks.
	Floor int `json:"floor"`
	// PeakFloor is the fewest direct sets accepted in the last accumulation week.
	PeakFloor int `json:"peak_floor"`
}

// Mesocycle lengths: DOMAIN.md's product rule, 3 + deload free, 5 + deload paid.
const (
	freeWeeks = 4
	paidWeeks = 6
)

// ErrInvalidInput wraps the field errors of an input Analyze refuses.
var ErrInvalidInput = errors.New("invalid input")

// Analyze derives the analysis of one submission. It fails only for input
// ValidateInput rejects.
func Analyze(in Input) (Analysis, error) {
	in = in.Normalize()
	if errs := ValidateInput(in); len(errs) > 0 {
		msgs := make([]string, len(errs))
		for i, e := range errs {
			msgs[i] = e.Field + ": " + e.Message
		}
		return Analysis{}, fmt.Errorf("%w: %s", ErrInvalidInput, strings.Join(msgs, "; "))
	}
	a := Analysis{
		Input:          in,
		LandmarkTable:  LandmarkTable,
		Split:          splitFor(in.DaysPerWeek),
		Weeks:          freeWeeks,
		SessionMinutes: in.SessionMinutes,
		MaxDayMinutes:  timeLimit(in.SessionMinutes),
		Emphasized:     []string{},
		Warnings:       []string{},
	}
	if in.HasPaidAccess {
		a.Weeks = paidWeeks
	}
	a.DeloadWeek = a.Weeks
	a.WeekRIR = weekRIR(a.Weeks)
	a.Progression = progressionFor(in)
	a.selectExercises()
	a.noteWeakPointInjuries()
	a.applyLogToSelection() // next block: swap what hurt
	base := a.basePlan()
	a.applyLogToPlan(&base) // next block: start where the last one ended
	a.fitStrength(base)
	a.Rationale = a.rationale()
	if len(a.nextNotes) > 0 {
		a.Rationale += " " + a.NextBlockNotes()
	}
	return a, nil
}

// accumulationWeeks is the number of weeks before the deload.
func (a *Analysis) accumulationWeeks() int { return a.Weeks - 1 }

// weekRIR steps effort from RIR 3 down to 1 across the accumulation weeks
// (DOMAIN.md: 3 → 2 → 1) and deloads at RIR 4.
func weekRIR(weeks int) []int {
	acc := weeks - 1
	out := make([]int, weeks)
	for w := range acc {
		out[w] = 3 - (2*w)/(acc-1)
	}
	out[acc] = 4
	return out
}

// progressionFor picks the load progression. Beginners and strength goals
// progress linearly, adding load in explicit steps once the top of the range
// is beaten (ACSM 2009; DOMAIN.md: never RIR alone); everyone else uses
// double progression within the rep range.
func progressionFor(in Input) string {
	switch {
	case in.Experience == LevelBeginner, in.Goal == GoalStrength:
		return "linear"
	default:
		return "double_progression"
	}
}

// selectExercises records the catalogue subset the user may do.
func (a *Analysis) selectExercises() {
	cat := catalogue().list
	a.allowed = make([]bool, len(cat))
	a.AllowedExercises = []string{}
	for i := range cat {
		if cat[i].allowedFor(a.Input.Equipment, a.Input.Injuries, a.Input.Experience) {
			a.AllowedExercises = append(a.AllowedExercises, cat[i].ID)
		}
	}
	a.bestTier = make([]int8, len(cat))
	// byMuscle follows quality order, so a muscle's first candidate is the
	// best exercise the user may do.
	for _, i := range catalogue().ranked {
		e := &cat[i]
		if !e.allowedFor(a.Input.Equipment, a.Input.Injuries, a.Input.Experience) {
			continue
		}
		a.allowed[i] = true
		for _, m := range e.primary {
			if m >= 0 {
				a.byMuscle[m] = append(a.byMuscle[m], i)
			}
		}
	}
	a.preferJointFriendly()
	for i := range cat {
		if a.allowed[i] {
			a.bestTier[i] = int8(a.bestQualityFor(&cat[i]))
		}
	}
}

// plannedFrequency is the frequency the plan prices landmarks at. Every split
// trains a muscle at most twice a week except 3-day full body; pricing all at
// the 2× column is the conservative choice, so a plan never leans on an MRV
// the generator might not reach.
const plannedFrequency = 2

// basePlan sets priorities and the untrimmed ramps of every muscle.
func (a *Analysis) basePlan() planState {
	var s planState
	acc := a.accumulationWeeks()
	level := a.Input.Experience
	weak := a.Input.WeakPoints
	if level == LevelBeginner && len(weak) > 0 {
		a.Warnings = append(a.Warnings, sayMuscles(
			"Beginners grow every muscle at once, so {m} {gets|get} the same steady progression as the rest for now; specialise after your first year.",
			weak))
	}
	// With 3+ days a grow muscle starts at 2 sets on each of two days, so
	// each week can add a set without any exercise dropping below 2.
	minStart := coachMinSets
	if a.Input.DaysPerWeek >= 3 {
		minStart = 2 * coachMinSets
	}
	least, mainSets := a.mainLiftLeast()
	for m := range numMuscles {
		l := landmarksFor(m, level, plannedFrequency)
		ms := &s.m[m]
		ms.l = l
		ms.acc = acc
		switch {
		case len(a.byMuscle[m]) == 0:
			ms.status = statusIndirect
			a.Warnings = append(a.Warnings, sayMuscle(
				"No {m} exercise fits your equipment and injuries, so {m} {gets|get} only indirect work from compound lifts.", m))
		case level != LevelBeginner && slices.Contains(weak, Muscles[m]):
			// DOMAIN.md: from MEV+2 up towards MRV, peaking at no less than
			// max(MEV+2, bottom of MAV).
			ms.status = statusEmphasize
			ms.start = min(max(l.MEV+2, minStart, l.MAVLow-2*(acc-1)), l.MAVHigh)
			ms.full = min(max(emphasisPeakFloor(l), ms.start+2*(acc-1)), l.MRV)
		case m == mFrontDelts && a.pressesOverhead():
			// A strength block's overhead press is a main lift: its sets
			// are front-delt sets the plan must fund, not trim to zero.
			// Without an overhead press the lifter may do (an injured
			// shoulder, dumbbells only), front raises would take them:
			// the front delts are left to the presses, as in other blocks.
			ms.status = statusGrow
			ms.start = min(coachMinSets*2, l.MAVHigh)
			ms.full = min(max(ms.start+acc-1, strengthWeeklySets), l.MAVHigh)
		case (a.Input.DaysPerWeek > strengthMinDays && coveredByCompounds(m)) || m == mFrontDelts || (level == LevelBeginner && beginnerCovered(m)):
			// With 4+ days a session trains 4–6 muscles; front delts, traps
			// and forearms (MV 0) get their work from presses, rows and
			// deadlifts instead of a slot of their own. Front delts always
			// do (DOMAIN.md: MV 0 assumes pressing covers them); an extra
			// overhead press would tip pushing past pulling. A strength
			// block still presses overhead as a main lift. Beginners never
			// get shrugs or wrist curls: they repeat a small set of main
			// lifts, which train traps and forearms well at their level.
			ms.status = statusIndirect
			a.covered = append(a.covered, Muscles[m])
		default:
			ms.status = statusGrow
			// A grow muscle gets at least 2 direct sets per training day so
			// it can be trained twice a week (Schoenfeld 2016), even when
			// its MEV is 0, and rises 1–2 sets a week towards MAV.
			ms.start = min(max(l.MEV, minStart), l.MAVHigh)
			inc := 1
			if acc > 1 {
				inc = min(max(roundInt(float64(l.MAVLow-ms.start)/float64(acc-1)), 1), 2)
			}
			ms.full = min(ms.start+inc*(acc-1), l.MAVHigh)
			if a.Input.Goal == GoalStrength && (m == mBiceps || m == mTriceps) {
				// Arms are a strength block's accessories: +1 a week, so
				// curls and extensions never outweigh the main lifts.
				ms.full = min(ms.start+acc-1, l.MAVHigh)
			}
		}
		a.injuryPriority(ms, m, minStart)
		ms.peak = ms.full
		if ms.status != statusIndirect {
			ms.least = least[m]
			ms.keepLeast()
		}
	}
	a.armsBelowMainLifts(&s, mainSets)
	return s
}

// pressesOverhead reports whether a strength block presses overhead as a
// main lift: 60+ minutes, 3+ days, past beginner, and an overhead press
// the lifter's equipment and injuries allow.
func (a *Analysis) pressesOverhead() bool {
	return a.Input.Goal == GoalStrength && a.SessionMinutes >= seedShortMinutes && a.Input.Experience != LevelBeginner && a.Input.DaysPerWeek >= strengthMinDays &&
		slices.ContainsFunc(a.byMuscle[mFrontDelts], func(i int) bool { return a.mainLiftCandidate(i, PatternVerticalPush) })
}

// muscleLabel is a muscle's name for sentences ("side delts").
func muscleLabel(m int) string { return strings.ReplaceAll(Muscles[m], "_", " ") }

// joinMuscles lists muscle names for a sentence.
func joinMuscles(names []string) string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = strings.ReplaceAll(n, "_", " ")
	}
	switch len(out) {
	case 0:
		return ""
	case 1:
		return out[0]
	default:
		return strings.Join(out[:len(out)-1], ", ") + " and " + out[len(out)-1]
	}
}

// capitalize upper-cases the first letter of a sentence.
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

// coveredByCompounds lists the small muscles with MV 0 that presses, rows
// and deadlifts train well enough when sessions are limited to 4–6 muscles.
func coveredByCompounds(m int) bool {
	return m == mFrontDelts || m == mTraps || m == mForearms
}

// beginnerCovered lists the muscles a beginner trains through the main
// lifts alone (DOMAIN.md: beginners repeat a small set of lifts, at most
// about 12 a week): traps and forearms from rows, deadlifts and carries
// (MV 0), rear delts from rows and abs from squats and hinges, both MV 0
// for a beginner.
func beginnerCovered(m int) bool {
	return coveredByCompounds(m) || m == mRearDelts || m == mAbs
}

// emphasisPeakFloor is DOMAIN.md's least peak for a weak point.
func emphasisPeakFloor(l Landmarks) int { return max(l.MEV+2, l.MAVLow) }

// noteWeakPointInjuries says when a weak point's usual exercises load an
// injured joint, and that it is trained around the injury (DOMAIN.md).
func (a *Analysis) noteWeakPointInjuries() {
	cat := catalogue().list
	for _, w := range a.Input.WeakPoints {
		m := muscleIndex(w)
		hurt := map[string]bool{}
		var spared []string
		for i := range cat {
			c := &cat[i]
			if c.primary[0] != int8(m) || c.missingEquipment(a.Input.Equipment) != "" || levelRank(c.Level) > levelRank(a.Input.Experience) {
				continue
			}
			if inj := c.contraindicatedBy(a.Input.Injuries); inj != "" {
				hurt[injuryLabel(inj)] = true
			}
		}
		if len(hurt) == 0 {
			continue
		}
		spared = a.sparedExamples(m)
		joints := make([]string, 0, len(hurt))
		for _, inj := range InjuryKinds {
			if hurt[injuryLabel(inj)] {
				joints = append(joints, injuryLabel(inj))
			}
		}
		injury, it := "the injury", "it"
		if len(joints) > 1 {
			injury, it = "the injuries", "them"
		}
		around := "with the exercises that remain"
		if len(spared) > 0 {
			around = "with exercises that spare " + it + ", such as " + strings.Join(spared, " and ")
		}
		a.Warnings = append(a.Warnings, sayMuscle(
			"Your {m} {is|are} a weak point, but some of {its|their} usual exercises load your injured %s; {it is|they are} trained around %s %s.",
			m, strings.Join(joints, " and "), injury, around))
	}
}

// sparedExamples names up to two of the best exercises led by m that the
// lifter may do, of different patterns when there are, for a sentence
// ("barbell Romanian deadlift and seated leg curl").
func (a *Analysis) sparedExamples(m int) []string {
	cat := catalogue().list
	var out []string
	first := -1
	for _, i := range a.byMuscle[m] {
		if cat[i].primary[0] != int8(m) {
			continue
		}
		if first < 0 {
			first = i
			out = append(out, lowerFirst(cat[i].Name))
		} else if cat[i].Pattern != cat[first].Pattern {
			return append(out, lowerFirst(cat[i].Name))
		}
	}
	for _, i := range a.byMuscle[m] {
		if len(out) < 2 && cat[i].primary[0] == int8(m) && i != first {
			out = append(out, lowerFirst(cat[i].Name))
		}
	}
	return out
}

// fitStrength fits the plan; when a strength block's funded overhead press
// leaves the program unbalanced or broken (few pulls with dumbbells only),
// it fits again with the front delts left to the presses, as before; a
// front-delt weak point is then said to be not emphasised.
func (a *Analysis) fitStrength(base planState) {
	if fd := base.m[mFrontDelts].status; (fd != statusGrow && fd != statusEmphasize) || a.Input.Goal != GoalStrength {
		a.fit(base)
		return
	}
	warnings, covered := slices.Clone(a.Warnings), slices.Clone(a.covered)
	weak := base.m[mFrontDelts].status == statusEmphasize
	a.fit(base)
	b := *a
	b.Rationale = "trial"
	for _, f := range Validate(b, Expand(b, b.BuiltinBlueprint())) {
		if f.Severity == SeverityError || f.Rule == RulePullPushRatio || f.Rule == RuleHamsQuadsRatio || f.Rule == RuleEmptyDay {
			a.Warnings, a.covered, a.Emphasized = warnings, covered, []string{}
			a.compact, a.timeBound, a.supplyDeemphasized = false, false, nil
			base.m[mFrontDelts].status, base.m[mFrontDelts].least = statusIndirect, 0
			a.covered = append(a.covered, Muscles[mFrontDelts])
			a.fit(base)
			if weak {
				a.Warnings = append(a.Warnings, "Your front delts are a weak point, but extra work for them would outrun the rowing and pulling your exercises allow, so they are not emphasised this block; the overhead presses still train them.")
			}
			return
		}
	}
}
