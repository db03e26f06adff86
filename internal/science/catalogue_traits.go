package science

import "slices"

// Traits of catalogue exercises kept beside the rows, so the row table stays
// readable: which exercises are holds, which work one side at a time, and
// how a coach ranks them.

// Units of a prescription: reps, or seconds for holds (DESIGN §5).
const (
	UnitReps    = "reps"
	UnitSeconds = "seconds"
)

// Hold durations in seconds: DOMAIN.md's 10–90 s for isometric work.
const (
	MinHoldSeconds = 10
	MaxHoldSeconds = 90
)

// holdIDs are isometric exercises, prescribed in seconds. Carries count as
// holds: they are timed, not counted.
var holdIDs = map[string]bool{
	"wall_sit": true, "plank": true, "side_plank": true, "hollow_body_hold": true,
	"dead_hang": true, "fingertip_plank": true, "dumbbell_farmer_carry": true, "kettlebell_farmer_carry": true,
}

// unilateralIDs work one side at a time, so each set takes twice the working
// time in the revised time model.
var unilateralIDs = map[string]bool{
	"dumbbell_bulgarian_split_squat": true, "dumbbell_walking_lunge": true, "barbell_reverse_lunge": true,
	"dumbbell_step_up": true, "kettlebell_reverse_lunge": true, "split_squat": true, "bodyweight_step_up": true,
	"pistol_squat": true, "single_leg_dumbbell_rdl": true, "bodyweight_single_leg_rdl": true,
	"single_leg_glute_bridge": true, "one_arm_dumbbell_row": true, "kettlebell_supported_row": true,
	"dumbbell_calf_raise": true, "single_leg_calf_raise": true, "concentration_curl": true,
	"side_plank": true, "cable_glute_kickback": true, "landmine_press": true, "archer_push_up": true,
	"cable_leg_curl": true, "cable_leg_extension": true,
}

// Quality tiers, best first: a coach reaches for a stable, loadable,
// progressive exercise when the equipment allows, and for a bodyweight or
// improvised variant only when nothing better is there.
const (
	tierLoadable    = iota // barbell, machines, cables, dumbbells, pull-up bar
	tierKettlebell         // loadable in coarse steps
	tierBand               // progressive only by band colour
	tierBodyweight         // progressive by reps and leverage
	tierCompromised        // improvised, or a poor lever for the muscle
)

// compromisedIDs are improvised variants or exercises a coach keeps for
// when nothing else trains the muscle.
var compromisedIDs = map[string]bool{
	"floor_towel_lat_pull": true, "doorframe_row": true, "doorframe_curl": true, "towel_wring": true,
	"table_inverted_row": true, "prone_lateral_raise": true, "prone_t_raise": true, "prone_y_raise": true,
	"bodyweight_triceps_extension": true, "wall_sit": true, "frog_pump": true, "sliding_leg_curl": true,
	"bench_dip": true, "barbell_upright_row": true, "fingertip_plank": true, "dead_hang": true,
	"scapular_pull_up": true, "bodyweight_calf_raise": true,
}

// qualityTier ranks an exercise by what it needs and how it progresses.
func qualityTier(r *catalogueRow, equipment []string) int {
	if compromisedIDs[r.id] {
		return tierCompromised
	}
	tier := tierBodyweight
	for _, q := range equipment {
		switch q {
		case "barbell", "machines", "cables", "dumbbells", "pullup_bar":
			tier = min(tier, tierLoadable)
		case "kettlebells":
			tier = min(tier, tierKettlebell)
		case "bands":
			tier = min(tier, tierBand)
		}
	}
	// A band-assisted pull-up is a pull-up: the bar decides its tier.
	return tier
}

// isLoaded reports whether the exercise takes external load, so load
// progression advice and ramp-up sets apply to it.
func (e *CatalogueExercise) isLoaded() bool {
	for _, q := range e.Equipment {
		if q != "bench" && q != "pullup_bar" {
			return true
		}
	}
	return false
}

// heavyLoad reports whether the exercise is loaded by more than a band
// (weights, a machine, a cable, or the body on a bar with a band's help):
// load a lifter works up to with ramp-up sets and rests from for 2 minutes
// or more (DOMAIN.md). A band's tension is light at the start of each rep
// and rises only by band colour, so a banded press or row is warmed up and
// rested like bodyweight work.
func (e *CatalogueExercise) heavyLoad() bool {
	if !e.isLoaded() {
		return false
	}
	for _, q := range e.Equipment {
		if q != "bands" && q != "bench" {
			return true
		}
	}
	return false
}

// takesTriples reports whether the exercise can be a strength block's heavy
// 3–6-rep lift: loaded by more than a band, and not a band-assisted
// pull-up, where the band takes load off and the next step is a lighter
// band, not a heavier weight.
func (e *CatalogueExercise) takesTriples() bool {
	return e.heavyLoad() && !(slices.Contains(e.Equipment, "pullup_bar") && slices.Contains(e.Equipment, "bands"))
}

// unit is how the exercise is prescribed.
func (e *CatalogueExercise) unit() string {
	if e.Hold {
		return UnitSeconds
	}
	return UnitReps
}
