package training

import (
	"fmt"
	"math"
	"slices"

	"liftplan/internal/science"
)

// Load steps of double progression (DOMAIN "Other variables"): a barbell moves by the smallest
// plates a gym has, more for the legs; everything else moves to the next dumbbell.
const (
	barbellUpperStepKg = 2.5
	barbellLowerStepKg = 5.0
	// Dumbbells run in 2 kg steps up to 10 kg and in 2.5 kg steps above, as most racks do.
	dumbbellSmallStepKg = 2.0
	dumbbellLargeStepKg = 2.5
	dumbbellSmallTopKg  = 10.0
)

// lowerBody muscles get the larger barbell step.
var lowerBody = []string{"quads", "hamstrings", "glutes", "calves"}

// LastSession is how an exercise went the last time it was trained.
type LastSession struct {
	// Sets are the logged sets, by set number.
	Sets []Set
	// PlannedSets, RepMax and TargetRIR are what that session prescribed.
	PlannedSets, RepMax, TargetRIR int
}

// Suggestion is the load to use next, with the reason in words.
type Suggestion struct {
	// Kg is nil when there is nothing to suggest yet (nothing logged, no start load, a hold).
	Kg  *float64
	Why string
}

// Suggest applies double progression to one exercise: the same load until every planned set
// reached the top of the range at or above the target RIR (a set without RIR counts as on
// target), then the next step up. With nothing logged the program's start_kg, if any, stands.
func Suggest(ex science.ProgramExercise, last *LastSession) Suggestion {
	if ex.Unit == science.UnitSeconds {
		return Suggestion{Why: "Hold for the time; add seconds before adding load."}
	}
	if last == nil || len(last.Sets) == 0 {
		if ex.StartKg != nil {
			kg := *ex.StartKg
			return Suggestion{Kg: &kg, Why: "Start load from your last block's estimated max."}
		}
		return Suggestion{Why: "First time: pick a load you can lift for the range at the target RIR."}
	}
	load := 0.0
	for _, s := range last.Sets {
		load = math.Max(load, s.WeightKg)
	}
	if !hitTop(last, load) {
		return Suggestion{Kg: &load, Why: fmt.Sprintf("Same load: beat %d reps on every set first.", last.RepMax)}
	}
	if load == 0 && Bodyweight(ex.Equipment) {
		return Suggestion{Kg: &load, Why: "Every set hit the top of the range: slow the lowering, or add a small load."}
	}
	next := NextLoad(ex, load)
	return Suggestion{Kg: &next, Why: fmt.Sprintf("Every set reached %d reps: up %.4g kg.", last.RepMax, next-load)}
}

// hitTop reports whether every planned set was logged at load with at least rep_max reps and at
// or above the target RIR.
func hitTop(last *LastSession, load float64) bool {
	done := 0
	for _, s := range last.Sets {
		if s.WeightKg < load || s.Reps < last.RepMax || (s.RIR != nil && *s.RIR < last.TargetRIR) {
			return false
		}
		done++
	}
	return done >= last.PlannedSets
}

// NextLoad is one step up from kg for the exercise's equipment.
func NextLoad(ex science.ProgramExercise, kg float64) float64 {
	if slices.Contains(ex.Equipment, "barbell") {
		for _, m := range ex.PrimaryMuscles {
			if slices.Contains(lowerBody, m) {
				return kg + barbellLowerStepKg
			}
		}
		return kg + barbellUpperStepKg
	}
	return nextDumbbell(kg)
}

// nextDumbbell is the lightest dumbbell heavier than kg on a 2 kg / 2.5 kg rack.
func nextDumbbell(kg float64) float64 {
	if kg < dumbbellSmallTopKg {
		return math.Min((math.Floor(kg/dumbbellSmallStepKg)+1)*dumbbellSmallStepKg, dumbbellSmallTopKg)
	}
	return (math.Floor(kg/dumbbellLargeStepKg) + 1) * dumbbellLargeStepKg
}

// E1RM is the best Epley estimate among sets (0 when none gives one; DOMAIN: reps ≤ 12).
func E1RM(sets []Set) float64 {
	best := 0.0
	for _, s := range sets {
		if e, ok := science.E1RM(s.WeightKg, s.Reps); ok {
			best = math.Max(best, e)
		}
	}
	return best
}

// deloadPhase is the phase of the block's last, recovery week.
const deloadPhase = "deload"

// deload holds the load a deload week would otherwise step up: recovery, not progression
// (DOMAIN: same weights or slightly lighter, half the sets).
func deload(s Suggestion, last *LastSession) Suggestion {
	if s.Kg == nil || last == nil || len(last.Sets) == 0 {
		return s
	}
	load := 0.0
	for _, set := range last.Sets {
		load = math.Max(load, set.WeightKg)
	}
	return Suggestion{Kg: &load, Why: "Deload week: the same load, fewer sets, well short of failure."}
}

// loadedEquipment is equipment whose load the lifter picks in kg; anything else (a pull-up bar,
// a bench, bands) is bodyweight work, where kg is what the lifter adds.
var loadedEquipment = []string{"barbell", "dumbbells", "kettlebells", "machines", "cables"}

// Bodyweight reports whether an exercise with this equipment is bodyweight work.
func Bodyweight(equipment []string) bool {
	for _, e := range equipment {
		if slices.Contains(loadedEquipment, e) {
			return false
		}
	}
	return true
}
