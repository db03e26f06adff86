package science

// Program is schema v1 of a generated program: exactly the "program" object
// of the export JSON (DESIGN §5). Struct tags feed ProgramJSONSchema: desc is
// the property description, enum its allowed values. The desc tags are the
// one-line docs of the fields of every type in this file, kept in one place
// so the schema the LLM reads and the Go docs cannot disagree. Lists are
// never nil so they marshal as [] rather than null.
type Program struct {
	SchemaVersion string         `json:"schema_version" enum:"1" desc:"Program schema version, always \"1\"."`
	Name          string         `json:"name" desc:"Short display name of the program."`
	Goal          string         `json:"goal" enum:"hypertrophy,strength,general_fitness" desc:"The user's goal."`
	Experience    string         `json:"experience" enum:"beginner,intermediate,advanced" desc:"The user's experience level."`
	Split         ProgramSplit   `json:"split" desc:"Weekly split."`
	Mesocycle     Mesocycle      `json:"mesocycle" desc:"Length, deload and progression of the mesocycle."`
	Weeks         []Week         `json:"weeks" desc:"Every week of the mesocycle in order, the deload last."`
	WeeklyVolume  []WeeklyVolume `json:"weekly_volume" desc:"Direct sets per muscle per week, recomputed from the exercises."`
	Science       ProgramScience `json:"science" desc:"Where the numbers come from and what was checked."`
}

// ProgramSplit is the split.type and day count of a program.
type ProgramSplit struct {
	Type        string `json:"type" enum:"full_body,upper_lower,ppl,upper_lower_ppl,custom" desc:"Split kind."`
	DaysPerWeek int    `json:"days_per_week" desc:"Training days per week, 2 to 6."`
}

// Mesocycle describes the length and progression of the block.
type Mesocycle struct {
	Weeks       int    `json:"weeks" desc:"Number of weeks including the deload."`
	DeloadWeek  int    `json:"deload_week" desc:"Week number of the deload, the last week."`
	Progression string `json:"progression" enum:"double_progression,linear,rir_step" desc:"How load and effort progress."`
}

// Week is one week of the mesocycle.
type Week struct {
	Week      int    `json:"week" desc:"Week number, from 1."`
	Phase     string `json:"phase" enum:"accumulation,deload" desc:"Accumulation weeks build volume; the deload recovers."`
	TargetRIR int    `json:"target_rir" desc:"Reps in reserve targeted this week, 0 to 5."`
	Days      []Day  `json:"days" desc:"Training days of the week in order."`
}

// Day is one training session.
type Day struct {
	Day              int               `json:"day" desc:"Day number within the week, from 1."`
	Label            string            `json:"label" desc:"Display name, e.g. Upper A."`
	EstimatedMinutes int               `json:"estimated_minutes" desc:"Estimated session length in minutes."`
	Exercises        []ProgramExercise `json:"exercises" desc:"Exercises in the order they are performed."`
}

// ProgramExercise is one exercise prescription within a day.
type ProgramExercise struct {
	ExerciseID       string   `json:"exercise_id" desc:"Catalogue id of the exercise."`
	Name             string   `json:"name" desc:"Display name of the exercise."`
	Equipment        []string `json:"equipment" enum:"barbell,dumbbells,machines,cables,kettlebells,bands,pullup_bar,bench" desc:"Equipment needed; empty for bodyweight."`
	PrimaryMuscles   []string `json:"primary_muscles" enum:"chest,back,quads,hamstrings,glutes,front_delts,side_delts,rear_delts,biceps,triceps,calves,abs,traps,forearms" desc:"Prime movers (1 or 2); sets count as direct sets."`
	SecondaryMuscles []string `json:"secondary_muscles" enum:"chest,back,quads,hamstrings,glutes,front_delts,side_delts,rear_delts,biceps,triceps,calves,abs,traps,forearms" desc:"Assisting muscles; half a set each."`
	Sets             int      `json:"sets" desc:"Working sets, 1 to 6."`
	RepMin           int      `json:"rep_min" desc:"Bottom of the rep range, 3 to 30 (seconds 10 to 90 for holds)."`
	RepMax           int      `json:"rep_max" desc:"Top of the rep range, 3 to 30 (seconds 10 to 90 for holds)."`
	Unit             string   `json:"unit" enum:"reps,seconds" desc:"What rep_min and rep_max count: reps, or seconds for holds."`
	TargetRIR        int      `json:"target_rir" desc:"Reps in reserve at the end of each set, 0 to 5."`
	RestSeconds      int      `json:"rest_seconds" desc:"Rest between sets in seconds."`
	StartKg          *float64 `json:"start_kg" desc:"Suggested first load in kg from a logged previous block, or null."`
	Notes            string   `json:"notes" desc:"Coaching notes; may be empty."`
	Rationale        string   `json:"rationale" desc:"Why this exercise is here, in one sentence."`
}

// WeeklyVolume is the direct-set count of one muscle in one week.
type WeeklyVolume struct {
	Week      int       `json:"week" desc:"Week number."`
	Muscle    string    `json:"muscle" enum:"chest,back,quads,hamstrings,glutes,front_delts,side_delts,rear_delts,biceps,triceps,calves,abs,traps,forearms" desc:"Muscle group."`
	Sets      int       `json:"sets" desc:"Direct sets: sets of exercises where the muscle is primary."`
	Priority  string    `json:"priority" enum:"emphasize,grow,maintain" desc:"Planned priority of the muscle."`
	Landmarks Landmarks `json:"landmarks" desc:"Level-adjusted volume landmarks at this week's frequency."`
}

// ProgramScience records the evidence and the checks behind a program.
// Warnings and fixes are plain-language sentences for the user: the
// structured form (rule id, path) lives in Finding; the program carries what
// a person reads, which also keeps the strict schema small for LLMs.
type ProgramScience struct {
	LandmarkTable string   `json:"landmark_table" desc:"Identifier of the landmark table and level adjustment used."`
	WeakPoints    []string `json:"weak_points" enum:"chest,back,quads,hamstrings,glutes,front_delts,side_delts,rear_delts,biceps,triceps,calves,abs,traps,forearms" desc:"The user's weak points, every one of them."`
	Rationale     string   `json:"rationale" desc:"Why the program looks the way it does."`
	Warnings      []string `json:"warnings" desc:"Plain-language warnings for the user."`
	Fixes         []string `json:"fixes" desc:"Plain-language list of corrections made by the validator."`
}
