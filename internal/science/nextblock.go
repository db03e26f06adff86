package science

import (
	"fmt"
	"math"
	"slices"
	"strings"
)

// LogSummary is what a finished block's training log says, frozen into the next block's input
// (DESIGN §5 `log_summary`). It is built by internal/training from logged sets and session
// feedback; the science below turns it into the next block's starting point (DOMAIN "Training
// from a log"). It is part of the cache key, so a new log is never answered with an old block.
type LogSummary struct {
	// SessionsPlanned and SessionsLogged measure adherence over the block.
	SessionsPlanned int `json:"sessions_planned"`
	SessionsLogged  int `json:"sessions_logged"`
	// Muscles is one entry per muscle the block trained directly, in Muscles order.
	Muscles []MuscleLog `json:"muscles"`
	// Exercises is one entry per logged exercise, sorted by id.
	Exercises []ExerciseLog `json:"exercises"`
}

// MuscleLog is one muscle's record over the block.
type MuscleLog struct {
	Muscle string `json:"muscle"`
	// ReachedSets is the direct sets logged in the last accumulation week that has a log: the
	// volume the block actually reached.
	ReachedSets int `json:"reached_sets"`
	// Soreness (none|mild|lasting) and Pump (low|good|great) are the most frequent answers of the
	// completed sessions that trained the muscle directly ("" when no feedback was given).
	Soreness string `json:"soreness"`
	Pump     string `json:"pump"`
	// LoggedSets counts the muscle's direct sets logged; MissedSets those below the range.
	LoggedSets int `json:"logged_sets"`
	MissedSets int `json:"missed_sets"`
}

// ExerciseLog is one exercise's record over the block.
type ExerciseLog struct {
	ExerciseID string `json:"exercise_id"`
	// E1RMKg is the best estimated one-rep max (Epley), 0 when no set gives one.
	E1RMKg float64 `json:"e1rm_kg"`
	// Painful is set when a session's feedback named the exercise with joint pain "stop".
	Painful bool `json:"painful"`
}

// Feedback answers of the session form (DESIGN §5).
const (
	SorenessNone    = "none"
	SorenessMild    = "mild"
	SorenessLasting = "lasting"
	PumpLow         = "low"
	PumpGood        = "good"
	PumpGreat       = "great"
	JointPainNone   = "none"
	JointPainSome   = "some"
	JointPainStop   = "stop"
)

// epleyMaxReps is the highest rep count Epley's formula is trusted for; past it the estimate
// drifts upward (endurance, not strength, decides the set).
const epleyMaxReps = 12

// E1RM is the Epley estimate of a one-rep max, weight × (1 + reps / 30), for 1–12 reps and a
// positive load; ok is false when the set gives no estimate.
func E1RM(weightKg float64, reps int) (kg float64, ok bool) {
	if weightKg <= 0 || reps < 1 || reps > epleyMaxReps {
		return 0, false
	}
	return weightKg * (1 + float64(reps)/30), true
}

// missedShare is the share of a muscle's logged sets below the rep range that counts as "missed
// reps" (RP: hold or cut volume when performance drops).
const missedShare = 0.25

// volumeDelta is RP's set adjustment for the next block from one muscle's record, and the reason
// in words: lasting soreness or missed reps hold or cut, little soreness with a good pump adds.
func volumeDelta(ml MuscleLog) (int, string) {
	missed := ml.LoggedSets > 0 && float64(ml.MissedSets) >= missedShare*float64(ml.LoggedSets)
	switch {
	case ml.Soreness == SorenessLasting && missed:
		return -2, "lasting soreness and missed reps"
	case ml.Soreness == SorenessLasting:
		return -1, "lasting soreness"
	case missed:
		return -1, "missed reps"
	case ml.Soreness == SorenessNone && ml.Pump == PumpGreat:
		return 2, "no soreness and a great pump"
	case ml.Soreness != "" && ml.Soreness != SorenessLasting && (ml.Pump == PumpGood || ml.Pump == PumpGreat):
		return 1, "little soreness and a good pump"
	default:
		return 0, "mixed feedback"
	}
}

