package programs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"liftplan/internal/auth"
	"liftplan/internal/cache"
	"liftplan/internal/db"
	"liftplan/internal/db/dbq"
	"liftplan/internal/science"
)

// probeTimeout bounds the cache probe of a submission; past it the submission is a miss.
const probeTimeout = 250 * time.Millisecond

// insertRounds bounds insert-or-join: a conflicting row may finish between our insert and our
// lookup; then the insert succeeds on the next round. Two rounds always suffice; the third
// guards against surprises.
const insertRounds = 3

// Submitted says which program a submission ended up on.
type Submitted struct {
	ProgramID int64
	// Joined is true when the submission joined an existing program (a replayed form, or the same
	// answers already being generated) instead of creating one.
	Joined bool
	// Cached is true when the program was answered from the cache: completed at once, no job.
	Cached bool
}

// submission is one submit's values, computed once before the transaction.
type submission struct {
	user        auth.User
	in          science.Input
	inputJSON   []byte // the frozen input, has_paid_access included
	answersJSON []byte // the answers alone, for the form's pre-fill
	key         string
	idem        *string
}

// probeResult is the answer of the cache probe run beside BEGIN.
type probeResult struct {
	live bool
	err  error
}

// Submit saves the answers and answers them from the cache when an identical submission was
// generated within CACHE_TTL (a new program row, completed, source cache). Otherwise it creates
// the pending program, inserts its River job and notifies, in one transaction. Either way it
// returns in a few milliseconds; on a miss the worker does the rest.
func (s *Service) Submit(ctx context.Context, u auth.User, f Form) (Submitted, error) {
	return s.submit(ctx, u, f, false)
}

