package science

// Severities of a finding.
const (
	SeverityError   = "error"
	SeverityWarning = "warning"
)

// Finding is one rule a program breaks (from Validate) or one fix applied
// (from Enhance). Paths are 1-based; 0 means not applicable.
type Finding struct {
	// Rule is the rule id, e.g. "volume_range".
	Rule string `json:"rule"`
	// Severity is error or warning.
	Severity string `json:"severity"`
	// Week is the week number, 0 when the finding is not about one week.
	Week int `json:"week"`
	// Day is the day number within the week, or 0.
	Day int `json:"day"`
	// Exercise is the exercise position within the day, or 0.
	Exercise int `json:"exercise"`
	// Muscle names the muscle concerned, or "".
	Muscle string `json:"muscle"`
	// Message is precise and technical, for logs and the LLM repair prompt.
	Message string `json:"message"`
	// Explanation is plain language that can be shown to a user.
	Explanation string `json:"explanation"`
}

// Rule ids. Errors must be fixed (by Enhance or a repair) before a program
// is stored; warnings are shown to the user.
const (
	RuleWeekCount        = "week_count"
	RuleStructure        = "structure"
	RuleDayCount         = "day_count"
	RuleUnknownExercise  = "unknown_exercise"
	RulePrimaryMuscles   = "primary_muscles"
	RuleRepRange         = "rep_range"
	RuleSetsRange        = "sets_range"
	RuleRIRRange         = "rir_range"
	RuleRIRRising        = "rir_rising"
	RuleDeload           = "deload"
	RuleVolumeRange      = "volume_range"
	RuleSessionVolume    = "session_volume"
	RuleEquipment        = "equipment"
	RuleContraindicated  = "contraindicated"
	RuleTimeLimit        = "time_limit"
	RuleVolumeMismatch   = "volume_mismatch"
	RuleWeakPoints       = "weak_points"
	RuleRIRZeroCompound  = "rir_zero_compound"
	RuleShortRest        = "short_rest"
	RuleLowFrequency     = "low_frequency"
	RuleVolumeJump       = "volume_jump"
	RulePullPushRatio    = "pull_push_ratio"
	RuleHamsQuadsRatio   = "hams_quads_ratio"
	RuleTooManyExercises = "too_many_exercises"
	RuleDuplicate        = "duplicate_exercise"
	RuleMissingRationale = "missing_rationale"
	RuleExerciseLevel    = "exercise_level"
	// Rules of "A coach's standard" (coach.go).
	RuleEmptyDay          = "empty_day"
	RuleDeloadMuscle      = "deload_muscle"
	RuleUnit              = "unit"
	RuleRestFloor         = "rest_floor"
	RuleSetCount          = "set_count"
	RuleOrder             = "order"
	RuleMusclesPerSession = "muscles_per_session"
	RuleEmphasis          = "emphasis_days"
	RuleProgression       = "progression"
	RuleQuality           = "exercise_quality"
	RuleBeginnerExercises = "beginner_exercises"
	RuleKneeFlexion       = "knee_flexion"
	RuleJargon            = "jargon"
	RuleStrength          = "strength_lifts"
)

// RuleInfo describes one validation rule.
type RuleInfo struct {
	// ID is the rule id used in findings.
	ID string `json:"id"`
	// Severity is error or warning.
	Severity string `json:"severity"`
	// Fixable is true when Enhance can correct a breach.
	Fixable bool `json:"fixable"`
	// Summary states the rule in one line.
	Summary string `json:"summary"`
}

