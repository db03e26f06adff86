// Package jobs is liftplan's use of River: the GenerateProgram job and its worker, the periodic
// reconciler and cache janitor, and the client configuration for web (insert-only) and worker processes.
package jobs

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"liftplan/internal/cache"
	"liftplan/internal/db/dbq"
	"liftplan/internal/generation"
)

// Priorities: River runs lower numbers first, so paid users' programs overtake free ones.
const (
	PriorityPaid = 1
	PriorityFree = 2
)

// GenerateProgramArgs asks for one generation of one program. GenerationNo makes a job stale
// once the program has been retried (the retry has a new number and a new job).
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

// GenerateProgramWorker runs the generation pipeline for a job.
type GenerateProgramWorker struct {
	river.WorkerDefaults[GenerateProgramArgs]
	runner   *generation.Runner
	timeout  time.Duration
	stopping *atomic.Bool
}

// Timeout is JOB_TIMEOUT: River cancels a run that takes longer.
func (w *GenerateProgramWorker) Timeout(*river.Job[GenerateProgramArgs]) time.Duration {
	return w.timeout
}

// NextRetry retries soon (2 s, 8 s, 32 s … capped at 5 min, with jitter): a user is watching
// the page, so River's default backoff (attempt⁴ seconds) would feel like a hang.
func (w *GenerateProgramWorker) NextRetry(job *river.Job[GenerateProgramArgs]) time.Time {
	d := min(2*time.Second<<(2*(job.Attempt-1)), 5*time.Minute)
	jitter := time.Duration(rand.Int64N(int64(d / 4)))
	return time.Now().Add(d + jitter)
}

// Work implements river.Worker.
func (w *GenerateProgramWorker) Work(ctx context.Context, job *river.Job[GenerateProgramArgs]) error {
	gj := generation.Job{ProgramID: job.Args.ProgramID, GenerationNo: job.Args.GenerationNo, RiverJobID: job.ID,
		Attempt: job.Attempt, MaxAttempts: job.MaxAttempts}
	err := w.runner.Run(ctx, gj)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, generation.ErrInterrupted) && w.stopping.Load():
		// Graceful shutdown: hand the job back without burning an attempt.
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		if rerr := w.runner.Requeue(rctx, gj); rerr != nil {
			return fmt.Errorf("requeue on shutdown: %w", rerr)
		}
		return river.JobSnooze(0)
	case errors.Is(err, generation.ErrPermanent):
		return river.JobCancel(err) // the program is failed already; never run this job again
	default:
		return err
	}
}

// Options configures the River client.
type Options struct {
	// Runner runs generations; nil makes an insert-only client (web role).
	Runner *generation.Runner
	// Concurrency is WORKER_CONCURRENCY.
	Concurrency int
	// JobTimeout is JOB_TIMEOUT, RescueAfter is RESCUE_AFTER, MaxAttempts is JOB_MAX_ATTEMPTS.
	JobTimeout, RescueAfter time.Duration
	MaxAttempts             int
	// ReconcileEvery is how often the reconciler runs (default 1 min); ReconcileGrace is how
	// long a program may lack a live job (default DefaultReconcileGrace).
	ReconcileEvery, ReconcileGrace time.Duration
	// Cache, when set, gets a periodic janitor that deletes expired entries every
	// CacheJanitorEvery (default DefaultCacheJanitorEvery).
	Cache             *cache.Store
	CacheJanitorEvery time.Duration
	// Log receives River's own log lines (warnings and errors are worth seeing).
	Log *slog.Logger
}

// Client is River plus the shutdown flag its worker reads.
type Client struct {
	*river.Client[pgx.Tx]
	stopping *atomic.Bool
}