// NextBlockStart is the week-1 direct sets of a muscle in the next block: where the last block
// ended, adjusted by feedback, always within [MEV, MRV].
func NextBlockStart(l Landmarks, ml MuscleLog) (sets, delta int, why string) {
	delta, why = volumeDelta(ml)
	return min(max(ml.ReachedSets+delta, l.MEV), l.MRV), delta, why
}

// PainfulExercises lists the exercises the log says to swap out.
func (s *LogSummary) PainfulExercises() []string {
	var out []string
	for _, e := range s.Exercises {
		if e.Painful {
			out = append(out, e.ExerciseID)
		}
	}
	return out
}

// e1rm returns the logged estimate for an exercise, 0 when none.
func (s *LogSummary) e1rm(id string) float64 {
	for _, e := range s.Exercises {
		if e.ExerciseID == id {
			return e.E1RMKg
		}
	}
	return 0
}

// applyLogToSelection removes the exercises that hurt from the allowed set, so every generator
// (built-in and LLM alike) picks a substitute of the same pattern and primary muscle instead.
// Called by Analyze after selectExercises.
func (a *Analysis) applyLogToSelection() {
	ls := a.Input.LogSummary
	if ls == nil {
		return
	}
	painful := ls.PainfulExercises()
	if len(painful) == 0 {
		return
	}
	cat := catalogue().list
	for _, id := range painful {
		i, ok := catalogue().byID[id]
		if !ok || !a.allowed[i] {
			continue
		}
		a.allowed[i] = false
		a.AllowedExercises = slices.DeleteFunc(a.AllowedExercises, func(x string) bool { return x == id })
		for m := range a.byMuscle {
			a.byMuscle[m] = slices.DeleteFunc(a.byMuscle[m], func(x int) bool { return x == i })
		}
		a.nextNotes = append(a.nextNotes, fmt.Sprintf("%s is swapped out because it caused joint pain; a substitute of the same pattern takes its place.", cat[i].Name))
	}
	// The best tier left may be lower now.
	for i := range cat {
		if a.allowed[i] {
			a.bestTier[i] = int8(a.bestQualityFor(&cat[i]))
		}
	}
}

// applyLogToPlan starts each logged muscle from where the last block ended (NextBlockStart) and
// ramps from there. Called by Analyze after basePlan, before the time-budget fit.
func (a *Analysis) applyLogToPlan(s *planState) {
	ls := a.Input.LogSummary
	if ls == nil {
		return
	}
	acc := a.accumulationWeeks()
	for _, ml := range ls.Muscles {
		m := muscleIndex(ml.Muscle)
		if m < 0 || ml.ReachedSets <= 0 {
			continue
		}
		ms := &s.m[m]
		if ms.status != statusGrow && ms.status != statusEmphasize {
			continue
		}
		start, delta, why := NextBlockStart(ms.l, ml)
		// The block starts higher, so it climbs gently: one set a week, and it starts low
		// enough that the climb ends at MRV at most (volume still rises every week).
		start = max(min(start, ms.l.MRV-(acc-1)), ms.l.MEV)
		ms.start = start
		ms.full = min(start+acc-1, ms.l.MRV)
		ms.peak = ms.full
		a.nextNotes = append(a.nextNotes, fmt.Sprintf("%s: start at %d direct sets a week (the last block reached %d; %s: %+d).",
			capitalize(muscleLabel(m)), start, ml.ReachedSets, why, delta))
	}
	if ls.SessionsPlanned > 0 {
		a.nextNotes = append([]string{fmt.Sprintf("This block follows your last one, where you logged %d of %d sessions.",
			ls.SessionsLogged, ls.SessionsPlanned)}, a.nextNotes...)
	}
}

// startLoadFactor: a first load is set for the top of the new rep range plus the week's RIR,
// so the lifter starts inside the range and double progression takes over.
func startLoadFor(e1rm float64, repMax, rir int, barbell bool) float64 {
	kg := e1rm / (1 + float64(repMax+rir)/30)
	step := dumbbellStep
	if barbell {
		step = barbellStep
	}
	return math.Floor(kg/step) * step
}

