package jobs

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river"

	"liftplan/internal/cache"
	"liftplan/internal/db/dbq"
)

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

// DefaultSessionJanitorEvery is how often expired sessions and old sign-in failures are deleted.
// Expired sessions are refused on read anyway; the janitor only keeps the tables small.
const DefaultSessionJanitorEvery = 5 * time.Minute

// loginFailureRetention is how long sign-in failures are kept: longer than any throttle window.
const loginFailureRetention = 24 * time.Hour

// SessionJanitorArgs is the periodic job that deletes expired sessions and old sign-in failures.
// It runs once per cluster (River's leader inserts periodic jobs), not in every web process.
type SessionJanitorArgs struct{}

// Kind implements river.JobArgs.
func (SessionJanitorArgs) Kind() string { return "session_janitor" }

// SessionJanitorWorker deletes expired sessions and sign-in failures past their retention.
type SessionJanitorWorker struct {
	river.WorkerDefaults[SessionJanitorArgs]
	q   *dbq.Queries
	log *slog.Logger
}

// Work implements river.Worker.
func (w *SessionJanitorWorker) Work(ctx context.Context, _ *river.Job[SessionJanitorArgs]) error {
	n, err := w.q.DeleteExpiredSessions(ctx)
	if err != nil {
		return fmt.Errorf("session janitor: sessions: %w", err)
	}
	failures, err := w.q.DeleteOldLoginFailures(ctx, int32(loginFailureRetention.Seconds()))
	if err != nil {
		return fmt.Errorf("session janitor: login failures: %w", err)
	}
	if n > 0 || failures > 0 {
		w.log.Debug("session janitor deleted expired rows", "sessions", n, "login_failures", failures)
	}
	return nil
}
