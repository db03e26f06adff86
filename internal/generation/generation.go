// Package generation is the program generation pipeline: load → analyze → generate → check →
// store, one method per stage. Run is its one entry point, used by the River worker and by
// tests. Every status write is one statement, guarded by the program's generation_no, that also
// notifies program_status (a data-modifying CTE: atomic and a single round trip); no transaction
// is held while the generator works.
package generation

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"liftplan/internal/cache"
	"liftplan/internal/db/dbq"
	"liftplan/internal/llm"
	"liftplan/internal/programs"
	"liftplan/internal/science"
)

// Job identifies one run of the pipeline.
type Job struct {
	ProgramID    int64
	GenerationNo int32
	// RiverJobID is recorded on the program when the run starts (0: not run by River).
	RiverJobID int64
	// Attempt is River's attempt number (1-based) and MaxAttempts its limit.
	Attempt, MaxAttempts int
}

// ErrInterrupted is returned when the context was cancelled before the run finished
// (shutdown); the program row is left for the caller to hand back. A failed program's error is
// derrors.Permanent instead; any other error is transient.
var ErrInterrupted = errors.New("generation interrupted")

// Runner runs the pipeline.
type Runner struct {
	q         *dbq.Queries
	generator llm.Generator
	log       *slog.Logger
	cache     *cache.Store
}

// RunnerOption configures a Runner beyond its required parts.
type RunnerOption func(*Runner)

// WithCache makes the store stage put every generated program into c (warn-only), so the next
// identical submission is answered from the cache.
func WithCache(c *cache.Store) RunnerOption {
	return func(r *Runner) { r.cache = c }
}

// NewRunner returns a pipeline runner using generator.
func NewRunner(pool *pgxpool.Pool, generator llm.Generator, log *slog.Logger, opts ...RunnerOption) *Runner {
	r := &Runner{q: dbq.New(pool), generator: generator, log: log}
	for _, o := range opts {
		o(r)
	}
	return r
}

// Version is the generator's version (part of every cache key).
func (r *Runner) Version() string { return r.generator.Version() }

// run is one run's state, filled stage by stage.
type run struct {
	job      Job
	log      *slog.Logger
	start    time.Time
	owner    dbq.StartProgramRow
	input    science.Input
	analysis science.Analysis
	result   llm.Result
	program  science.Program
	meta     programs.Metadata
}

// stage is one step of the pipeline after load: its progress_step and its work.
type stage struct {
	step programs.Step
	do   func(context.Context, *run) error
}

// Run generates one program. nil means completed (or stale: a newer generation owns the row);
// a permanent derrors error means failed for good; ErrInterrupted means cancelled; any other
// error is transient and the program waits for River's next attempt (or is failed if none is left).
func (r *Runner) Run(ctx context.Context, job Job) error {
	st := &run{job: job, start: time.Now(),
		log: r.log.With("program_id", job.ProgramID, "generation_no", job.GenerationNo, "attempt", job.Attempt)}
	claimed, err := r.load(ctx, st)
	if err != nil {
		return r.fail(ctx, st, fmt.Errorf("load: %w", err))
	}
	if !claimed {
		st.log.Info("stale generation job: nothing to do")
		return nil
	}
	for _, sg := range []stage{{programs.StepAnalyze, r.analyze}, {programs.StepGenerate, r.generate}, {programs.StepValidate, r.check}} {
		live, err := r.step(ctx, job, sg.step)
		if err != nil {
			return r.fail(ctx, st, err)
		}
		if !live {
			st.log.Info("program changed while generating (retried, reconciled or finished); run stopped")
			return nil
		}
		if err := sg.do(ctx, st); err != nil {
			return r.fail(ctx, st, err)
		}
	}
	return r.store(ctx, st)
}

// step records the stage the run has reached (and notifies, in the same statement). live is
// false when the guard matched nothing: the program was retried, reconciled or finished
// meanwhile, and this run must stop rather than spend an LLM call on a result nobody stores.
func (r *Runner) step(ctx context.Context, job Job, step programs.Step) (live bool, err error) {
	n, err := r.q.SetProgramStep(ctx, dbq.SetProgramStepParams{ID: job.ProgramID, GenerationNo: job.GenerationNo, Step: string(step)})
	return n > 0, err
}

// Requeue hands an interrupted run back: the program is pending again (graceful shutdown).
func (r *Runner) Requeue(ctx context.Context, job Job) error {
	_, err := r.q.RequeueProgram(ctx, dbq.RequeueProgramParams{ID: job.ProgramID, GenerationNo: job.GenerationNo})
	return err
}
