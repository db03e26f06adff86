package science

import (
	"fmt"
	"math"
	"slices"
	"strings"
)

// Generate builds the built-in program for an analysis. It is deterministic:
// the same analysis always gives the same program. An analysis that did not
// come from Analyze (for example one decoded from JSON) is re-derived from
// its input first. The built-in generator writes a blueprint from the fitted
// peak week and expands it with Expand, the same code that expands an LLM's
// blueprint, so both paths share one expander.
func Generate(a Analysis) Program {
	if a.plan == nil {
		b, err := Analyze(a.Input)
		if err != nil {
			return emptyProgram(a)
		}
		a = b
	}
	p := Expand(a, a.BuiltinBlueprint())
	for _, f := range Validate(a, p) {
		if f.Severity == SeverityWarning {
			p.Science.Warnings = append(p.Science.Warnings, f.Explanation)
		}
	}
	return p
}

// BuiltinBlueprint is the built-in generator's template week: the fitted
// peak-week layout with its prescriptions. Expand fits each week's sets
// down from it, so no week is longer than the one that was fitted.
func (a Analysis) BuiltinBlueprint() Blueprint {
	if a.plan == nil {
		b, err := Analyze(a.Input)
		if err != nil {
			return Blueprint{Days: []BlueprintDay{}}
		}
		a = b
	}
	cat := catalogue().list
	bp := Blueprint{Name: programName(&a), Rationale: a.Rationale, Days: make([]BlueprintDay, len(a.plan.days))}
	var swapped []string
	for d, slots := range a.plan.days {
		a.orderDay(&a.stateUsed, slots)
		day := BlueprintDay{Day: d + 1, Label: a.Split.Days[d].Label, Exercises: make([]BlueprintExercise, 0, len(slots))}
		for _, sl := range slots {
			e := &cat[sl.ex]
			lo, hi := repsFor(e, a.Input.Goal, sl.role)
			day.Exercises = append(day.Exercises, BlueprintExercise{
				ExerciseID: e.ID, Sets: sl.sets, RepMin: lo, RepMax: hi, Unit: e.unit(),
				RestSeconds: restSeconds(e, sl.role, a.SessionMinutes),
				Notes:       a.injuryNote(e, exerciseNotes(e, sl.role)), Rationale: a.exerciseRationale(e, sl),
			})
			if o, _ := a.swappedFor(e); o != nil && !slices.Contains(swapped, lowerFirst(o.Name)) {
				swapped = append(swapped, lowerFirst(o.Name))
			}
		}
		bp.Days[d] = day
	}
	bp.Rationale += a.injuryRationale(swapped)
	return bp
}

// emptyProgram is the shape returned for an analysis of invalid input: valid
// JSON with empty lists, which Validate then reports.
func emptyProgram(a Analysis) Program {
	return Program{
		SchemaVersion: SchemaVersion, Goal: a.Input.Goal, Experience: a.Input.Experience,
		Weeks: []Week{}, WeeklyVolume: []WeeklyVolume{},
		Science: ProgramScience{LandmarkTable: LandmarkTable, WeakPoints: []string{}, Warnings: []string{}, Fixes: []string{}},
	}
}

// estimateMinutes is the rounded time model estimate of a day.
func estimateMinutes(exs []ProgramExercise) int {
	return int(math.Round(dayMinutes(exs)))
}

// exerciseNotes gives the safety cue that matters most and the explicit
// progression: a load step for loaded work, reps then a harder variation
// for bodyweight work, seconds for holds.
func exerciseNotes(e *CatalogueExercise, r role) string {
	step := loadStep(e)
	var prog string
	switch {
	case e.Hold:
		// A hold has no reps to leave in reserve: end it while the
		// position is still clean.
		prog = "End each hold while your position is still clean; add 5–10 seconds once every hold reaches the top of the range."
	case step == "":
		prog = "Add reps first; once every set passes the top of the range, move to a harder variation."
	case r == roleHeavy:
		prog = "Main lift of the day: when every set reaches the top of the range at the target effort, " + step + " next session."
	default:
		prog = "When every set reaches the top of the range, " + step + "."
	}
	if e.CanPin {
		return "Use safeties or a spotter and stay at least 1 rep short of failure. " + prog
	}
	return prog
}

