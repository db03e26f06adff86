// Package generation is the program generation pipeline: load → analyze → generate → validate →
// store. Run is its one entry point, used by the River worker and by tests. Every status write is
// one statement, guarded by the program's generation_no, that also notifies program_status (a
// data-modifying CTE: atomic and a single round trip); no transaction is held while the
// generator works.
package generation

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"liftplan/internal/cache"
	"liftplan/internal/db/dbq"
	"liftplan/internal/llm"
	"liftplan/internal/science"
)

// Stages of the pipeline, as stored in progress_step.
const (
	StepQueued    = "queued"
	StepRetryWait = "retry_wait"
	StepLoad      = "load"
	StepAnalyze   = "analyze"
	StepGenerate  = "generate"
	StepValidate  = "validate"
	StepStore     = "store"
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

// Outcome errors Run returns besides nil (completed, or nothing to do for a stale job).
var (
	// ErrPermanent: the program is marked failed; retrying the job cannot help.
	ErrPermanent = errors.New("permanent generation failure")
	// ErrInterrupted: the context was cancelled before the run finished (shutdown); the program
	// row was left for the caller to hand back.
	ErrInterrupted = errors.New("generation interrupted")
)

// Metadata is the scientific_metadata stored with a completed program: the analysis behind it
// and what validation found and fixed.
type Metadata struct {
	LandmarkTable string               `json:"landmark_table"`
	Muscles       []science.MusclePlan `json:"muscles"`
	Warnings      []science.Finding    `json:"warnings"`
	Fixes         []science.Finding    `json:"fixes"`
	Generator     string               `json:"generator"`
	GeneratedIn   string               `json:"generated_in"`
}

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

// Run generates one program. nil means completed (or stale: a newer generation owns the row);
// a wrapped ErrPermanent means failed for good; ErrInterrupted means cancelled; any other error
// is transient and the program waits for River's next attempt (or is failed if none is left).
func (r *Runner) Run(ctx context.Context, job Job) error {
	log := r.log.With("program_id", job.ProgramID, "generation_no", job.GenerationNo, "attempt", job.Attempt)
	start := time.Now()

	// load
	var input science.Input
	var claimed bool
	var jobID *int64
	if job.RiverJobID != 0 {
		jobID = &job.RiverJobID
	}
	owner, err := r.q.StartProgram(ctx, dbq.StartProgramParams{ID: job.ProgramID, GenerationNo: job.GenerationNo, Attempt: int32(job.Attempt), RiverJobID: jobID})
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		err = nil
	case err == nil:
		claimed = true
		if jerr := json.Unmarshal(owner.Input, &input); jerr != nil {
			// The stored input never changes: no retry can read it better.
			err = permanent("Your answers could not be read back. Please submit the form again.", jerr)
		}
	}
	if err != nil {
		return r.fail(ctx, log, job, fmt.Errorf("load: %w", err))
	}
	if !claimed {
		log.Info("stale generation job: nothing to do")
		return nil
	}

	// analyze
	if live, err := r.step(ctx, job, StepAnalyze); err != nil || !live {
		return r.stepFailed(ctx, log, job, err)
	}
	analysis, err := science.Analyze(input)
	if err != nil {
		return r.fail(ctx, log, job, permanent("Your answers could not be turned into a plan. Please check them and submit again.", fmt.Errorf("analyze: %w", err)))
	}

	// generate
	if live, err := r.step(ctx, job, StepGenerate); err != nil || !live {
		return r.stepFailed(ctx, log, job, err)
	}
	res, err := r.generator.Generate(llm.WithDraftSink(ctx, r.draftSink(job, log)), analysis)
	if err != nil {
		return r.fail(ctx, log, job, fmt.Errorf("generate: %w", err))
	}

	// validate
	if live, err := r.step(ctx, job, StepValidate); err != nil || !live {
		return r.stepFailed(ctx, log, job, err)
	}
	program, fixes, remaining := science.Enhance(analysis, res.Program)
	var errs, warnings []science.Finding
	for _, f := range remaining {
		if f.Severity == science.SeverityError {
			errs = append(errs, f)
		} else {
			warnings = append(warnings, f)
		}
	}
	if len(errs) > 0 {
		return r.fail(ctx, log, job, permanent("The generated program did not pass our training-science checks, so we did not show it. Press Try again for a new attempt.",
			fmt.Errorf("validate: %d errors remain after enhancement: %s", len(errs), summarize(errs))))
	}

	// store
	meta := Metadata{LandmarkTable: analysis.LandmarkTable, Muscles: analysis.Muscles, Warnings: warnings, Fixes: fixes,
		Generator: r.generator.Version(), GeneratedIn: time.Since(start).Round(time.Microsecond).String()}
	if meta.Warnings == nil {
		meta.Warnings = []science.Finding{}
	}
	if meta.Fixes == nil {
		meta.Fixes = []science.Finding{}
	}
	programJSON, err := json.Marshal(program)
	if err != nil {
		return r.fail(ctx, log, job, permanent("The program could not be saved.", err))
	}
	metaJSON, _ := json.Marshal(meta)
	source := dbq.ProgramSource(res.Source)
	params := dbq.CompleteProgramParams{ID: job.ProgramID, GenerationNo: job.GenerationNo, Program: programJSON,
		ScientificMetadata: metaJSON, Source: &source}
	if res.Source == "llm" {
		pt, ct, ms := int32(res.PromptTokens), int32(res.CompletionTokens), int32(res.Latency.Milliseconds())
		params.Model, params.PromptTokens, params.CompletionTokens, params.LlmLatencyMs = &res.Model, &pt, &ct, &ms
		attempts, repairs := int32(res.Attempts), int32(res.Repairs)
		params.ModelRequested, params.LlmAttempts, params.RepairAttempts = &res.ModelRequested, &attempts, &repairs
	}
	// The cache entry is written before the program completes, so an identical request that
	// arrives after the user saw "completed" always finds it. It is warn-only: a failing cache
	// never fails a program.
	r.putCache(ctx, log, owner, input, programJSON, metaJSON, res)
	var stored int64
	stored, err = r.q.CompleteProgram(ctx, params) // sets progress_step 'store' and notifies
	if err != nil {
		return r.fail(ctx, log, job, fmt.Errorf("store: %w", err))
	}
	if stored == 0 {
		log.Info("program changed while generating (retried or reconciled); result dropped")
		return nil
	}
	log.Info("program generated", "source", res.Source, "duration", time.Since(start), "fixes", len(fixes), "warnings", len(warnings))
	return nil
}

