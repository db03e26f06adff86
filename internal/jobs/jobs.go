// Package jobs is liftplan's use of River: the worker of the program domain's GenerateProgram
// job, the periodic reconciler, cache janitor and session janitor, and the client configuration
// for web (insert-only) and worker processes. It imports internal/programs, never the reverse.
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
	"liftplan/internal/derrors"
	"liftplan/internal/generation"
	"liftplan/internal/programs"
)

// GenerateProgramWorker runs the generation pipeline for a job.
type GenerateProgramWorker struct {
	river.WorkerDefaults[programs.GenerateProgramArgs]
	runner   *generation.Runner
	timeout  time.Duration
	stopping *atomic.Bool
}

// Timeout is JOB_TIMEOUT: River cancels a run that takes longer.
func (w *GenerateProgramWorker) Timeout(*river.Job[programs.GenerateProgramArgs]) time.Duration {
	return w.timeout
}

// NextRetry retries soon (2 s, 8 s, 32 s … capped at 5 min, with jitter): a user is watching
// the page, so River's default backoff (attempt⁴ seconds) would feel like a hang.
func (w *GenerateProgramWorker) NextRetry(job *river.Job[programs.GenerateProgramArgs]) time.Time {
	d := min(2*time.Second<<(2*(job.Attempt-1)), 5*time.Minute)
	jitter := time.Duration(rand.Int64N(int64(d / 4)))
	return time.Now().Add(d + jitter)
}

// Work implements river.Worker.
func (w *GenerateProgramWorker) Work(ctx context.Context, job *river.Job[programs.GenerateProgramArgs]) error {
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
	case derrors.IsPermanent(err):
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
	// ReconcileEvery is how often the reconciler runs (default DefaultReconcileEvery); ReconcileGrace is how
	// long a program may lack a live job (default DefaultReconcileGrace).
	ReconcileEvery, ReconcileGrace time.Duration
	// Cache, when set, gets a periodic janitor that deletes expired entries every
	// CacheJanitorEvery (default DefaultCacheJanitorEvery).
	Cache             *cache.Store
	CacheJanitorEvery time.Duration
	// SessionJanitorEvery is how often expired sessions and old sign-in failures are deleted
	// (default DefaultSessionJanitorEvery).
	SessionJanitorEvery time.Duration
	// Log receives River's own log lines (warnings and errors are worth seeing).
	Log *slog.Logger
}

// Client is River plus the shutdown flag its worker reads.
type Client struct {
	*river.Client[pgx.Tx]
	stopping *atomic.Bool
}

// New builds the River client. With a Runner it works jobs and runs the periodic jobs; without,
// it only inserts (a web process).
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
		FetchPollInterval: fetchPollInterval,
	}
	// An insert-only client must have no Workers bundle at all: River checks inserted kinds
	// against a bundle when there is one.
	if opts.Runner != nil {
		workers, periodic, err := buildWorkers(pool, opts, stopping)
		if err != nil {
			return nil, fmt.Errorf("river workers: %w", err)
		}
		cfg.Workers, cfg.PeriodicJobs = workers, periodic
		cfg.Queues = map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: opts.Concurrency}}
	}
	c, err := river.NewClient(riverpgxv5.New(pool), cfg)
	if err != nil {
		return nil, fmt.Errorf("river client: %w", err)
	}
	return &Client{Client: c, stopping: stopping}, nil
}

// fetchPollInterval is how often River looks for jobs it was not notified of.
const fetchPollInterval = 250 * time.Millisecond

// DefaultReconcileEvery is how often the reconciler runs.
const DefaultReconcileEvery = time.Minute

// buildWorkers registers the generation worker and every periodic job with its worker.
func buildWorkers(pool *pgxpool.Pool, opts Options, stopping *atomic.Bool) (*river.Workers, []*river.PeriodicJob, error) {
	q := dbq.New(pool)
	workers := river.NewWorkers()
	var periodic []*river.PeriodicJob
	every := func(d time.Duration, args river.JobArgs) {
		periodic = append(periodic, river.NewPeriodicJob(river.PeriodicInterval(d), func() (river.JobArgs, *river.InsertOpts) {
			return args, nil
		}, &river.PeriodicJobOpts{RunOnStart: true}))
	}
	errs := []error{
		river.AddWorkerSafely(workers, &GenerateProgramWorker{runner: opts.Runner, timeout: opts.JobTimeout, stopping: stopping}),
		river.AddWorkerSafely(workers, &ReconcileWorker{q: q, grace: cmp.Or(opts.ReconcileGrace, DefaultReconcileGrace), log: opts.Log}),
		river.AddWorkerSafely(workers, &SessionJanitorWorker{q: q, log: opts.Log}),
	}
	every(cmp.Or(opts.ReconcileEvery, DefaultReconcileEvery), ReconcileArgs{})
	every(cmp.Or(opts.SessionJanitorEvery, DefaultSessionJanitorEvery), SessionJanitorArgs{})
	if opts.Cache != nil {
		errs = append(errs, river.AddWorkerSafely(workers, &CacheJanitorWorker{cache: opts.Cache, log: opts.Log}))
		every(cmp.Or(opts.CacheJanitorEvery, DefaultCacheJanitorEvery), CacheJanitorArgs{})
	}
	return workers, periodic, errors.Join(errs...)
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
