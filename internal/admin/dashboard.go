package admin

import (
	"context"
	"fmt"
	"time"

	"liftplan/internal/cache"
	"liftplan/internal/programs"
)

// dashboardWindow is the recent past the dashboard's finished/failed figures cover.
const dashboardWindow = time.Hour

// AuditEntry is one admin write as the dashboard lists it.
type AuditEntry struct {
	Actor, Action, Target, Detail string
	At                            time.Time
}

// Dashboard is the generation health overview of /admin.
type Dashboard struct {
	// Counts is the number of programs per status.
	Counts map[programs.Status]int
	// Queued is the number of jobs waiting to run; OldestPendingSeconds the oldest pending program's age.
	Queued               int
	OldestPendingSeconds float64
	// FinishedLastHour and FailedLastHour cover dashboardWindow.
	FinishedLastHour, FailedLastHour int
	Failed                           []ProgramRow
	Audit                            []AuditEntry
	// Cache is nil without a cache.
	Cache *cache.Stats
}

// Dashboard gathers the figures of /admin.
func (s *Service) Dashboard(ctx context.Context) (Dashboard, error) {
	counts, err := s.q.CountProgramsByStatus(ctx)
	if err != nil {
		return Dashboard{}, fmt.Errorf("dashboard: %w", err)
	}
	qs, err := s.q.QueueStats(ctx)
	if err != nil {
		return Dashboard{}, fmt.Errorf("dashboard: %w", err)
	}
	recent, err := s.q.ProgramStatsSince(ctx, time.Now().Add(-dashboardWindow))
	if err != nil {
		return Dashboard{}, fmt.Errorf("dashboard: %w", err)
	}
	failed, err := s.Programs(ctx, programs.StatusFailed, dashboardFailed)
	if err != nil {
		return Dashboard{}, err
	}
	auditRows, err := s.q.ListAudit(ctx, dashboardAudit)
	if err != nil {
		return Dashboard{}, fmt.Errorf("dashboard: %w", err)
	}
	d := Dashboard{Counts: map[programs.Status]int{}, Queued: int(qs.Queued), OldestPendingSeconds: qs.OldestPendingSeconds,
		FinishedLastHour: int(recent.Finished), FailedLastHour: int(recent.Failed), Failed: failed, Cache: s.cacheStats(ctx)}
	for _, r := range counts {
		d.Counts[programs.Status(r.GenerationStatus)] = int(r.N)
	}
	for _, a := range auditRows {
		d.Audit = append(d.Audit, AuditEntry{Actor: a.ActorEmail, Action: a.Action, Target: a.Target, Detail: string(a.Detail), At: a.At})
	}
	return d, nil
}

// cacheStats is the cache's figures, or nil without a cache. A cache table that cannot be read
// shows as "size unavailable" instead of breaking the page: the cache is never essential.
func (s *Service) cacheStats(ctx context.Context) *cache.Stats {
	if s.cache == nil {
		return nil
	}
	st, err := s.cache.Stats(ctx)
	if err != nil {
		s.log.Warn("cache stats for /admin", "error", err)
	}
	return &st
}
