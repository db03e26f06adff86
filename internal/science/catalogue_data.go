package science

// catalogueRow is one exercise as typed by us; lists are space-separated to
// keep the table readable. Facts are our own wording of common knowledge.
type catalogueRow struct {
	id, name, pattern, mechanic           string
	equipment, primary, secondary, contra string
	level                                 string
	pins                                  bool
}

// Movement patterns of the catalogue.
const (
	PatternSquat          = "squat"
	PatternLunge          = "lunge"
	PatternKneeExtension  = "knee_extension"
	PatternHinge          = "hinge"
	PatternKneeFlexion    = "knee_flexion"
	PatternHipExtension   = "hip_extension"
	PatternHipAbduction   = "hip_abduction"
	PatternHorizontalPush = "horizontal_push"
	PatternChestFly       = "chest_fly"
	PatternVerticalPush   = "vertical_push"
	PatternHorizontalPull = "horizontal_pull"
	PatternVerticalPull   = "vertical_pull"
	PatternShoulderExt    = "shoulder_extension"
	PatternLateralRaise   = "lateral_raise"
	PatternFrontRaise     = "front_raise"
	PatternRearDeltFly    = "rear_delt_fly"
	PatternElbowFlexion   = "elbow_flexion"
	PatternElbowExtension = "elbow_extension"
	PatternCalfRaise      = "calf_raise"
	PatternCoreFlexion    = "core_flexion"
	PatternCoreStability  = "core_stability"
	PatternShrug          = "shrug"
	PatternWrist          = "wrist"
	PatternCarry          = "carry"
)

// Patterns lists every movement pattern.
var Patterns = []string{
	PatternSquat, PatternLunge, PatternKneeExtension, PatternHinge, PatternKneeFlexion,
	PatternHipExtension, PatternHipAbduction, PatternHorizontalPush, PatternChestFly,
	PatternVerticalPush, PatternHorizontalPull, PatternVerticalPull, PatternShoulderExt,
	PatternLateralRaise, PatternFrontRaise, PatternRearDeltFly, PatternElbowFlexion,
	PatternElbowExtension, PatternCalfRaise, PatternCoreFlexion, PatternCoreStability,
	PatternShrug, PatternWrist, PatternCarry,
}

const (
	comp = MechanicCompound
	iso  = MechanicIsolation
	beg  = LevelBeginner
	mid  = LevelIntermediate
	adv  = LevelAdvanced
)

