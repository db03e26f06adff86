package programs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"liftplan/internal/auth"
	"liftplan/internal/cache"
	"liftplan/internal/db"
	"liftplan/internal/db/dbq"
	"liftplan/internal/jobs"
	"liftplan/internal/science"
)

// Errors the HTTP layer maps to statuses.
var (
	// ErrNotFound: no such program, or not one the viewer may see (404 either way).
	ErrNotFound = errors.New("program not found")
	// ErrForbidden: the viewer may see the program but not change it (a coach).
	ErrForbidden = errors.New("not allowed to change this program")
	// ErrConflict: the program is not in a state that allows the action (409).
	ErrConflict = errors.New("program is not in a state that allows this")
)

// Inserter is the part of the River client Submit needs.
type Inserter interface {
	InsertTx(ctx context.Context, tx pgx.Tx, args river.JobArgs, opts *river.InsertOpts) (*rivertype.JobInsertResult, error)
	InsertManyTx(ctx context.Context, tx pgx.Tx, params []river.InsertManyParams) ([]*rivertype.JobInsertResult, error)
}

// Service is the program domain's entry point.
type Service struct {
	pool             *pgxpool.Pool
	q                *dbq.Queries
	jobs             Inserter
	generatorVersion string
	cache            *cache.Store
	log              *slog.Logger
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
	// Log receives the warnings of a failing cache; nil discards them.
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

// probeTimeout bounds the cache probe of a submission; past it the submission is a miss.
const probeTimeout = 250 * time.Millisecond

// Submitted says which program a submission ended up on.
type Submitted struct {
	ProgramID int64
	// Joined is true when the submission joined an existing program (a replayed form, or the same
	// answers already being generated) instead of creating one.
	Joined bool
	// Cached is true when the program was answered from the cache: completed at once, no job.
	Cached bool
}

// Submit saves the answers and answers them from the cache when an identical submission was
// generated within CACHE_TTL (a new program row, completed, source cache). Otherwise it creates
// the pending program, inserts its River job and notifies, in one transaction. Either way it
// returns in a few milliseconds; on a miss the worker does the rest.
func (s *Service) Submit(ctx context.Context, u auth.User, f Form) (Submitted, error) {
	return s.submit(ctx, u, f, false)
}

// submit is Submit; bypass skips the cache read (Regenerate wants a fresh variation).
func (s *Service) submit(ctx context.Context, u auth.User, f Form, bypass bool) (Submitted, error) {
	in := f.Input.Normalize()
	in.HasPaidAccess = u.HasPaidAccess
	inputJSON, err := json.Marshal(in)
	if err != nil {
		return Submitted{}, fmt.Errorf("submit: %w", err)
	}
	answers := in
	answers.HasPaidAccess = false
	answers.PreviousProgramID, answers.LogSummary = 0, nil // the latest answers are the form's only
	answersJSON, _ := json.Marshal(answers)
	key := cache.Key(u.ID, in, s.generatorVersion)
	var idem *string
	if f.IdempotencyKey != "" {
		idem = &f.IdempotencyKey
	}

	var (
		res      Submitted
		outcome  cache.Outcome
		hit      cache.Hit
		cacheErr error
	)
	// Most submissions miss: a cheap probe outside the transaction keeps their path at the
	// minimum (begin, insert, job, commit); only a live entry takes the hit path.
	// The probe runs on another connection while this one sends BEGIN: its round trip overlaps.
	type probeResult struct {
		live bool
		err  error
	}
	probe := make(chan probeResult, 1)
	switch {
	case s.cache == nil:
		probe <- probeResult{}
	case bypass:
		outcome = cache.OutcomeBypass
		probe <- probeResult{}
	default:
		outcome = cache.OutcomeMiss
		go func() {
			// Bounded: if every pool connection is held by a submit waiting for its probe, the
			// probes give up (a miss, logged) instead of deadlocking the pool.
			pctx, cancel := context.WithTimeout(ctx, probeTimeout)
			defer cancel()
			live, err := s.cache.Live(pctx, key)
			probe <- probeResult{live, err}
		}()
	}
	err = db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		q := s.q.WithTx(tx)
		pr := <-probe
		cacheErr = pr.err
		if pr.live {
			if err := q.UpsertOnboarding(ctx, dbq.UpsertOnboardingParams{UserID: u.ID, Responses: answersJSON}); err != nil {
				return err
			}
			id, h, served, err := s.serveFromCache(ctx, tx, u.ID, in, key, inputJSON, idem)
			if err != nil {
				if ctx.Err() != nil {
					return err
				}
				cacheErr = err // warn-only: the submission goes to the queue as if the cache were empty
			}
			if served {
				res, outcome, hit = Submitted{ProgramID: id, Cached: true}, cache.OutcomeHit, h
				if err := linkPrevious(ctx, q, id, in.PreviousProgramID); err != nil {
					return err
				}
				return q.NotifyProgram(ctx, strconv.FormatInt(id, 10))
			}
		}
		// A conflicting row may finish between our insert and our lookup; then the insert succeeds
		// on the next round. Two rounds always suffice; the third guards against surprises.
		for range 3 {
			row, err := q.InsertPendingProgram(ctx, dbq.InsertPendingProgramParams{UserID: u.ID, Input: inputJSON, CacheKey: key,
				IdempotencyKey: idem, Responses: answersJSON})
			if err == nil {
				res.ProgramID = row.ID
				if err := linkPrevious(ctx, q, row.ID, in.PreviousProgramID); err != nil {
					return err
				}
				// A new program has no watchers yet: no notification needed.
				return s.enqueue(ctx, tx, q, row.ID, row.GenerationNo, in.HasPaidAccess, false)
			}
			if !errors.Is(err, pgx.ErrNoRows) {
				return err
			}
			id, err := q.FindJoinableProgram(ctx, dbq.FindJoinableProgramParams{UserID: u.ID, IdempotencyKey: idem, CacheKey: key})
			if err == nil {
				res = Submitted{ProgramID: id, Joined: true}
				return nil
			}
			if !errors.Is(err, pgx.ErrNoRows) {
				return err
			}
		}
		return errors.New("could neither insert nor join a program")
	})
	if err != nil {
		return Submitted{}, fmt.Errorf("submit program: %w", err)
	}
	// Counted only now: a rolled-back submission served nothing and missed nothing. A joined
	// submission is not a lookup of its own: the program it joined was counted already.
	if s.cache != nil && !res.Joined {
		s.cache.Count(outcome, hit.Tokens)
	}
	if cacheErr != nil {
		s.log.Warn("program cache unavailable; generating without it", "program_id", res.ProgramID, "user_id", u.ID, "error", cacheErr)
	}
	return res, nil
}

