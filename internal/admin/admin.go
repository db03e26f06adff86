// Package admin is the admin and coach side of liftplan: dashboard figures, programs by status,
// user search and updates, retries on an admin's behalf, cache purge, and a coach's clients.
// Every admin write records its admin_audit row in the transaction of the write itself, here.
package admin

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"liftplan/internal/audit"
	"liftplan/internal/auth"
	"liftplan/internal/cache"
	"liftplan/internal/db"
	"liftplan/internal/db/dbq"
	"liftplan/internal/programs"
)

// Limits of the admin pages.
const (
	// maxRetryAll bounds one "retry all failed" click; a second click takes the next batch.
	maxRetryAll = 1000
	// dashboardFailed and dashboardAudit are the rows /admin shows of each list.
	dashboardFailed = 20
	dashboardAudit  = 50
	// MaxProgramRows and maxUserRows bound the program and user lists.
	MaxProgramRows = 200
	maxUserRows    = 200
)

// Service is the admin and coach logic.
type Service struct {
	pool     *pgxpool.Pool
	q        *dbq.Queries
	programs *programs.Service
	cache    *cache.Store
	log      *slog.Logger
}

// Options configures a Service.
type Options struct {
	// Pool is the database (required).
	Pool *pgxpool.Pool
	// Programs retries programs in the admin's transaction (required).
	Programs *programs.Service
	// Cache is the program cache, for its figures and the purge; nil hides both.
	Cache *cache.Store
	// Log receives warnings (an unreadable cache size); nil discards them.
	Log *slog.Logger
}

// New returns the admin service and routes the program service's admin retries through it.
func New(o Options) (*Service, error) {
	if o.Pool == nil || o.Programs == nil {
		return nil, errors.New("admin: Pool and Programs are required")
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	s := &Service{pool: o.Pool, q: dbq.New(o.Pool), programs: o.Programs, cache: o.Cache, log: o.Log}
	o.Programs.UseAdmin(s)
	return s, nil
}

// HasCache reports whether there is a cache to show and purge.
func (s *Service) HasCache() bool { return s.cache != nil }

// RetryProgram retries one failed program on an admin's behalf and records it in admin_audit, in
// the transaction that flips the status and inserts the job: two admins clicking at once make
// one job (the second finds the program no longer failed: ErrConflict).
func (s *Service) RetryProgram(ctx context.Context, admin auth.User, id int64) error {
	if !admin.IsAdmin() {
		return programs.ErrForbidden
	}
	err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		genNo, err := s.programs.RetryTx(ctx, tx, id)
		if err != nil {
			return err
		}
		return audit.Record(ctx, s.q.WithTx(tx), admin.ID, "program.retry", "program:"+strconv.FormatInt(id, 10), map[string]any{"generation_no": genNo})
	})
	if err != nil {
		return fmt.Errorf("admin retry of program %d: %w", id, err)
	}
	return nil
}

// RetryAllFailed retries every failed program (up to a batch of 1,000) in one transaction and
// returns how many it started.
func (s *Service) RetryAllFailed(ctx context.Context, admin auth.User) (int, error) {
	if !admin.IsAdmin() {
		return 0, programs.ErrForbidden
	}
	var n int
	err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		ids, err := s.programs.RetryAllFailedTx(ctx, tx, maxRetryAll)
		if err != nil {
			return err
		}
		n = len(ids)
		return audit.Record(ctx, s.q.WithTx(tx), admin.ID, "program.retry_all", "programs", map[string]any{"count": n, "program_ids": ids})
	})
	if err != nil {
		return 0, fmt.Errorf("admin retry all: %w", err)
	}
	return n, nil
}

// PurgeCache deletes expired or all cache entries and records the purge, in one transaction.
func (s *Service) PurgeCache(ctx context.Context, admin auth.User, scope cache.Scope) (int64, error) {
	if s.cache == nil {
		return 0, programs.ErrNotFound
	}
	var n int64
	err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		var err error
		if n, err = s.cache.Purge(ctx, tx, scope); err != nil {
			return err
		}
		return audit.Record(ctx, s.q.WithTx(tx), admin.ID, "cache.purge", "ai_coach_cache", map[string]any{"scope": scope, "deleted": n})
	})
	if err != nil {
		return 0, fmt.Errorf("purge cache: %w", err)
	}
	s.log.Info("cache purged", "user_id", admin.ID, "scope", scope, "deleted", n)
	return n, nil
}

// ProgramRow is one program in an admin list.
type ProgramRow struct {
	ID        int64
	Email     string
	Status    programs.Status
	Step      programs.Step
	Attempt   int
	Error     string
	Detail    string
	UpdatedAt time.Time
}

// Programs lists programs of one status, most recently updated first, with error detail.
func (s *Service) Programs(ctx context.Context, status programs.Status, limit int) ([]ProgramRow, error) {
	rows, err := s.q.ListProgramsByStatus(ctx, dbq.ListProgramsByStatusParams{Status: dbq.GenerationStatus(status), MaxRows: int32(limit)})
	if err != nil {
		return nil, fmt.Errorf("programs by status: %w", err)
	}
	out := make([]ProgramRow, len(rows))
	for i, r := range rows {
		out[i] = ProgramRow{ID: r.ID, Email: r.Email, Status: programs.Status(r.GenerationStatus), Step: programs.Step(r.ProgressStep),
			Attempt: int(r.Attempt), UpdatedAt: r.UpdatedAt}
		if r.GenerationError != nil {
			out[i].Error = *r.GenerationError
		}
		if r.ErrorDetail != nil {
			out[i].Detail = *r.ErrorDetail
		}
	}
	return out, nil
}