// Rules lists every rule Validate applies, errors first.
var Rules = []RuleInfo{
	{RuleWeekCount, SeverityError, false, "the mesocycle has the planned number of weeks (4 free, 6 paid)"},
	{RuleStructure, SeverityError, true, "schema version, goal, experience, split, mesocycle, numbering and phases match the analysis"},
	{RuleDayCount, SeverityError, false, "every week has days_per_week days"},
	{RuleUnknownExercise, SeverityError, false, "every exercise_id is in the catalogue"},
	{RulePrimaryMuscles, SeverityError, true, "1–2 primary muscles per exercise, as in the catalogue"},
	{RuleRepRange, SeverityError, true, "reps within 3–30 and rep_min ≤ rep_max"},
	{RuleSetsRange, SeverityError, true, "1–6 sets per exercise"},
	{RuleRIRRange, SeverityError, true, "RIR within 0–5"},
	{RuleRIRRising, SeverityError, true, "RIR never rises during accumulation"},
	{RuleDeload, SeverityError, true, "the last week is a deload with ≤ 60 % of the previous week's sets and RIR ≥ 3"},
	{RuleVolumeRange, SeverityError, true, "weekly direct sets per muscle within [floor, MRV]"},
	{RuleSessionVolume, SeverityError, true, "≤ 12 direct sets per muscle per session"},
	{RuleEquipment, SeverityError, true, "only equipment the user has"},
	{RuleContraindicated, SeverityError, true, "no exercise contraindicated by a declared injury"},
	{RuleTimeLimit, SeverityError, true, "each day's estimate within session_minutes × 1.05"},
	{RuleVolumeMismatch, SeverityError, true, "stored weekly volume equals the volume recomputed from the exercises"},
	{RuleWeakPoints, SeverityError, true, "every weak point listed in science.weak_points"},
	{RuleEmptyDay, SeverityError, true, "no training day without exercises"},
	{RuleDeloadMuscle, SeverityError, true, "the deload is lighter for every muscle (≤ 60 % of its sets the week before)"},
	{RuleUnit, SeverityError, true, "holds in seconds (10–90), everything else in reps"},
	{RuleRestFloor, SeverityError, true, "rest ≥ 3 min for heavy sets of 6 or fewer reps, ≥ 2 min for loaded compounds, ≥ 60 s otherwise"},
	{RuleDuplicate, SeverityError, true, "no exercise twice in one day"},
	{RuleRIRZeroCompound, SeverityWarning, true, "no RIR 0 on compounds"},
	{RuleShortRest, SeverityWarning, true, "rest at least 60 s"},
	{RuleLowFrequency, SeverityWarning, false, "growth muscles trained at least twice a week when training 3+ days"},
	{RuleVolumeJump, SeverityWarning, false, "weekly sets rise by at most 2 from one week to the next"},
	{RulePullPushRatio, SeverityWarning, false, "pulling sets at least 0.8 × pushing sets"},
	{RuleHamsQuadsRatio, SeverityWarning, false, "hamstring sets at least 0.5 × quad sets"},
	{RuleTooManyExercises, SeverityWarning, false, "at most 8 exercises a day"},
	{RuleMissingRationale, SeverityWarning, true, "the program and every exercise carry a rationale"},
	{RuleExerciseLevel, SeverityWarning, false, "exercises suit the user's experience level"},
	{RuleSetCount, SeverityWarning, false, "2–5 sets per exercise in accumulation unless time is short"},
	{RuleOrder, SeverityWarning, false, "the day's main compound first; no isolation before a loaded squat or hinge"},
	{RuleMusclesPerSession, SeverityWarning, false, "at most 6 muscles with direct work per session with 4+ days"},
	{RuleEmphasis, SeverityWarning, false, "an emphasised muscle is a primary mover on two days a week"},
	{RuleProgression, SeverityWarning, false, "accumulation weeks build volume, not repeat it"},
	{RuleQuality, SeverityWarning, false, "stable, loadable exercises when the equipment allows them"},
	{RuleBeginnerExercises, SeverityWarning, false, "at most 12 distinct exercises a week for beginners"},
	{RuleKneeFlexion, SeverityWarning, false, "a knee-flexion hamstring exercise whenever the equipment allows one"},
	{RuleJargon, SeverityWarning, false, "no internal names in text for the lifter"},
	{RuleStrength, SeverityWarning, false, "strength: main lifts on enough days, opened heavy with load steps"},
}

// ruleSeverity returns the severity of a rule id.
func ruleSeverity(id string) string {
	for _, r := range Rules {
		if r.ID == id {
			return r.Severity
		}
	}
	return SeverityError
}

// HasErrors reports whether any finding is an error.
func HasErrors(fs []Finding) bool {
	for _, f := range fs {
		if f.Severity == SeverityError {
			return true
		}
	}
	return false
}