// Load steps used to round suggested loads down to something a gym has.
const (
	barbellStep  = 2.5
	dumbbellStep = 2.0
)

// ApplyLog finishes a next block's program, built-in or LLM alike: an exercise that hurt is
// swapped for an allowed substitute of the same pattern and primary muscle (a model may ignore
// the allowed list), start_kg of every logged exercise comes from its estimated max at the new
// rep range, and the rationale says what changed. It is a no-op for a first block. Generation
// calls it before Enhance, so the validator judges the result.
func ApplyLog(a Analysis, p *Program) {
	ls := a.Input.LogSummary
	if ls == nil {
		return
	}
	painful := ls.PainfulExercises()
	for w := range p.Weeks {
		for d := range p.Weeks[w].Days {
			exs := p.Weeks[w].Days[d].Exercises
			for i := range exs {
				pe := &exs[i]
				if slices.Contains(painful, pe.ExerciseID) {
					swapPainful(&a, exs, i)
				}
				e1rm := ls.e1rm(pe.ExerciseID)
				if e1rm <= 0 || pe.Unit == UnitSeconds || len(pe.Equipment) == 0 {
					continue
				}
				kg := startLoadFor(e1rm, pe.RepMax, pe.TargetRIR, slices.Contains(pe.Equipment, "barbell"))
				if kg > 0 {
					pe.StartKg = &kg
				}
			}
		}
	}
	notes := a.NextBlockNotes()
	if notes != "" && !strings.Contains(p.Science.Rationale, notes) {
		p.Science.Rationale = strings.TrimSpace(p.Science.Rationale + " " + notes)
	}
}

// NextBlockNotes is what the log changed, in sentences ("" for a first block).
func (a *Analysis) NextBlockNotes() string {
	if a.Input.LogSummary == nil {
		return ""
	}
	notes := a.nextNotes
	if len(notes) == 0 && a.plan == nil {
		// A decoded analysis has lost its notes: derive them again.
		if b, err := Analyze(a.Input); err == nil {
			notes = b.nextNotes
		}
	}
	if len(a.Input.LogSummary.Exercises) > 0 {
		notes = append(slices.Clip(notes), "Starting loads come from your estimated maxima at the new rep ranges.")
	}
	return strings.Join(notes, " ")
}

// swapPainful replaces exs[i] with the first allowed substitute that shares its first primary
// muscle (the same pattern preferred) and is not already in the day; sets, reps and rest stay.
func swapPainful(a *Analysis, exs []ProgramExercise, i int) {
	old, ok := LookupExercise(exs[i].ExerciseID)
	if !ok || len(old.PrimaryMuscles) == 0 {
		return
	}
	inDay := func(id string) bool {
		return slices.ContainsFunc(exs, func(e ProgramExercise) bool { return e.ExerciseID == id })
	}
	var fallback *CatalogueExercise
	for _, id := range old.Substitutes {
		c, ok := LookupExercise(id)
		if !ok || !slices.Contains(a.AllowedExercises, id) || inDay(id) || len(c.PrimaryMuscles) == 0 || c.PrimaryMuscles[0] != old.PrimaryMuscles[0] {
			continue
		}
		if c.Pattern == old.Pattern {
			fallback = &c
			break
		}
		if fallback == nil {
			fallback = &c
		}
	}
	if fallback == nil {
		return // nothing fits: the validator's report stands
	}
	pe := &exs[i]
	pe.ExerciseID, pe.Name = fallback.ID, fallback.Name
	pe.Equipment = append([]string{}, fallback.Equipment...)
	pe.PrimaryMuscles = append([]string{}, fallback.PrimaryMuscles...)
	pe.SecondaryMuscles = append([]string{}, fallback.SecondaryMuscles...)
	pe.Rationale = fmt.Sprintf("%s replaces %s, which caused joint pain last block.", fallback.Name, old.Name)
}
