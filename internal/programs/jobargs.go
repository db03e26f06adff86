package programs

import "github.com/riverqueue/river"

// Priorities: River runs lower numbers first, so paid users' programs overtake free ones.
const (
	PriorityPaid = 1
	PriorityFree = 2
)

// GenerateProgramArgs asks for one generation of one program. GenerationNo makes a job stale
// once the program has been retried (the retry has a new number and a new job). The arguments
// belong to the program domain: programs inserts the job in the transaction of its program,
// internal/jobs works it.
type GenerateProgramArgs struct {
	ProgramID    int64 `json:"program_id"`
	GenerationNo int32 `json:"generation_no"`
}

// Kind implements river.JobArgs.
func (GenerateProgramArgs) Kind() string { return "generate_program" }

// InsertOpts makes (program, generation) unique among live jobs: a second insert for the same
// generation is a no-op instead of a second run.
func (GenerateProgramArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

// InsertOptsFor returns the options of a generation job for a user's tier.
func InsertOptsFor(paid bool) *river.InsertOpts {
	p := PriorityFree
	if paid {
		p = PriorityPaid
	}
	return &river.InsertOpts{Priority: p}
}