// catalogueRows is the catalogue in curated order: within each muscle the
// exercise a coach would reach for first comes first, because the generator
// breaks ties by this order (within a quality tier, catalogue_traits.go).
// Contraindication tags follow the stress an exercise puts on a joint, the
// same stress carrying the same tag across patterns (DOMAIN.md, "Injuries by
// joint stress"): knee on deep loaded knee flexion, every lunge and step-up,
// pistols, sissy squats, Nordics (a squat to a high box stops above
// parallel, so it carries neither knee nor hip); hip on deep loaded squats
// and every lunge; lower_back on loaded hinges, spinal flexion, bar-on-back
// squats and lunges, unsupported rows; shoulder on overhead pressing and
// hanging, every overhead pull but the neutral-grip pulldown, a bar held
// across the back, flat and incline barbell benching, dips, upright rows,
// deep-stretch presses and overhead elbow extensions; elbow on skull
// crushers, overhead extensions, reverse, straight-bar, deep-stretch and
// preacher curls, close-grip pressing, dips, chin-ups and the bar-on-back
// grip; wrist on palms-flat push-ups, straight-bar curls, front-rack holds,
// the bar-on-back grip and wrist work.
var catalogueRows = []catalogueRow{
	// Quads: squats, lunges, knee extension.
	{"barbell_back_squat", "Barbell back squat", PatternSquat, comp, "barbell", "quads glutes", "hamstrings abs", "knee lower_back hip shoulder elbow wrist", beg, true},
	{"barbell_front_squat", "Barbell front squat", PatternSquat, comp, "barbell", "quads glutes", "abs traps", "knee wrist elbow hip", mid, true},
	{"hack_squat", "Machine hack squat", PatternSquat, comp, "machines", "quads", "glutes", "knee hip", beg, false},
	{"leg_press", "Leg press", PatternSquat, comp, "machines", "quads", "glutes hamstrings", "knee", beg, false},
	{"smith_machine_squat", "Smith machine squat", PatternSquat, comp, "machines", "quads glutes", "hamstrings", "knee hip shoulder elbow wrist", beg, false},
	{"dumbbell_goblet_squat", "Dumbbell goblet squat", PatternSquat, comp, "dumbbells", "quads glutes", "abs", "knee hip", beg, false},
	{"kettlebell_goblet_squat", "Kettlebell goblet squat", PatternSquat, comp, "kettlebells", "quads glutes", "abs", "knee hip", beg, false},
	{"barbell_pause_squat", "Barbell pause squat", PatternSquat, comp, "barbell", "quads glutes", "hamstrings abs", "knee lower_back hip shoulder elbow wrist", adv, true},
	{"barbell_box_squat", "Barbell squat to a high box", PatternSquat, comp, "barbell bench", "quads glutes", "hamstrings", "lower_back shoulder elbow wrist", mid, true},
	// A front rack keeps the torso upright (no bar across the back) and the
	// high box keeps the knee above parallel: the heavy squat a lifter with
	// an injured lower back and knee can load in fine steps.
	{"barbell_front_box_squat", "Barbell front squat to a high box", PatternSquat, comp, "barbell bench", "quads glutes", "abs traps", "wrist elbow", mid, true},
	{"dumbbell_box_squat", "Dumbbell squat to a high box", PatternSquat, comp, "dumbbells bench", "quads glutes", "hamstrings", "", beg, false},
	{"band_squat", "Banded squat", PatternSquat, comp, "bands", "quads glutes", "", "", beg, false},
	{"spanish_squat", "Spanish squat with a band", PatternSquat, comp, "bands", "quads", "glutes", "", mid, false},
	{"bodyweight_squat", "Bodyweight squat", PatternSquat, comp, "", "quads glutes", "hamstrings", "", beg, false},
	{"wall_sit", "Wall sit", PatternSquat, comp, "", "quads", "glutes", "", beg, false},
	{"pistol_squat", "Pistol squat", PatternSquat, comp, "", "quads glutes", "abs", "knee hip", adv, false},
	{"dumbbell_bulgarian_split_squat", "Dumbbell Bulgarian split squat", PatternLunge, comp, "dumbbells bench", "quads glutes", "hamstrings", "knee hip", mid, false},
	{"dumbbell_walking_lunge", "Dumbbell walking lunge", PatternLunge, comp, "dumbbells", "quads glutes", "hamstrings", "knee hip", beg, false},
	{"barbell_reverse_lunge", "Barbell reverse lunge", PatternLunge, comp, "barbell", "quads glutes", "hamstrings", "knee hip lower_back shoulder elbow wrist", mid, false},
	{"dumbbell_step_up", "Dumbbell step-up", PatternLunge, comp, "dumbbells bench", "quads glutes", "hamstrings", "knee hip", beg, false},
	{"kettlebell_reverse_lunge", "Kettlebell reverse lunge", PatternLunge, comp, "kettlebells", "quads glutes", "", "knee hip", beg, false},
	{"split_squat", "Bodyweight split squat", PatternLunge, comp, "", "quads glutes", "hamstrings", "knee hip", beg, false},
	{"bodyweight_step_up", "Step-up onto a sturdy step", PatternLunge, comp, "", "quads glutes", "", "knee hip", beg, false},
	{"leg_extension", "Leg extension", PatternKneeExtension, iso, "machines", "quads", "", "", beg, false},
	{"cable_leg_extension", "Standing cable leg extension", PatternKneeExtension, iso, "cables", "quads", "", "", mid, false},
	{"band_leg_extension", "Banded leg extension", PatternKneeExtension, iso, "bands", "quads", "", "", beg, false},
	{"sissy_squat", "Sissy squat", PatternKneeExtension, iso, "", "quads", "", "knee", adv, false},

	// Hamstrings: hinges and knee flexion.
	{"barbell_romanian_deadlift", "Barbell Romanian deadlift", PatternHinge, comp, "barbell", "hamstrings glutes", "back forearms", "lower_back", beg, false},
	{"dumbbell_romanian_deadlift", "Dumbbell Romanian deadlift", PatternHinge, comp, "dumbbells", "hamstrings glutes", "forearms", "lower_back", beg, false},
	{"barbell_deadlift", "Barbell deadlift", PatternHinge, comp, "barbell", "hamstrings glutes", "back traps forearms quads", "lower_back", mid, false},
	{"kettlebell_romanian_deadlift", "Kettlebell Romanian deadlift", PatternHinge, comp, "kettlebells", "hamstrings glutes", "forearms", "lower_back", beg, false},
	{"single_leg_dumbbell_rdl", "Single-leg dumbbell Romanian deadlift", PatternHinge, comp, "dumbbells", "hamstrings glutes", "abs", "lower_back", mid, false},
	{"back_extension_45", "45° back extension", PatternHinge, comp, "machines", "hamstrings glutes", "back", "lower_back", beg, false},
	{"good_morning", "Barbell good morning", PatternHinge, comp, "barbell", "hamstrings", "glutes back", "lower_back shoulder elbow wrist", adv, false},
	{"kettlebell_swing", "Kettlebell swing", PatternHinge, comp, "kettlebells", "glutes hamstrings", "abs forearms", "lower_back", mid, false},
	{"bodyweight_single_leg_rdl", "Bodyweight single-leg Romanian deadlift", PatternHinge, comp, "", "hamstrings glutes", "abs", "", beg, false},
	{"lying_leg_curl", "Lying leg curl", PatternKneeFlexion, iso, "machines", "hamstrings", "calves", "", beg, false},
	{"seated_leg_curl", "Seated leg curl", PatternKneeFlexion, iso, "machines", "hamstrings", "", "", beg, false},
	{"cable_leg_curl", "Standing cable leg curl", PatternKneeFlexion, iso, "cables", "hamstrings", "", "", beg, false},
	{"dumbbell_leg_curl", "Prone dumbbell leg curl", PatternKneeFlexion, iso, "dumbbells bench", "hamstrings", "", "", mid, false},
	{"band_leg_curl", "Banded leg curl", PatternKneeFlexion, iso, "bands", "hamstrings", "", "", beg, false},
	{"sliding_leg_curl", "Sliding leg curl on towels", PatternKneeFlexion, iso, "", "hamstrings", "glutes", "", beg, false},
	{"nordic_curl", "Nordic hamstring curl", PatternKneeFlexion, iso, "", "hamstrings", "", "knee", adv, false},
	{"glute_ham_raise", "Glute-ham raise", PatternKneeFlexion, comp, "machines", "hamstrings", "glutes calves", "knee", adv, false},

	// Glutes: hip extension and abduction.
	{"barbell_hip_thrust", "Barbell hip thrust", PatternHipExtension, comp, "barbell bench", "glutes", "hamstrings", "", beg, false},
	{"machine_hip_thrust", "Machine hip thrust", PatternHipExtension, comp, "machines", "glutes", "hamstrings", "", beg, false},
	{"dumbbell_hip_thrust", "Dumbbell hip thrust", PatternHipExtension, comp, "dumbbells bench", "glutes", "hamstrings", "", beg, false},
	{"cable_pull_through", "Cable pull-through", PatternHinge, comp, "cables", "glutes hamstrings", "", "lower_back", beg, false},
	{"cable_glute_kickback", "Cable glute kickback", PatternHipExtension, iso, "cables", "glutes", "hamstrings", "", beg, false},
	{"machine_hip_abduction", "Machine hip abduction", PatternHipAbduction, iso, "machines", "glutes", "", "", beg, false},
	{"band_hip_abduction", "Banded hip abduction", PatternHipAbduction, iso, "bands", "glutes", "", "", beg, false},
	{"glute_bridge", "Glute bridge", PatternHipExtension, comp, "", "glutes", "hamstrings", "", beg, false},
	{"single_leg_glute_bridge", "Single-leg glute bridge", PatternHipExtension, comp, "", "glutes", "hamstrings", "", beg, false},
	{"frog_pump", "Frog pump", PatternHipExtension, iso, "", "glutes", "", "hip", beg, false},
	{"kettlebell_sumo_deadlift", "Kettlebell sumo deadlift", PatternHinge, comp, "kettlebells", "glutes", "quads hamstrings", "lower_back hip", beg, false},

	// Chest: presses and flyes.
	{"barbell_bench_press", "Barbell bench press", PatternHorizontalPush, comp, "barbell bench", "chest", "triceps front_delts", "shoulder", beg, true},
	{"dumbbell_bench_press", "Dumbbell bench press", PatternHorizontalPush, comp, "dumbbells bench", "chest", "triceps front_delts", "", beg, false},
	{"barbell_incline_bench_press", "Barbell incline bench press", PatternHorizontalPush, comp, "barbell bench", "chest", "front_delts triceps", "shoulder", mid, true},
	{"dumbbell_incline_press", "Dumbbell incline press", PatternHorizontalPush, comp, "dumbbells bench", "chest", "front_delts triceps", "", beg, false},
	{"machine_chest_press", "Machine chest press", PatternHorizontalPush, comp, "machines", "chest", "triceps front_delts", "", beg, false},
	{"smith_machine_incline_press", "Smith machine incline press", PatternHorizontalPush, comp, "machines bench", "chest", "front_delts triceps", "shoulder", beg, false},
	{"cable_chest_press", "Standing cable chest press", PatternHorizontalPush, comp, "cables", "chest", "triceps front_delts", "", beg, false},
	{"dumbbell_floor_press", "Dumbbell floor press", PatternHorizontalPush, comp, "dumbbells", "chest", "triceps", "", beg, false},
	{"kettlebell_floor_press", "Kettlebell floor press", PatternHorizontalPush, comp, "kettlebells", "chest", "triceps", "", beg, false},
	{"band_chest_press", "Banded chest press", PatternHorizontalPush, comp, "bands", "chest", "triceps front_delts", "", beg, false},
	{"push_up", "Push-up", PatternHorizontalPush, comp, "", "chest", "triceps front_delts abs", "wrist", beg, false},
	{"incline_push_up", "Hands-elevated push-up", PatternHorizontalPush, comp, "", "chest", "triceps front_delts", "wrist", beg, false},
	{"decline_push_up", "Feet-elevated push-up", PatternHorizontalPush, comp, "", "chest", "front_delts triceps", "wrist", mid, false},
	{"deficit_push_up", "Deficit push-up", PatternHorizontalPush, comp, "", "chest", "triceps front_delts", "shoulder wrist", mid, false},
	{"archer_push_up", "Archer push-up", PatternHorizontalPush, comp, "", "chest", "triceps", "shoulder wrist", adv, false},
	{"cable_crossover", "Cable crossover fly", PatternChestFly, iso, "cables", "chest", "front_delts", "", beg, false},
	{"machine_chest_fly", "Machine chest fly (pec deck)", PatternChestFly, iso, "machines", "chest", "", "", beg, false},
	{"dumbbell_fly", "Dumbbell fly", PatternChestFly, iso, "dumbbells bench", "chest", "front_delts", "shoulder", beg, false},
	{"band_chest_fly", "Banded chest fly", PatternChestFly, iso, "bands", "chest", "", "", beg, false},

	// Back: vertical and horizontal pulls.
	{"pull_up", "Pull-up", PatternVerticalPull, comp, "pullup_bar", "back", "biceps forearms", "shoulder", mid, false},
	{"lat_pulldown", "Lat pulldown", PatternVerticalPull, comp, "cables", "back", "biceps", "shoulder", beg, false},
	{"chin_up", "Chin-up", PatternVerticalPull, comp, "pullup_bar", "back", "biceps forearms", "elbow shoulder", mid, false},
	{"band_assisted_pull_up", "Band-assisted pull-up", PatternVerticalPull, comp, "pullup_bar bands", "back", "biceps", "shoulder", beg, false},
	{"negative_pull_up", "Eccentric (negative) pull-up", PatternVerticalPull, comp, "pullup_bar", "back", "biceps", "shoulder", beg, false},
	{"close_grip_lat_pulldown", "Close-grip lat pulldown", PatternVerticalPull, comp, "cables", "back", "biceps", "shoulder", beg, false},
	{"neutral_grip_lat_pulldown", "Neutral-grip lat pulldown (parallel handles)", PatternVerticalPull, comp, "cables", "back", "biceps", "", beg, false},
	{"machine_pulldown", "Machine pulldown", PatternVerticalPull, comp, "machines", "back", "biceps", "shoulder", beg, false},
	{"band_lat_pulldown", "Banded lat pulldown", PatternVerticalPull, comp, "bands", "back", "biceps", "shoulder", beg, false},
	{"floor_towel_lat_pull", "Towel lat pull along the floor", PatternVerticalPull, comp, "", "back", "biceps", "shoulder", beg, false},
	{"seated_cable_row", "Seated cable row", PatternHorizontalPull, comp, "cables", "back", "biceps rear_delts", "", beg, false},
	{"chest_supported_dumbbell_row", "Chest-supported dumbbell row", PatternHorizontalPull, comp, "dumbbells bench", "back", "rear_delts biceps", "", beg, false},
	{"barbell_bent_over_row", "Barbell bent-over row", PatternHorizontalPull, comp, "barbell", "back", "rear_delts biceps traps forearms", "lower_back", mid, false},
	{"one_arm_dumbbell_row", "One-arm dumbbell row", PatternHorizontalPull, comp, "dumbbells bench", "back", "rear_delts biceps", "", beg, false},
	{"machine_row", "Chest-supported machine row", PatternHorizontalPull, comp, "machines", "back", "rear_delts biceps", "", beg, false},
	{"dumbbell_bent_over_row", "Dumbbell bent-over row", PatternHorizontalPull, comp, "dumbbells", "back", "rear_delts biceps", "lower_back", beg, false},
	{"t_bar_row", "Landmine T-bar row", PatternHorizontalPull, comp, "barbell", "back", "rear_delts biceps traps", "lower_back", mid, false},
	{"pendlay_row", "Pendlay row", PatternHorizontalPull, comp, "barbell", "back", "rear_delts traps", "lower_back", adv, false},
	{"kettlebell_supported_row", "Kettlebell row, hand on knee", PatternHorizontalPull, comp, "kettlebells", "back", "biceps rear_delts", "", beg, false},
	{"band_row", "Banded row", PatternHorizontalPull, comp, "bands", "back", "biceps rear_delts", "", beg, false},
	{"bar_inverted_row", "Inverted row under a racked bar", PatternHorizontalPull, comp, "barbell", "back", "biceps rear_delts", "", beg, false},
	{"table_inverted_row", "Inverted row under a sturdy table", PatternHorizontalPull, comp, "", "back", "biceps rear_delts", "", beg, false},
	{"doorframe_row", "Doorframe row", PatternHorizontalPull, comp, "", "back", "biceps", "", beg, false},
	{"straight_arm_pulldown", "Straight-arm cable pulldown", PatternShoulderExt, iso, "cables", "back", "triceps", "", beg, false},
	{"dumbbell_pullover", "Dumbbell pullover", PatternShoulderExt, iso, "dumbbells bench", "back", "chest triceps", "shoulder", mid, false},

	// Front delts: overhead presses and raises.
	{"barbell_overhead_press", "Barbell overhead press", PatternVerticalPush, comp, "barbell", "front_delts", "side_delts triceps abs", "shoulder", beg, false},
	{"seated_dumbbell_shoulder_press", "Seated dumbbell shoulder press", PatternVerticalPush, comp, "dumbbells bench", "front_delts", "side_delts triceps", "shoulder", beg, false},
	{"standing_dumbbell_press", "Standing dumbbell overhead press", PatternVerticalPush, comp, "dumbbells", "front_delts", "side_delts triceps", "shoulder", beg, false},
	{"machine_shoulder_press", "Machine shoulder press", PatternVerticalPush, comp, "machines", "front_delts", "side_delts triceps", "shoulder", beg, false},
	{"kettlebell_overhead_press", "Kettlebell overhead press", PatternVerticalPush, comp, "kettlebells", "front_delts", "triceps", "shoulder wrist", beg, false},
	{"band_overhead_press", "Banded overhead press", PatternVerticalPush, comp, "bands", "front_delts", "triceps", "shoulder", beg, false},
	{"landmine_press", "Half-kneeling landmine press", PatternVerticalPush, comp, "barbell", "front_delts", "chest triceps", "", mid, false},
	{"arnold_press", "Arnold press", PatternVerticalPush, comp, "dumbbells", "front_delts side_delts", "triceps", "shoulder", mid, false},
	{"pike_push_up", "Pike push-up", PatternVerticalPush, comp, "", "front_delts", "triceps side_delts", "shoulder wrist", beg, false},
	{"handstand_push_up", "Wall handstand push-up", PatternVerticalPush, comp, "", "front_delts", "triceps side_delts", "shoulder wrist", adv, false},
	{"dumbbell_front_raise", "Dumbbell front raise", PatternFrontRaise, iso, "dumbbells", "front_delts", "", "", beg, false},
	{"cable_front_raise", "Cable front raise", PatternFrontRaise, iso, "cables", "front_delts", "", "", beg, false},
	{"band_front_raise", "Banded front raise", PatternFrontRaise, iso, "bands", "front_delts", "", "", beg, false},
	{"kettlebell_front_raise", "Kettlebell front raise", PatternFrontRaise, iso, "kettlebells", "front_delts", "", "", beg, false},

	// Side delts: lateral raises.
	{"dumbbell_lateral_raise", "Dumbbell lateral raise", PatternLateralRaise, iso, "dumbbells", "side_delts", "traps", "", beg, false},
	{"cable_lateral_raise", "Cable lateral raise", PatternLateralRaise, iso, "cables", "side_delts", "", "", beg, false},
	{"machine_lateral_raise", "Machine lateral raise", PatternLateralRaise, iso, "machines", "side_delts", "", "", beg, false},
	{"band_lateral_raise", "Banded lateral raise", PatternLateralRaise, iso, "bands", "side_delts", "", "", beg, false},
	{"kettlebell_lateral_raise", "Kettlebell lateral raise", PatternLateralRaise, iso, "kettlebells", "side_delts", "", "", beg, false},
	{"lean_away_lateral_raise", "Lean-away dumbbell lateral raise", PatternLateralRaise, iso, "dumbbells", "side_delts", "", "", mid, false},
	{"prone_lateral_raise", "Prone lateral raise on the floor", PatternLateralRaise, iso, "", "side_delts", "rear_delts", "", beg, false},
	{"barbell_upright_row", "Wide-grip barbell upright row", PatternLateralRaise, comp, "barbell", "side_delts", "traps biceps", "shoulder", mid, false},

	// Rear delts: reverse flyes and face pulls.
	{"cable_face_pull", "Cable face pull", PatternRearDeltFly, iso, "cables", "rear_delts", "traps", "", beg, false},
	{"reverse_pec_deck", "Reverse pec deck", PatternRearDeltFly, iso, "machines", "rear_delts", "traps", "", beg, false},
	{"dumbbell_rear_delt_fly", "Bent-over dumbbell rear delt fly", PatternRearDeltFly, iso, "dumbbells", "rear_delts", "traps", "", beg, false},
	{"chest_supported_rear_delt_fly", "Chest-supported rear delt fly", PatternRearDeltFly, iso, "dumbbells bench", "rear_delts", "traps", "", beg, false},
	{"cable_rear_delt_fly", "Cable rear delt fly", PatternRearDeltFly, iso, "cables", "rear_delts", "", "", mid, false},
	{"band_pull_apart", "Band pull-apart", PatternRearDeltFly, iso, "bands", "rear_delts", "traps", "", beg, false},
	{"band_face_pull", "Banded face pull", PatternRearDeltFly, iso, "bands", "rear_delts", "traps", "", beg, false},
	{"prone_t_raise", "Prone T raise on the floor", PatternRearDeltFly, iso, "", "rear_delts", "traps", "", beg, false},

	// Biceps: curls.
	{"dumbbell_curl", "Dumbbell curl", PatternElbowFlexion, iso, "dumbbells", "biceps", "forearms", "", beg, false},
	{"cable_curl", "Cable curl", PatternElbowFlexion, iso, "cables", "biceps", "forearms", "", beg, false},
	{"barbell_curl", "Barbell curl", PatternElbowFlexion, iso, "barbell", "biceps", "forearms", "wrist elbow", beg, false},
	{"incline_dumbbell_curl", "Incline dumbbell curl", PatternElbowFlexion, iso, "dumbbells bench", "biceps", "", "elbow", mid, false},
	{"hammer_curl", "Hammer curl", PatternElbowFlexion, iso, "dumbbells", "biceps", "forearms", "", beg, false},
	{"machine_preacher_curl", "Machine preacher curl", PatternElbowFlexion, iso, "machines", "biceps", "", "elbow", beg, false},
	{"bayesian_cable_curl", "Behind-the-body cable curl", PatternElbowFlexion, iso, "cables", "biceps", "", "elbow", mid, false},
	{"kettlebell_curl", "Kettlebell curl", PatternElbowFlexion, iso, "kettlebells", "biceps", "forearms", "", beg, false},
	{"band_curl", "Banded curl", PatternElbowFlexion, iso, "bands", "biceps", "forearms", "", beg, false},
	{"doorframe_curl", "Doorframe bodyweight curl", PatternElbowFlexion, iso, "", "biceps", "forearms", "", beg, false},
	{"concentration_curl", "Seated concentration curl", PatternElbowFlexion, iso, "dumbbells bench", "biceps", "", "", beg, false},

	// Triceps: pressdowns, extensions, close-grip pressing.
	{"cable_triceps_pushdown", "Cable triceps pushdown", PatternElbowExtension, iso, "cables", "triceps", "", "", beg, false},
	{"overhead_cable_triceps_extension", "Overhead cable triceps extension", PatternElbowExtension, iso, "cables", "triceps", "", "elbow shoulder", mid, false},
	{"close_grip_bench_press", "Close-grip bench press", PatternHorizontalPush, comp, "barbell bench", "triceps", "chest front_delts", "elbow wrist shoulder", mid, true},
	{"dumbbell_overhead_triceps_extension", "Dumbbell overhead triceps extension", PatternElbowExtension, iso, "dumbbells", "triceps", "", "elbow shoulder", beg, false},
	{"barbell_skull_crusher", "Barbell skull crusher", PatternElbowExtension, iso, "barbell bench", "triceps", "", "elbow", mid, false},
	{"dumbbell_skull_crusher", "Dumbbell skull crusher", PatternElbowExtension, iso, "dumbbells bench", "triceps", "", "elbow", beg, false},
	{"machine_triceps_extension", "Machine triceps extension", PatternElbowExtension, iso, "machines", "triceps", "", "", beg, false},
	{"dumbbell_kickback", "Dumbbell triceps kickback", PatternElbowExtension, iso, "dumbbells", "triceps", "", "", beg, false},
	{"kettlebell_overhead_extension", "Kettlebell overhead triceps extension", PatternElbowExtension, iso, "kettlebells", "triceps", "", "elbow shoulder", beg, false},
	{"band_triceps_pushdown", "Banded triceps pushdown", PatternElbowExtension, iso, "bands", "triceps", "", "", beg, false},
	{"band_overhead_triceps_extension", "Banded overhead triceps extension", PatternElbowExtension, iso, "bands", "triceps", "", "elbow shoulder", beg, false},
	{"bench_dip", "Bench dip", PatternElbowExtension, comp, "bench", "triceps", "chest front_delts", "shoulder elbow wrist", beg, false},
	{"close_grip_push_up", "Close-grip push-up", PatternHorizontalPush, comp, "", "triceps", "chest front_delts", "wrist elbow", beg, false},
	{"bodyweight_triceps_extension", "Bodyweight triceps extension on a table edge", PatternElbowExtension, iso, "", "triceps", "abs", "elbow", mid, false},

	// Calves.
	{"standing_calf_raise", "Standing calf raise machine", PatternCalfRaise, iso, "machines", "calves", "", "", beg, false},
	{"seated_calf_raise", "Seated calf raise", PatternCalfRaise, iso, "machines", "calves", "", "", beg, false},
	{"leg_press_calf_raise", "Calf press on the leg press", PatternCalfRaise, iso, "machines", "calves", "", "", beg, false},
	{"dumbbell_calf_raise", "Single-leg dumbbell calf raise", PatternCalfRaise, iso, "dumbbells", "calves", "", "", beg, false},
	{"barbell_calf_raise", "Barbell standing calf raise", PatternCalfRaise, iso, "barbell", "calves", "", "lower_back shoulder elbow wrist", mid, false},
	{"kettlebell_calf_raise", "Kettlebell calf raise", PatternCalfRaise, iso, "kettlebells", "calves", "", "", beg, false},
	{"single_leg_calf_raise", "Single-leg calf raise on a step", PatternCalfRaise, iso, "", "calves", "", "", beg, false},
	{"bodyweight_calf_raise", "Bodyweight calf raise", PatternCalfRaise, iso, "", "calves", "", "", beg, false},

	// Abs.
	{"cable_crunch", "Kneeling cable crunch", PatternCoreFlexion, iso, "cables", "abs", "", "lower_back", beg, false},
	{"hanging_knee_raise", "Hanging knee raise", PatternCoreFlexion, iso, "pullup_bar", "abs", "forearms", "shoulder", beg, false},
	{"hanging_leg_raise", "Hanging leg raise", PatternCoreFlexion, iso, "pullup_bar", "abs", "forearms", "shoulder", mid, false},
	{"machine_crunch", "Machine crunch", PatternCoreFlexion, iso, "machines", "abs", "", "lower_back", beg, false},
	{"weighted_decline_sit_up", "Weighted decline sit-up", PatternCoreFlexion, iso, "dumbbells bench", "abs", "", "lower_back", mid, false},
	{"crunch", "Crunch", PatternCoreFlexion, iso, "", "abs", "", "", beg, false},
	{"reverse_crunch", "Reverse crunch", PatternCoreFlexion, iso, "", "abs", "", "", beg, false},
	{"lying_leg_raise", "Lying leg raise", PatternCoreFlexion, iso, "", "abs", "", "", beg, false},
	{"plank", "Front plank", PatternCoreStability, iso, "", "abs", "", "", beg, false},
	{"side_plank", "Side plank", PatternCoreStability, iso, "", "abs", "", "", beg, false},
	{"dead_bug", "Dead bug", PatternCoreStability, iso, "", "abs", "", "", beg, false},
	{"hollow_body_hold", "Hollow body hold", PatternCoreStability, iso, "", "abs", "", "", mid, false},
	{"cable_pallof_press", "Cable Pallof press", PatternCoreStability, iso, "cables", "abs", "", "", beg, false},
	{"band_pallof_press", "Banded Pallof press", PatternCoreStability, iso, "bands", "abs", "", "", beg, false},
	{"barbell_rollout", "Barbell rollout", PatternCoreStability, iso, "barbell", "abs", "back", "lower_back shoulder", adv, false},

	// Traps.
	{"dumbbell_shrug", "Dumbbell shrug", PatternShrug, iso, "dumbbells", "traps", "forearms", "", beg, false},
	{"barbell_shrug", "Barbell shrug", PatternShrug, iso, "barbell", "traps", "forearms", "", beg, false},
	{"cable_shrug", "Cable shrug", PatternShrug, iso, "cables", "traps", "", "", beg, false},
	{"kettlebell_shrug", "Kettlebell shrug", PatternShrug, iso, "kettlebells", "traps", "forearms", "", beg, false},
	{"band_shrug", "Banded shrug", PatternShrug, iso, "bands", "traps", "", "", beg, false},
	{"machine_shrug", "Machine shrug", PatternShrug, iso, "machines", "traps", "", "", beg, false},
	{"scapular_pull_up", "Scapular pull-up", PatternShrug, iso, "pullup_bar", "traps", "back", "shoulder", beg, false},
	{"prone_y_raise", "Prone Y raise on the floor", PatternShrug, iso, "", "traps", "rear_delts", "", beg, false},

	// Forearms: wrist work, carries, hangs.
	{"dumbbell_wrist_curl", "Dumbbell wrist curl", PatternWrist, iso, "dumbbells", "forearms", "", "wrist", beg, false},
	{"dumbbell_reverse_wrist_curl", "Dumbbell reverse wrist curl", PatternWrist, iso, "dumbbells", "forearms", "", "wrist", beg, false},
	{"barbell_wrist_curl", "Barbell wrist curl", PatternWrist, iso, "barbell bench", "forearms", "", "wrist", beg, false},
	{"barbell_reverse_curl", "Barbell reverse curl", PatternElbowFlexion, iso, "barbell", "forearms", "biceps", "elbow wrist", beg, false},
	{"cable_reverse_curl", "Cable reverse curl", PatternElbowFlexion, iso, "cables", "forearms", "biceps", "elbow wrist", beg, false},
	{"band_wrist_curl", "Banded wrist curl", PatternWrist, iso, "bands", "forearms", "", "wrist", beg, false},
	{"dumbbell_farmer_carry", "Dumbbell farmer's carry", PatternCarry, comp, "dumbbells", "forearms", "traps abs", "", beg, false},
	{"kettlebell_farmer_carry", "Kettlebell farmer's carry", PatternCarry, comp, "kettlebells", "forearms", "traps abs", "", beg, false},
	{"dead_hang", "Dead hang", PatternCarry, iso, "pullup_bar", "forearms", "back", "shoulder", beg, false},
	{"towel_wring", "Towel wring", PatternWrist, iso, "", "forearms", "", "", beg, false},
	{"fingertip_plank", "Fingertip plank", PatternWrist, iso, "", "forearms", "abs", "wrist", mid, false},
}