// exerciseRationale says in one sentence why the exercise is there.
func (a *Analysis) exerciseRationale(e *CatalogueExercise, sl layoutSlot) string {
	muscle := muscleLabel(sl.driver)
	var why string
	switch {
	case a.stateUsed.m[sl.driver].status == statusEmphasize:
		why = sayMuscle("early in the session and on two days a week because {m} {is|are} a weak point you asked to bring up", sl.driver)
	case e.Hold:
		why = holdWhy(e, muscle)
	case sl.role == roleHeavy:
		why = "the heavy lift of the day, trained fresh in low reps for strength"
	case e.isCompound() && len(e.SecondaryMuscles) > 0:
		why = fmt.Sprintf("a compound that trains %s with %s helping, so one lift covers several muscles", muscle, joinMuscles(e.SecondaryMuscles))
	case e.isCompound():
		why = fmt.Sprintf("a compound that loads %s well", muscle)
	default:
		why = fmt.Sprintf("isolates %s, which the compound lifts do not fully train", muscle)
	}
	if o, inj := a.swappedFor(e); o != nil {
		return fmt.Sprintf("%s for %s, in place of the %s, which %s: %s.", e.Name, muscle, lowerFirst(o.Name), jointStress[inj], why)
	}
	return fmt.Sprintf("%s for %s: %s.", e.Name, muscle, why)
}

// holdWhy says what a timed hold does; a stop-gap says why it is there.
func holdWhy(e *CatalogueExercise, muscle string) string {
	var why string
	switch e.Pattern {
	case PatternSquat:
		why = fmt.Sprintf("held still, it works %s without the knee moving under load", muscle)
	case PatternCoreStability:
		why = fmt.Sprintf("a timed hold that teaches %s to keep the trunk still, as they must under a heavy bar", muscle)
	case PatternCarry:
		why = "a timed walk with heavy weights that builds grip and a braced trunk"
	default:
		why = fmt.Sprintf("a timed hold that builds %s endurance and grip", muscle)
	}
	if e.Quality == tierCompromised {
		why += fmt.Sprintf(", because nothing loadable for %s fits your equipment and injuries", muscle)
	}
	return why
}

// jointStress says, per injury, what a left-out exercise would have done.
var jointStress = map[string]string{
	"shoulder":   "loads your injured shoulder",
	"elbow":      "strains your injured elbow",
	"wrist":      "bends your injured wrist back under load",
	"lower_back": "loads your injured lower back",
	"hip":        "takes your injured hip deep under load",
	"knee":       "takes your injured knee deep under load",
}

// swappedFor returns the exercise a declared injury ruled out in e's
// place: the first one, in the generator's own order, with e's pattern and
// first prime mover that the equipment and level allow but an injury
// excludes, ranked ahead of e. Nil when e was the first choice anyway.
func (a *Analysis) swappedFor(e *CatalogueExercise) (*CatalogueExercise, string) {
	if len(a.Input.Injuries) == 0 {
		return nil, ""
	}
	cat := catalogue().list
	for _, i := range catalogue().ranked {
		o := &cat[i]
		if o.ID == e.ID {
			return nil, ""
		}
		if o.Pattern != e.Pattern || o.primary[0] != e.primary[0] || o.missingEquipment(a.Input.Equipment) != "" || levelRank(o.Level) > levelRank(a.Input.Experience) {
			continue
		}
		if inj := o.contraindicatedBy(a.Input.Injuries); inj != "" {
			return o, inj
		}
		return nil, "" // a better exercise was allowed; e is there for another reason
	}
	return nil, ""
}

// injuryRationale is the program's line about the declared injuries: what
// they rule out and how the program works around them.
func (a *Analysis) injuryRationale(swapped []string) string {
	if len(a.Input.Injuries) == 0 {
		return ""
	}
	joints := make([]string, len(a.Input.Injuries))
	for i, inj := range a.Input.Injuries {
		joints[i] = injuryLabel(inj)
	}
	out := fmt.Sprintf(" Every exercise here spares your injured %s", joinMuscles(joints))
	if len(swapped) > 0 {
		verb := "are left out, each replaced"
		if len(swapped) == 1 {
			verb = "is left out, replaced"
		}
		out = fmt.Sprintf(" Because of your injured %s, the %s %s by an exercise for the same muscles that spares %s",
			joinMuscles(joints), joinMuscles(swapped), verb, pluralIt(len(joints)))
	}
	if slices.Contains(a.Input.Injuries, "elbow") {
		out += "; curls and triceps work stay moderate, two reps short of failure, with hammer, cable and pushdown variations"
	}
	if slices.Contains(a.Input.Injuries, "shoulder") && a.isTrained(mRearDelts) {
		out += "; rear delt work keeps the back of the shoulder strong"
	}
	return out + "."
}

