package generation

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"liftplan/internal/cache"
	"liftplan/internal/db/dbq"
	"liftplan/internal/derrors"
	"liftplan/internal/llm"
	"liftplan/internal/programs"
	"liftplan/internal/science"
)

// Sentences users read when a stage fails for good.
const (
	msgUnreadableInput = "Your answers could not be read back. Please submit the form again."
	msgUnplannable     = "Your answers could not be turned into a plan. Please check them and submit again."
	msgFailedChecks    = "The generated program did not pass our training-science checks, so we did not show it. Press Try again for a new attempt."
	msgNotSaved        = "The program could not be saved."
)

// maxSummarized bounds the validation errors quoted in a failure's detail.
const maxSummarized = 5

// load claims the program (processing, attempt, started_at, the River job id) and reads its
// frozen input. claimed is false for a stale job: a newer generation owns the row.
func (r *Runner) load(ctx context.Context, st *run) (claimed bool, err error) {
	var jobID *int64
	if st.job.RiverJobID != 0 {
		jobID = &st.job.RiverJobID
	}
	st.owner, err = r.q.StartProgram(ctx, dbq.StartProgramParams{ID: st.job.ProgramID, GenerationNo: st.job.GenerationNo,
		Attempt: int32(st.job.Attempt), RiverJobID: jobID})
	if errors.Is(err, pgx.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if err := json.Unmarshal(st.owner.Input, &st.input); err != nil {
		// The stored input never changes: no retry can read it better.
		return true, derrors.Permanent(msgUnreadableInput, err)
	}
	return true, nil
}

// analyze turns the answers into the plan the generator works from.
func (r *Runner) analyze(_ context.Context, st *run) error {
	a, err := science.Analyze(st.input)
	if err != nil {
		return derrors.Permanent(msgUnplannable, fmt.Errorf("analyze: %w", err))
	}
	st.analysis = a
	return nil
}

// generate asks the generator (built-in or LLM) for the program.
func (r *Runner) generate(ctx context.Context, st *run) error {
	res, err := r.generator.Generate(llm.WithDraftSink(ctx, r.draftSink(st.job, st.log)), st.analysis)
	if err != nil {
		return fmt.Errorf("generate: %w", err)
	}
	st.result = res
	return nil
}

// check enhances the program and refuses it while any validation error remains: nothing is
// stored that the validator has not passed.
func (r *Runner) check(_ context.Context, st *run) error {
	// A next block: swap what hurt, set start loads, say what changed; then validate it all.
	science.ApplyLog(st.analysis, &st.result.Program)
	enhanced := science.Enhance(st.analysis, st.result.Program)
	program, fixes := enhanced.Program, enhanced.Fixes
	errs, warnings := []science.Finding{}, []science.Finding{}
	for _, f := range enhanced.Remaining {
		if f.Severity == science.SeverityError {
			errs = append(errs, f)
		} else {
			warnings = append(warnings, f)
		}
	}
	if len(errs) > 0 {
		return derrors.Permanent(msgFailedChecks, fmt.Errorf("validate: %d errors remain after enhancement: %s", len(errs), summarize(errs)))
	}
	if fixes == nil {
		fixes = []science.Finding{}
	}
	st.program = program
	st.meta = programs.Metadata{LandmarkTable: st.analysis.LandmarkTable, Muscles: st.analysis.Muscles, Warnings: warnings, Fixes: fixes,
		Generator: r.generator.Version(), GeneratedIn: time.Since(st.start).Round(time.Microsecond).String()}
	return nil
}

// store writes the cache entry (warn-only) and then completes the program with its usage, in
// that order: an identical request that arrives after the user saw "completed" always finds
// the entry.
func (r *Runner) store(ctx context.Context, st *run) error {
	programJSON, err := json.Marshal(st.program)
	if err != nil {
		return r.fail(ctx, st, derrors.Permanent(msgNotSaved, err))
	}
	metaJSON, err := json.Marshal(st.meta)
	if err != nil {
		return r.fail(ctx, st, derrors.Permanent(msgNotSaved, err))
	}
	res := st.result
	source := dbq.ProgramSource(res.Source)
	params := dbq.CompleteProgramParams{ID: st.job.ProgramID, GenerationNo: st.job.GenerationNo, Program: programJSON,
		ScientificMetadata: metaJSON, Source: &source}
	if res.Source == string(dbq.ProgramSourceLlm) {
		pt, ct, ms := int32(res.PromptTokens), int32(res.CompletionTokens), int32(res.Latency.Milliseconds())
		params.Model, params.PromptTokens, params.CompletionTokens, params.LlmLatencyMs = &res.Model, &pt, &ct, &ms
		attempts, repairs := int32(res.Attempts), int32(res.Repairs)
		params.ModelRequested, params.LlmAttempts, params.RepairAttempts = &res.ModelRequested, &attempts, &repairs
	}
	r.putCache(ctx, st, programJSON, metaJSON)
	stored, err := r.q.CompleteProgram(ctx, params) // sets progress_step 'store' and notifies
	if err != nil {
		return r.fail(ctx, st, fmt.Errorf("store: %w", err))
	}
	if stored == 0 {
		st.log.Info("program changed while generating (retried or reconciled); result dropped")
		return nil
	}
	st.log.Info("program generated", "source", res.Source, "duration", time.Since(st.start), "fixes", len(st.meta.Fixes), "warnings", len(st.meta.Warnings))
	return nil
}

// putCache stores the generated program for the next identical submission; failures are logged.
func (r *Runner) putCache(ctx context.Context, st *run, programJSON, metaJSON []byte) {
	if r.cache == nil {
		return
	}
	version := r.generator.Version()
	// The key was computed at submit with the web process's generator version. During a rolling
	// deploy this worker's may differ; caching under the old key would serve a program made the
	// new way to requests that asked for the old one, so the entry is left out.
	if cache.Key(st.owner.UserID, st.input, version) != st.owner.CacheKey {
		st.log.Info("program not cached: it was submitted for another generator version", "generator", version)
		return
	}
	err := r.cache.Put(ctx, cache.Entry{Key: st.owner.CacheKey, UserID: st.owner.UserID, Input: st.input, GeneratorVersion: version,
		Program: programJSON, Metadata: metaJSON, PromptTokens: st.result.PromptTokens, CompletionTokens: st.result.CompletionTokens})
	if err != nil {
		st.log.Warn("program cache write failed; the program is stored without it", "user_id", st.owner.UserID, "error", err)
	}
}

func summarize(fs []science.Finding) string {
	parts := make([]string, 0, min(len(fs), maxSummarized+1))
	for i, f := range fs {
		if i == maxSummarized {
			parts = append(parts, fmt.Sprintf("and %d more", len(fs)-maxSummarized))
			break
		}
		parts = append(parts, f.Rule+": "+f.Message)
	}
	return strings.Join(parts, "; ")
}