// putCache stores the generated program for the next identical submission; failures are logged.
func (r *Runner) putCache(ctx context.Context, log *slog.Logger, owner dbq.StartProgramRow, input science.Input, programJSON, metaJSON []byte, res llm.Result) {
	if r.cache == nil {
		return
	}
	version := r.generator.Version()
	// The key was computed at submit with the web process's generator version. During a rolling
	// deploy this worker's may differ; caching under the old key would serve a program made the
	// new way to requests that asked for the old one, so the entry is left out.
	if cache.Key(owner.UserID, input, version) != owner.CacheKey {
		log.Info("program not cached: it was submitted for another generator version", "generator", version)
		return
	}
	err := r.cache.Put(ctx, cache.Entry{Key: owner.CacheKey, UserID: owner.UserID, Input: input, GeneratorVersion: version,
		Program: programJSON, Metadata: metaJSON, PromptTokens: res.PromptTokens, CompletionTokens: res.CompletionTokens})
	if err != nil {
		log.Warn("program cache write failed; the program is stored without it", "user_id", owner.UserID, "error", err)
	}
}

// step records the stage the run has reached (and notifies, in the same statement). live is
// false when the guard matched nothing: the program was retried, reconciled or finished
// meanwhile, and this run must stop rather than spend an LLM call on a result nobody stores.
func (r *Runner) step(ctx context.Context, job Job, step string) (live bool, err error) {
	n, err := r.q.SetProgramStep(ctx, dbq.SetProgramStepParams{ID: job.ProgramID, GenerationNo: job.GenerationNo, Step: step})
	return n > 0, err
}