// serveFromCache inserts a completed copy of the cached program for key when there is a live,
// still valid entry. It works on a savepoint of tx, so a failing cache (a missing table, say) or
// a conflicting idempotency key leaves tx usable for the queue path. served is false for a miss,
// an error, and a replayed form (the caller then joins the program that form made).
func (s *Service) serveFromCache(ctx context.Context, tx pgx.Tx, userID int64, in science.Input, key string, inputJSON []byte, idem *string) (id int64, h cache.Hit, served bool, err error) {
	sp, err := tx.Begin(ctx)
	if err != nil {
		return 0, h, false, fmt.Errorf("cache savepoint: %w", err)
	}
	defer sp.Rollback(ctx) //nolint:errcheck // a no-op after Commit; otherwise undoes the hit count
	h, ok, err := s.cache.Claim(ctx, sp, key, in)
	if err != nil || !ok {
		return 0, h, false, err
	}
	id, err = s.q.WithTx(sp).InsertCachedProgram(ctx, dbq.InsertCachedProgramParams{UserID: userID, Input: inputJSON, CacheKey: key, IdempotencyKey: idem})
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, h, false, nil
	}
	if err != nil {
		return 0, h, false, fmt.Errorf("insert cached program: %w", err)
	}
	if err := sp.Commit(ctx); err != nil {
		return 0, h, false, fmt.Errorf("cache savepoint: %w", err)
	}
	return id, h, true, nil
}