// submit is Submit; bypass skips the cache read (Regenerate wants a fresh variation). Three
// steps: probe the cache outside the transaction, then in it serve from the cache (a live
// entry) or insert-or-join.
func (s *Service) submit(ctx context.Context, u auth.User, f Form, bypass bool) (Submitted, error) {
	sub, err := s.prepare(u, f)
	if err != nil {
		return Submitted{}, fmt.Errorf("submit: %w", err)
	}
	probe, outcome := s.probe(ctx, sub.key, bypass)
	var (
		res      Submitted
		hit      cache.Hit
		cacheErr error
	)
	err = db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		q := s.q.WithTx(tx)
		pr := <-probe
		cacheErr = pr.err
		if pr.live {
			id, h, served, err := s.serveCached(ctx, tx, q, sub)
			switch {
			case served:
				res, outcome, hit = Submitted{ProgramID: id, Cached: true}, cache.OutcomeHit, h
				return nil
			case err != nil && ctx.Err() != nil:
				return err
			case err != nil:
				cacheErr = err // warn-only: the submission goes to the queue as if the cache were empty
			}
		}
		var err error
		res, err = s.insertOrJoin(ctx, tx, q, sub)
		return err
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

// prepare freezes the input with the user's tier today and computes the cache key.
func (s *Service) prepare(u auth.User, f Form) (submission, error) {
	in := f.Input.Normalize()
	in.HasPaidAccess = u.HasPaidAccess
	inputJSON, err := json.Marshal(in)
	if err != nil {
		return submission{}, err
	}
	answers := in
	answers.HasPaidAccess = false
	answers.PreviousProgramID, answers.LogSummary = 0, nil // the latest answers are the form's only
	answersJSON, err := json.Marshal(answers)
	if err != nil {
		return submission{}, err
	}
	sub := submission{user: u, in: in, inputJSON: inputJSON, answersJSON: answersJSON, key: cache.Key(u.ID, in, s.generatorVersion)}
	if f.IdempotencyKey != "" {
		sub.idem = &f.IdempotencyKey
	}
	return sub, nil
}

// probe asks the cache whether key has a live entry. Most submissions miss: a cheap probe
// outside the transaction keeps their path at the minimum (begin, insert, job, commit); only a
// live entry takes the hit path. The probe runs on another connection while the submission's
// sends BEGIN, so its round trip overlaps. outcome is what the submission counts if it misses.
func (s *Service) probe(ctx context.Context, key string, bypass bool) (<-chan probeResult, cache.Outcome) {
	ch := make(chan probeResult, 1)
	switch {
	case s.cache == nil:
		ch <- probeResult{}
		return ch, cache.OutcomeMiss // not counted: there is no cache
	case bypass:
		ch <- probeResult{}
		return ch, cache.OutcomeBypass
	}
	go func() {
		// Bounded: if every pool connection is held by a submit waiting for its probe, the
		// probes give up (a miss, logged) instead of deadlocking the pool.
		pctx, cancel := context.WithTimeout(ctx, probeTimeout)
		defer cancel()
		live, err := s.cache.Live(pctx, key)
		ch <- probeResult{live, err}
	}()
	return ch, cache.OutcomeMiss
}

// serveCached saves the answers and, when the live entry is still valid, inserts a completed
// copy of the cached program and notifies. It works on a savepoint of tx, so a failing cache (a
// missing table, say) or a conflicting idempotency key leaves tx usable for the queue path.
// served is false for a miss, an error, and a replayed form (the caller then joins the program
// that form made).
func (s *Service) serveCached(ctx context.Context, tx pgx.Tx, q *dbq.Queries, sub submission) (id int64, h cache.Hit, served bool, err error) {
	if err := q.UpsertOnboarding(ctx, dbq.UpsertOnboardingParams{UserID: sub.user.ID, Responses: sub.answersJSON}); err != nil {
		return 0, h, false, err
	}
	sp, err := tx.Begin(ctx)
	if err != nil {
		return 0, h, false, fmt.Errorf("cache savepoint: %w", err)
	}
	defer sp.Rollback(ctx) //nolint:errcheck // a no-op after Commit; otherwise undoes the hit count
	h, ok, err := s.cache.Claim(ctx, sp, sub.key, sub.in)
	if err != nil || !ok {
		return 0, h, false, err
	}
	id, err = s.q.WithTx(sp).InsertCachedProgram(ctx, dbq.InsertCachedProgramParams{UserID: sub.user.ID, Input: sub.inputJSON, CacheKey: sub.key, IdempotencyKey: sub.idem})
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, h, false, nil
	}
	if err != nil {
		return 0, h, false, fmt.Errorf("insert cached program: %w", err)
	}
	if err := sp.Commit(ctx); err != nil {
		return 0, h, false, fmt.Errorf("cache savepoint: %w", err)
	}
	if err := linkPrevious(ctx, q, id, sub.in.PreviousProgramID); err != nil {
		return 0, h, false, err
	}
	if err := q.NotifyProgram(ctx, strconv.FormatInt(id, 10)); err != nil {
		return 0, h, false, err
	}
	return id, h, true, nil
}

// insertOrJoin inserts the pending program and its job, or joins the program a replayed form
// made or the same answers already in flight (the partial unique indexes decide).
func (s *Service) insertOrJoin(ctx context.Context, tx pgx.Tx, q *dbq.Queries, sub submission) (Submitted, error) {
	for range insertRounds {
		row, err := q.InsertPendingProgram(ctx, dbq.InsertPendingProgramParams{UserID: sub.user.ID, Input: sub.inputJSON, CacheKey: sub.key,
			IdempotencyKey: sub.idem, Responses: sub.answersJSON})
		if err == nil {
			if err := linkPrevious(ctx, q, row.ID, sub.in.PreviousProgramID); err != nil {
				return Submitted{}, err
			}
			// A new program has no watchers yet: no notification needed.
			return Submitted{ProgramID: row.ID}, s.enqueue(ctx, tx, q, row.ID, row.GenerationNo, sub.in.HasPaidAccess, false)
		}
		if !errors.Is(err, pgx.ErrNoRows) {
			return Submitted{}, err
		}
		id, err := q.FindJoinableProgram(ctx, dbq.FindJoinableProgramParams{UserID: sub.user.ID, IdempotencyKey: sub.idem, CacheKey: sub.key})
		if err == nil {
			return Submitted{ProgramID: id, Joined: true}, nil
		}
		if !errors.Is(err, pgx.ErrNoRows) {
			return Submitted{}, err
		}
	}
	return Submitted{}, errors.New("could neither insert nor join a program")
}