// stepFailed ends a run whose step write failed (err) or found the run stale (nil).
func (r *Runner) stepFailed(ctx context.Context, log *slog.Logger, job Job, err error) error {
	if err != nil {
		return r.fail(ctx, log, job, err)
	}
	log.Info("program changed while generating (retried, reconciled or finished); run stopped")
	return nil
}

// permanentError carries the sentence a user sees next to the detail kept for admins.
type permanentError struct {
	userMessage string
	err         error
}

func (e *permanentError) Error() string   { return e.err.Error() }
func (e *permanentError) Unwrap() []error { return []error{ErrPermanent, e.err} }

// permanent marks err as not worth retrying, with the message the user should read.
func permanent(userMessage string, err error) error {
	return &permanentError{userMessage: userMessage, err: err}
}

// fail records the failure: failed at once when permanent or on the last attempt, otherwise
// "retrying" while River waits to run the next attempt. It returns the error for River.
func (r *Runner) fail(ctx context.Context, log *slog.Logger, job Job, err error) error {
	if ctx.Err() != nil && !errors.Is(ctx.Err(), context.DeadlineExceeded) {
		log.Warn("generation interrupted", "error", err)
		return fmt.Errorf("%w: %w", ErrInterrupted, err)
	}
	// The job's own context may be dead (timeout); the status write must still happen.
	wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	detail := err.Error()
	var pe *permanentError
	var lpe *llm.PermanentError
	var lre *llm.RetryableError
	isPermanent := errors.As(err, &pe) || errors.Is(err, llm.ErrPermanent)
	last := job.Attempt >= job.MaxAttempts
	switch {
	case isPermanent || last:
		msg := "We could not generate your program. Press Try again to start a new attempt."
		switch {
		case pe != nil:
			msg = pe.userMessage
		case errors.As(err, &lpe) && lpe.UserMessage != "":
			// The generator knows best what went wrong (quota, refusal).
			msg = lpe.UserMessage
		case errors.As(err, &lre) && lre.UserMessage != "":
			msg = lre.UserMessage // e.g. answers still unusable on the last attempt
		case errors.Is(err, context.DeadlineExceeded):
			msg = "Generating your program took too long, even after retrying. Press Try again to start a new attempt."
		}
		if _, werr := r.q.FailProgram(wctx, dbq.FailProgramParams{ID: job.ProgramID, GenerationNo: job.GenerationNo, GenerationError: &msg, ErrorDetail: &detail}); werr != nil {
			log.Error("mark program failed", "error", werr)
			return fmt.Errorf("%w (and marking it failed: %v)", err, werr)
		}
		log.Warn("generation failed", "error", err, "last_attempt", last)
		if pe == nil {
			return fmt.Errorf("%w: %w", ErrPermanent, err)
		}
		return err // *permanentError unwraps to ErrPermanent
	default:
		msg := fmt.Sprintf("The generator had a hiccup; retrying (attempt %d of %d).", job.Attempt+1, job.MaxAttempts)
		if _, werr := r.q.WaitForRetry(wctx, dbq.WaitForRetryParams{ID: job.ProgramID, GenerationNo: job.GenerationNo, GenerationError: &msg, ErrorDetail: &detail}); werr != nil {
			log.Error("mark program retrying", "error", werr)
		}
		log.Warn("generation attempt failed; River will retry", "error", err)
		return err
	}
}

// Requeue hands an interrupted run back: the program is pending again (graceful shutdown).
func (r *Runner) Requeue(ctx context.Context, job Job) error {
	_, err := r.q.RequeueProgram(ctx, dbq.RequeueProgramParams{ID: job.ProgramID, GenerationNo: job.GenerationNo})
	return err
}

func summarize(fs []science.Finding) string {
	parts := make([]string, 0, len(fs))
	for i, f := range fs {
		if i == 5 {
			parts = append(parts, fmt.Sprintf("and %d more", len(fs)-5))
			break
		}
		parts = append(parts, f.Rule+": "+f.Message)
	}
	return strings.Join(parts, "; ")
}