// enqueue inserts the generation job in tx; notify wakes the program's watchers (a retried
// program's page is open; a brand-new one has none). The worker records the job's id on the
// program when it starts, and the reconciler finds jobs by their arguments, so submit spends
// no statement on linking them.
func (s *Service) enqueue(ctx context.Context, tx pgx.Tx, q *dbq.Queries, programID int64, generationNo int32, paid, notify bool) error {
	if _, err := s.jobs.InsertTx(ctx, tx, jobs.GenerateProgramArgs{ProgramID: programID, GenerationNo: generationNo}, jobs.InsertOptsFor(paid)); err != nil {
		return fmt.Errorf("insert job: %w", err)
	}
	if !notify {
		return nil
	}
	return q.NotifyProgram(ctx, strconv.FormatInt(programID, 10))
}

// Program is one program as a viewer may see it.
type Program = dbq.GetProgramForViewerRow

// Get returns program id if viewer may see it (owner, the owner's coach, an admin).
func (s *Service) Get(ctx context.Context, viewer auth.User, id int64) (Program, error) {
	p, err := s.q.GetProgramForViewer(ctx, dbq.GetProgramForViewerParams{ID: id, ViewerID: viewer.ID,
		ViewerIsCoach: viewer.IsCoach(), ViewerIsAdmin: viewer.IsAdmin()})
	if errors.Is(err, pgx.ErrNoRows) {
		return p, ErrNotFound
	}
	return p, err
}

// List returns a user's programs, newest first.
func (s *Service) List(ctx context.Context, userID int64) ([]dbq.ListProgramsByUserRow, error) {
	return s.q.ListProgramsByUser(ctx, userID)
}

// LastAnswers returns the user's latest onboarding answers, or false when there are none.
func (s *Service) LastAnswers(ctx context.Context, userID int64) (science.Input, bool, error) {
	raw, err := s.q.GetOnboarding(ctx, userID)
	if errors.Is(err, pgx.ErrNoRows) {
		return science.Input{}, false, nil
	}
	if err != nil {
		return science.Input{}, false, err
	}
	var in science.Input
	if err := json.Unmarshal(raw, &in); err != nil {
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
	if p.UserID != viewer.ID {
		if viewer.IsAdmin() {
			return s.AdminRetry(ctx, viewer, id) // audited
		}
		return ErrForbidden
	}
	err = db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		_, err := s.retryTx(ctx, tx, id)
		return err
	})
	if err != nil {
		return fmt.Errorf("retry program %d: %w", id, err)
	}
	return nil
}

// retryTx flips a failed program back to pending with a new generation_no and inserts its job,
// in tx. A program that is not failed is ErrConflict; one that does not exist, ErrNotFound.
func (s *Service) retryTx(ctx context.Context, tx pgx.Tx, id int64) (dbq.RetryFailedProgramRow, error) {
	q := s.q.WithTx(tx)
	row, err := q.RetryFailedProgram(ctx, id)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		exists, eerr := q.ProgramExists(ctx, id)
		if eerr != nil {
			return row, eerr
		}
		if !exists {
			return row, ErrNotFound
		}
		return row, ErrConflict
	case isUniqueViolation(err):
		return row, fmt.Errorf("%w: the same answers are already being generated", ErrConflict)
	case err != nil:
		return row, err
	}
	return row, s.enqueue(ctx, tx, q, row.ID, row.GenerationNo, paidOf(row.Input), true)
}

// Regenerate makes a new program from the same answers (owner only), never from the cache. It joins a generation of
// the same answers that is already in flight rather than starting a second one.
func (s *Service) Regenerate(ctx context.Context, viewer auth.User, id int64) (Submitted, error) {
	p, err := s.Get(ctx, viewer, id)
	if err != nil {
		return Submitted{}, err
	}
	if p.UserID != viewer.ID {
		return Submitted{}, ErrForbidden
	}
	var in science.Input
	if err := json.Unmarshal(p.Input, &in); err != nil {
		return Submitted{}, fmt.Errorf("regenerate: stored input: %w", err)
	}
	// The tier is the user's today, not the one frozen in the old program. The cache read is
	// bypassed (the user asked for a new program); the generation then refreshes the entry.
	return s.submit(ctx, viewer, Form{Input: in}, true)
}
