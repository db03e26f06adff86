package programs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"liftplan/internal/auth"
	"liftplan/internal/cache"
	"liftplan/internal/db"
	"liftplan/internal/db/dbq"
	"liftplan/internal/science"
)

// Inserter is the part of the River client the program service needs.
type Inserter interface {
	InsertTx(ctx context.Context, tx pgx.Tx, args river.JobArgs, opts *river.InsertOpts) (*rivertype.JobInsertResult, error)
	InsertManyTx(ctx context.Context, tx pgx.Tx, params []river.InsertManyParams) ([]*rivertype.JobInsertResult, error)
}

// AdminRetrier retries a program on an admin's behalf with its audit row (internal/admin).
type AdminRetrier interface {
	RetryProgram(ctx context.Context, admin auth.User, id int64) error
}

// Service is the program domain's entry point.
type Service struct {
	pool             *pgxpool.Pool
	q                *dbq.Queries
	jobs             Inserter
	generatorVersion string
	cache            *cache.Store
	log              *slog.Logger
	admin            AdminRetrier
}

// ServiceOptions configures a Service.
type ServiceOptions struct {
	// Pool is the database (required).
	Pool *pgxpool.Pool
	// Jobs inserts generation jobs (required).
	Jobs Inserter
	// GeneratorVersion is part of every cache key, so a new prompt or model never reuses old programs.
	GeneratorVersion string
	// Cache answers identical submissions from ai_coach_cache; nil sends every submission to the queue.
	Cache *cache.Store
	// Log receives the warnings of a failing cache and of unreadable rows; nil discards them.
	Log *slog.Logger
}

// NewService returns the program service.
func NewService(o ServiceOptions) (*Service, error) {
	if o.Pool == nil || o.Jobs == nil {
		return nil, errors.New("programs: Pool and Jobs are required")
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	return &Service{pool: o.Pool, q: dbq.New(o.Pool), jobs: o.Jobs, generatorVersion: o.GeneratorVersion, cache: o.Cache, log: o.Log}, nil
}

// UseAdmin routes an admin's retry of someone else's program through a, which records it in
// admin_audit. Without it such a retry is ErrForbidden.
func (s *Service) UseAdmin(a AdminRetrier) { s.admin = a }

// Get returns program id if viewer may see it (owner, the owner's coach, an admin), decoded,
// with the viewer's rights.
func (s *Service) Get(ctx context.Context, viewer auth.User, id int64) (Program, error) {
	r, err := s.q.GetProgramForViewer(ctx, dbq.GetProgramForViewerParams{ID: id, ViewerID: viewer.ID,
		ViewerIsCoach: viewer.IsCoach(), ViewerIsAdmin: viewer.IsAdmin()})
	if errors.Is(err, pgx.ErrNoRows) {
		return Program{}, ErrNotFound
	}
	if err != nil {
		return Program{}, fmt.Errorf("get program %d: %w", id, err)
	}
	p, derr := fromViewerRow(r, viewer)
	if derr != nil {
		s.log.Warn("program row partly unreadable; shown without it", "program_id", id, "error", derr)
	}
	return p, nil
}

// List returns a user's programs, newest first (at most 200).
func (s *Service) List(ctx context.Context, userID int64) ([]Program, error) {
	rows, err := s.q.ListProgramsByUser(ctx, userID)
	if err != nil {
		return nil, fmt.Errorf("list programs of user %d: %w", userID, err)
	}
	out := make([]Program, len(rows))
	for i, r := range rows {
		var derr error
		if out[i], derr = fromListRow(r); derr != nil {
			s.log.Warn("program row partly unreadable; shown without it", "program_id", r.ID, "error", derr)
		}
	}
	return out, nil
}

// LastAnswers returns the user's latest onboarding answers, or false when there are none (or
// they cannot be read: the form then starts empty).
func (s *Service) LastAnswers(ctx context.Context, userID int64) (science.Input, bool, error) {
	raw, err := s.q.GetOnboarding(ctx, userID)
	if errors.Is(err, pgx.ErrNoRows) {
		return science.Input{}, false, nil
	}
	if err != nil {
		return science.Input{}, false, err
	}
	var in science.Input
	if err := decodeDoc("onboarding_responses", raw, &in); err != nil {
		s.log.Warn("last answers unreadable; the form starts empty", "user_id", userID, "error", err)
		return science.Input{}, false, nil
	}
	return in, true, nil
}

// Retry starts a failed program again: the owner or an admin, only from failed (else
// ErrConflict). The guarded update, the new job and the notification share one transaction, so
// two simultaneous retries create one job.
func (s *Service) Retry(ctx context.Context, viewer auth.User, id int64) error {
	p, err := s.Get(ctx, viewer, id)
	if err != nil {
		return err
	}
	if !p.Viewer.Owned {
		if viewer.IsAdmin() && s.admin != nil {
			return s.admin.RetryProgram(ctx, viewer, id) // audited
		}
		return ErrForbidden
	}
	err = db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		_, err := s.RetryTx(ctx, tx, id)
		return err
	})
	if err != nil {
		return fmt.Errorf("retry program %d: %w", id, err)
	}
	return nil
}