// isTrained reports whether muscle m gets direct work in the plan.
func (a *Analysis) isTrained(m int) bool {
	return m < len(a.Muscles) && !a.Muscles[m].Indirect
}

// injuryNote adds the elbow-sparing cue to arm isolation when the elbow is
// injured (DOMAIN.md: swap rather than rest, and keep the joint calm).
func (a *Analysis) injuryNote(e *CatalogueExercise, notes string) string {
	if !a.sparesElbow(e) {
		return notes
	}
	cue := map[int]string{
		mBiceps:  "Elbow: stop two reps short of failure and keep the wrist neutral; a twinge at the inner elbow means lighter next time.",
		mTriceps: "Elbow: stop two reps short of failure and lock out smoothly, never snapping the elbow straight.",
	}[int(e.primary[0])]
	return cue + " " + notes
}

// sparesElbow reports arm isolation an injured elbow takes moderately:
// never to failure (blueprint.go keeps it at RIR 2 or more).
func (a *Analysis) sparesElbow(e *CatalogueExercise) bool {
	return !e.isCompound() && (e.hasPrimary(mBiceps) || e.hasPrimary(mTriceps)) && slices.Contains(a.Input.Injuries, "elbow")
}

// elbowRIRFloor is the least RIR of arm isolation with an injured elbow.
const elbowRIRFloor = 2

// pluralIt is "it" or "them".
func pluralIt(n int) string {
	if n == 1 {
		return "it"
	}
	return "them"
}

// lowerFirst lower-cases an exercise name for the middle of a sentence.
func lowerFirst(s string) string { return strings.ToLower(s[:1]) + s[1:] }

// programName is a short, descriptive title.
func programName(a *Analysis) string {
	goal := map[string]string{GoalHypertrophy: "Hypertrophy", GoalStrength: "Strength", GoalGeneralFitness: "General fitness"}[a.Input.Goal]
	split := map[string]string{"full_body": "full body", "upper_lower": "upper/lower", "ppl": "push/pull/legs", "upper_lower_ppl": "upper/lower + push/pull/legs"}[a.Split.Type]
	return fmt.Sprintf("%s %s, %d days × %d min", goal, split, a.Input.DaysPerWeek, a.Input.SessionMinutes)
}

// rationale explains the plan behind the program in a few sentences.
func (a *Analysis) rationale() string {
	var b strings.Builder
	fmt.Fprintf(&b, "A %d-week block: %d weeks building volume and effort (RIR %d down to %d), then a deload week with about half the sets. ",
		a.Weeks, a.accumulationWeeks(), a.WeekRIR[0], a.WeekRIR[a.accumulationWeeks()-1])
	fmt.Fprintf(&b, "%s training most muscles twice a week, which beats once a week for growth (Schoenfeld 2016). ", capitalize(programSplitLabel(a.Split.Type, a.Input.DaysPerWeek)))
	fmt.Fprintf(&b, "Weekly sets start near each muscle's minimum effective volume and rise by up to 2 sets a week where time allows (Renaissance Periodization landmarks, adjusted for your level: %s). ", a.Input.Experience)
	if len(a.Emphasized) > 0 {
		fmt.Fprintf(&b, "Your weak points (%s) get extra sets and are trained first in their sessions. ", joinMuscles(a.Emphasized))
	}
	fmt.Fprintf(&b, "Sessions are planned to fit %d minutes, main lifts before smaller exercises; %s",
		a.Input.SessionMinutes, progressionSentence(a.Progression))
	if len(a.covered) > 0 {
		b.WriteString(sayMuscles(" {M} {gets|get} no exercise of {its|their} own: presses, rows and deadlifts train {it|them}, which keeps each session to a handful of muscles.", a.covered))
	}
	return b.String()
}

func programSplitLabel(kind string, days int) string {
	switch kind {
	case "full_body":
		return fmt.Sprintf("%d full-body days,", days)
	case "upper_lower":
		return "upper/lower twice a week,"
	case "upper_lower_ppl":
		return "upper/lower plus push/pull/legs,"
	default:
		return "push/pull/legs twice a week,"
	}
}

// progressionSentence explains the load progression in plain words.
func progressionSentence(p string) string {
	switch p {
	case "linear":
		return "add load in small steps whenever every set reaches the top of its range (each exercise's notes give the step)."
	default:
		return "each exercise builds reps within its range first, then load (each exercise's notes give the step)."
	}
}
