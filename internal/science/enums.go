package science

// SchemaVersion is the version of the exported program object (DESIGN §5).
const SchemaVersion = "1"

// Goal values of the onboarding form.
const (
	GoalHypertrophy    = "hypertrophy"
	GoalStrength       = "strength"
	GoalGeneralFitness = "general_fitness"
)

// Experience levels; also the minimum level of a catalogue exercise.
const (
	LevelBeginner     = "beginner"
	LevelIntermediate = "intermediate"
	LevelAdvanced     = "advanced"
)

// Priorities a muscle can have in a program's weekly volume.
const (
	PriorityEmphasize = "emphasize"
	PriorityGrow      = "grow"
	PriorityMaintain  = "maintain"
)

// Week phases.
const (
	PhaseAccumulation = "accumulation"
	PhaseDeload       = "deload"
)

// Exercise mechanics.
const (
	MechanicCompound  = "compound"
	MechanicIsolation = "isolation"
)

// Goals lists the goal values in form order.
var Goals = []string{GoalHypertrophy, GoalStrength, GoalGeneralFitness}

// Levels lists the experience levels from least to most experienced.
var Levels = []string{LevelBeginner, LevelIntermediate, LevelAdvanced}

// EquipmentKinds lists the equipment a user can tick; bodyweight is implied.
var EquipmentKinds = []string{"barbell", "dumbbells", "machines", "cables", "kettlebells", "bands", "pullup_bar", "bench"}

// InjuryKinds lists the injuries a user can declare; each is also a
// contraindication tag in the catalogue.
var InjuryKinds = []string{"shoulder", "elbow", "wrist", "lower_back", "hip", "knee"}

// Muscles lists the muscle groups liftplan plans volume for, in display order.
var Muscles = []string{
	"chest", "back", "quads", "hamstrings", "glutes",
	"front_delts", "side_delts", "rear_delts", "biceps", "triceps",
	"calves", "abs", "traps", "forearms",
}

// SplitTypes lists the split.type values of the program schema.
var SplitTypes = []string{"full_body", "upper_lower", "ppl", "upper_lower_ppl", "custom"}

// Progressions lists the mesocycle.progression values of the program schema.
var Progressions = []string{"double_progression", "linear", "rir_step"}

// Muscle indices: volume bookkeeping uses fixed-size arrays indexed by
// muscle, which keeps Analyze+Generate+Validate allocation-light.
const (
	mChest = iota
	mBack
	mQuads
	mHamstrings
	mGlutes
	mFrontDelts
	mSideDelts
	mRearDelts
	mBiceps
	mTriceps
	mCalves
	mAbs
	mTraps
	mForearms
	numMuscles
)

// muscleIndex returns the index of a muscle name, or -1.
func muscleIndex(name string) int {
	for i, m := range Muscles {
		if m == name {
			return i
		}
	}
	return -1
}

// isBigMuscle reports whether the muscle is one of the five DOMAIN.md keeps
// at MV or above however short the time is.
func isBigMuscle(m int) bool {
	return m <= mGlutes
}

// indirectOrder is DOMAIN.md's order in which small muscles fall back to
// indirect coverage from compounds when even MV does not fit.
var indirectOrder = []int{mForearms, mTraps, mAbs, mFrontDelts, mCalves, mRearDelts, mBiceps, mTriceps, mSideDelts}

// demoteOrder is the order in which grow muscles are dropped to maintain when
// the time budget cannot fund MEV: the small muscles in the indirect order
// first (compounds already stimulate them), then the big ones from the one
// that recovers fastest to the one users care most about.
var demoteOrder = []int{mForearms, mTraps, mAbs, mFrontDelts, mCalves, mRearDelts, mBiceps, mTriceps, mSideDelts, mGlutes, mHamstrings, mQuads, mChest, mBack}

func levelRank(level string) int {
	for i, l := range Levels {
		if l == level {
			return i
		}
	}
	return -1
}