// RetryTx flips a failed program back to pending with a new generation_no, inserts its job and
// notifies, in tx, and returns the new generation_no. A program that is not failed is
// ErrConflict; one that does not exist, ErrNotFound.
func (s *Service) RetryTx(ctx context.Context, tx pgx.Tx, id int64) (int32, error) {
	q := s.q.WithTx(tx)
	row, err := q.RetryFailedProgram(ctx, id)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		exists, eerr := q.ProgramExists(ctx, id)
		if eerr != nil {
			return 0, eerr
		}
		if !exists {
			return 0, ErrNotFound
		}
		return 0, ErrConflict
	case isUniqueViolation(err):
		return 0, fmt.Errorf("%w: the same answers are already being generated", ErrConflict)
	case err != nil:
		return 0, err
	}
	return row.GenerationNo, s.enqueue(ctx, tx, q, row.ID, row.GenerationNo, paidOf(row.Input), true)
}

// RetryAllFailedTx retries up to limit failed programs in tx: one statement for the rows, one
// for all the jobs and one for all the notifications, whatever the count. It returns their ids.
func (s *Service) RetryAllFailedTx(ctx context.Context, tx pgx.Tx, limit int32) ([]int64, error) {
	q := s.q.WithTx(tx)
	rows, err := q.RetryAllFailedPrograms(ctx, limit)
	if isUniqueViolation(err) {
		return nil, fmt.Errorf("%w: programs changed while retrying; try again", ErrConflict)
	}
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(rows))
	if len(rows) == 0 {
		return ids, nil
	}
	params := make([]river.InsertManyParams, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
		params[i] = river.InsertManyParams{Args: GenerateProgramArgs{ProgramID: r.ID, GenerationNo: r.GenerationNo}, InsertOpts: InsertOptsFor(paidOf(r.Input))}
	}
	if _, err := s.jobs.InsertManyTx(ctx, tx, params); err != nil {
		return nil, fmt.Errorf("insert jobs: %w", err)
	}
	if err := q.NotifyPrograms(ctx, ids); err != nil {
		return nil, err
	}
	return ids, nil
}

// Regenerate makes a new program from the same answers (owner only), never from the cache. It
// joins a generation of the same answers that is already in flight rather than starting a
// second one.
func (s *Service) Regenerate(ctx context.Context, viewer auth.User, id int64) (Submitted, error) {
	p, err := s.Get(ctx, viewer, id)
	if err != nil {
		return Submitted{}, err
	}
	if !p.Viewer.Regenerate {
		return Submitted{}, ErrForbidden
	}
	if p.inputErr != nil {
		return Submitted{}, fmt.Errorf("regenerate: %w", p.inputErr)
	}
	// The tier is the user's today, not the one frozen in the old program. The cache read is
	// bypassed (the user asked for a new program); the generation then refreshes the entry.
	return s.submit(ctx, viewer, Form{Input: p.Input}, true)
}

// enqueue inserts the generation job in tx; notify wakes the program's watchers (a retried
// program's page is open; a brand-new one has none). The worker records the job's id on the
// program when it starts, and the reconciler finds jobs by their arguments, so submit spends
// no statement on linking them.
func (s *Service) enqueue(ctx context.Context, tx pgx.Tx, q *dbq.Queries, programID int64, generationNo int32, paid, notify bool) error {
	if _, err := s.jobs.InsertTx(ctx, tx, GenerateProgramArgs{ProgramID: programID, GenerationNo: generationNo}, InsertOptsFor(paid)); err != nil {
		return fmt.Errorf("insert job: %w", err)
	}
	if !notify {
		return nil
	}
	return q.NotifyProgram(ctx, strconv.FormatInt(programID, 10))
}

func paidOf(input []byte) bool {
	var in science.Input
	_ = decodeDoc("input", input, &in) // unreadable: the free tier's priority, nothing worse
	return in.HasPaidAccess
}

func isUniqueViolation(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == "23505"
}