// New builds the River client. With a Runner it works jobs and runs the reconciler; without, it
// only inserts (a web process).
func New(pool *pgxpool.Pool, opts Options) (*Client, error) {
	stopping := &atomic.Bool{}
	cfg := &river.Config{
		Logger:               opts.Log,
		MaxAttempts:          opts.MaxAttempts,
		JobTimeout:           opts.JobTimeout,
		RescueStuckJobsAfter: opts.RescueAfter,
		// Jobs inserted long ago (a backlog) are only seen at the poll interval: River's default
		// of 1 s leaves slots idle between waves of slow LLM calls. A 4-per-second indexed poll
		// is cheap; new jobs still arrive at once through LISTEN/NOTIFY.
		FetchPollInterval: 250 * time.Millisecond,
	}
	// An insert-only client must have no Workers bundle at all: River checks inserted kinds
	// against a bundle when there is one.
	if opts.Runner != nil {
		cfg.Workers = river.NewWorkers()
		if err := river.AddWorkerSafely(cfg.Workers, &GenerateProgramWorker{runner: opts.Runner, timeout: opts.JobTimeout, stopping: stopping}); err != nil {
			return nil, fmt.Errorf("river workers: %w", err)
		}
		if err := river.AddWorkerSafely(cfg.Workers, &ReconcileWorker{q: dbq.New(pool), grace: cmp.Or(opts.ReconcileGrace, DefaultReconcileGrace), log: opts.Log}); err != nil {
			return nil, fmt.Errorf("river workers: %w", err)
		}
		every := opts.ReconcileEvery
		if every <= 0 {
			every = time.Minute
		}
		cfg.Queues = map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: opts.Concurrency}}
		cfg.PeriodicJobs = []*river.PeriodicJob{
			river.NewPeriodicJob(river.PeriodicInterval(every), func() (river.JobArgs, *river.InsertOpts) {
				return ReconcileArgs{}, nil
			}, &river.PeriodicJobOpts{RunOnStart: true}),
		}
		if opts.Cache != nil {
			if err := river.AddWorkerSafely(cfg.Workers, &CacheJanitorWorker{cache: opts.Cache, log: opts.Log}); err != nil {
				return nil, fmt.Errorf("river workers: %w", err)
			}
			cfg.PeriodicJobs = append(cfg.PeriodicJobs,
				river.NewPeriodicJob(river.PeriodicInterval(cmp.Or(opts.CacheJanitorEvery, DefaultCacheJanitorEvery)), func() (river.JobArgs, *river.InsertOpts) {
					return CacheJanitorArgs{}, nil
				}, &river.PeriodicJobOpts{RunOnStart: true}))
		}
	}
	c, err := river.NewClient(riverpgxv5.New(pool), cfg)
	if err != nil {
		return nil, fmt.Errorf("river client: %w", err)
	}
	return &Client{Client: c, stopping: stopping}, nil
}

// Shutdown stops fetching, lets running jobs finish until ctx ends, then cancels the rest, which
// hand their jobs back to River (snoozed, no attempt spent).
func (c *Client) Shutdown(ctx context.Context) error {
	c.stopping.Store(true)
	err := c.Stop(ctx)
	if err == nil {
		return nil
	}
	cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	return c.StopAndCancel(cctx)
}

// ReconcileArgs is the periodic reconciler job.
type ReconcileArgs struct{}

// Kind implements river.JobArgs.
func (ReconcileArgs) Kind() string { return "reconcile_programs" }

// InsertOpts keeps one reconciler job at a time.
func (ReconcileArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true, ByPeriod: 30 * time.Second}}
}

// ReconcileWorker fails programs whose job is gone, so nothing stays pending forever.
type ReconcileWorker struct {
	river.WorkerDefaults[ReconcileArgs]
	q     *dbq.Queries
	grace time.Duration
	log   *slog.Logger
}

// DefaultReconcileGrace is how long a program may sit without a live job before it is failed.
// The program and its job commit together, so this only has to cover clock skew and a slow
// status write; a minute is generous.
const DefaultReconcileGrace = time.Minute

// Work implements river.Worker.
func (w *ReconcileWorker) Work(ctx context.Context, _ *river.Job[ReconcileArgs]) error {
	rows, err := w.q.ReconcileOrphanedPrograms(ctx, int32(w.grace.Seconds()))
	if err != nil {
		return fmt.Errorf("reconcile: %w", err)
	}
	for _, r := range rows {
		w.log.Warn("reconciler failed an orphaned program", "program_id", r.ID)
	}
	return nil
}

// DefaultCacheJanitorEvery is how often expired cache entries are deleted. Lookups ignore expired
// rows anyway, so the janitor only keeps the table small; ten minutes is plenty.
const DefaultCacheJanitorEvery = 10 * time.Minute

// CacheJanitorArgs is the periodic job that deletes expired cache entries.
type CacheJanitorArgs struct{}

// Kind implements river.JobArgs.
func (CacheJanitorArgs) Kind() string { return "cache_janitor" }

// CacheJanitorWorker deletes expired ai_coach_cache rows.
type CacheJanitorWorker struct {
	river.WorkerDefaults[CacheJanitorArgs]
	cache *cache.Store
	log   *slog.Logger
}

// Work implements river.Worker.
func (w *CacheJanitorWorker) Work(ctx context.Context, _ *river.Job[CacheJanitorArgs]) error {
	n, err := w.cache.DeleteExpired(ctx)
	if err != nil {
		return fmt.Errorf("cache janitor: %w", err)
	}
	if n > 0 {
		w.log.Debug("cache janitor deleted expired entries", "count", n)
	}
	return nil
}
