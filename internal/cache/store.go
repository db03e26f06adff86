package cache

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"

	"liftplan/internal/db/dbq"
	"liftplan/internal/science"
)

// Options configures a Store.
type Options struct {
	// Pool is the database holding ai_coach_cache (required).
	Pool *pgxpool.Pool
	// TTL is CACHE_TTL: how long a generated program is reused for identical answers (> 0).
	TTL time.Duration
	// Registerer receives the cache's collectors (hits, misses, bypasses, errors, savings, size);
	// nil registers none, e.g. for a second Store on the same registry.
	Registerer prometheus.Registerer
	// Log receives debug lines from metric scrapes; nil discards them.
	Log *slog.Logger
}

func (o Options) validate() error {
	var errs []error
	if o.Pool == nil {
		errs = append(errs, errors.New("Pool is required"))
	}
	if o.TTL <= 0 {
		errs = append(errs, fmt.Errorf("TTL must be positive, got %s", o.TTL))
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("cache options: %w", err)
	}
	return nil
}

// Store reads and writes ai_coach_cache and counts what the cache did. It never decides what a
// failure means for a generation: callers log its errors as warnings and carry on without it.
type Store struct {
	q   *dbq.Queries
	ttl time.Duration
	c   *counters
}

// New returns a Store and registers its collectors on o.Registerer.
func New(o Options) (*Store, error) {
	if err := o.validate(); err != nil {
		return nil, err
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	s := &Store{q: dbq.New(o.Pool), ttl: o.TTL, c: &counters{}}
	if o.Registerer != nil {
		if err := o.Registerer.Register(newCollector(s.c, s.size, o.Log)); err != nil {
			return nil, fmt.Errorf("register cache metrics: %w", err)
		}
	}
	return s, nil
}

// TTL is how long a new entry lives.
func (s *Store) TTL() time.Duration { return s.ttl }

// Hit is a cached program that may be served: live, and valid under today's science rules. The
// program itself stays in the database; dbq.InsertCachedProgram copies it there.
type Hit struct {
	// Tokens is the LLM usage of the generation behind the entry: what serving it saves.
	Tokens int64
}

// Claim looks key up for a submission of in and counts a hit on the entry when it is live and
// still passes science.Validate; ok is false for a miss (none, expired, or no longer valid).
// tx should be a savepoint the caller rolls back unless it serves the hit, so the entry's
// hit_count includes only served hits. A read error is counted here; the caller decides that
// it is a miss. Claim counts neither hits nor misses: the caller does once its transaction
// commits (Count).
func (s *Store) Claim(ctx context.Context, tx pgx.Tx, key string, in science.Input) (h Hit, ok bool, err error) {
	row, err := s.q.WithTx(tx).ClaimCacheEntry(ctx, key)
	if errors.Is(err, pgx.ErrNoRows) {
		return Hit{}, false, nil
	}
	if err != nil {
		s.c.readErrors.Add(1)
		return Hit{}, false, fmt.Errorf("cache read %s: %w", key, err)
	}
	if !Valid(in, row.Program) {
		return Hit{}, false, nil
	}
	return Hit{Tokens: int64(row.PromptTokens) + int64(row.CompletionTokens)}, true, nil
}

// Live reports whether a live entry exists for key: a one-row probe that lets a miss skip the
// hit path (savepoint, claim, re-validation). A read error is counted, like Claim's.
func (s *Store) Live(ctx context.Context, key string) (bool, error) {
	live, err := s.q.CacheEntryLive(ctx, key)
	if err != nil {
		s.c.readErrors.Add(1)
		return false, fmt.Errorf("cache read %s: %w", key, err)
	}
	return live, nil
}

// Valid reports whether a cached program for in passes the current science rules: the rules may
// have changed since it was generated, and a program the pipeline would reject today must not be
// served from the cache either.
func Valid(in science.Input, program json.RawMessage) bool {
	var p science.Program
	if err := json.Unmarshal(program, &p); err != nil {
		return false
	}
	a, err := science.Analyze(in)
	if err != nil {
		return false
	}
	for _, f := range science.Validate(a, p) {
		if f.Severity == science.SeverityError {
			return false
		}
	}
	return true
}

// Outcome is what one submission's cache lookup came to.
type Outcome int

// Outcomes of a lookup, as Count records them.
const (
	// OutcomeHit: the submission was answered from the cache.
	OutcomeHit Outcome = iota + 1
	// OutcomeMiss: the cache was read (or failed to be) and the submission went to the generator.
	OutcomeMiss
	// OutcomeBypass: the cache was skipped on purpose (Regenerate).
	OutcomeBypass
)

// Count records a committed submission's outcome; tokens are the hit's Tokens.
func (s *Store) Count(o Outcome, tokens int64) {
	switch o {
	case OutcomeHit:
		s.c.hits.Add(1)
		s.c.llmCallsSaved.Add(1)
		s.c.tokensSaved.Add(tokens)
	case OutcomeMiss:
		s.c.misses.Add(1)
	case OutcomeBypass:
		s.c.bypasses.Add(1)
	}
}

// Entry is a generated program to cache.
type Entry struct {
	// Key is the program's cache_key (Key of its user, input and generator version).
	Key    string
	UserID int64
	// Input is the frozen input the key was computed from; its digest is stored for audits.
	Input science.Input
	// GeneratorVersion made the program; it is part of Key.
	GeneratorVersion string
	// Program and Metadata are the stored program and its scientific_metadata.
	Program, Metadata json.RawMessage
	// PromptTokens and CompletionTokens are the generation's LLM usage (0 for builtin).
	PromptTokens, CompletionTokens int
}

// Put stores e for TTL, replacing an older entry of the same key (a regeneration refreshes it).
// A failure is counted as a write error and returned for the caller to log.
func (s *Store) Put(ctx context.Context, e Entry) error {
	err := s.q.PutCacheEntry(ctx, dbq.PutCacheEntryParams{
		CacheKey: e.Key, UserID: e.UserID, Program: e.Program, ScientificMetadata: e.Metadata,
		HashedOnboardingData: Digest(e.Input, e.GeneratorVersion), GeneratorVersion: e.GeneratorVersion,
		PromptTokens: int32(e.PromptTokens), CompletionTokens: int32(e.CompletionTokens), TtlSeconds: s.ttl.Seconds(),
	})
	if err != nil {
		s.c.writeErrors.Add(1)
		return fmt.Errorf("cache write %s: %w", e.Key, err)
	}
	return nil
}

// Scope is which entries Purge deletes.
type Scope string

// Purge scopes, as the admin form posts them.
const (
	ScopeExpired Scope = "expired"
	ScopeAll     Scope = "all"
)

// ParseScope returns the scope named s, or an error naming the allowed values.
func ParseScope(s string) (Scope, error) {
	switch Scope(s) {
	case ScopeExpired, ScopeAll:
		return Scope(s), nil
	}
	return "", fmt.Errorf("scope must be expired or all, got %q", s)
}

// DeleteExpired deletes entries past their expiry (the janitor) and returns how many.
func (s *Store) DeleteExpired(ctx context.Context) (int64, error) {
	n, err := s.q.DeleteExpiredCacheEntries(ctx)
	if err != nil {
		return 0, fmt.Errorf("delete expired cache entries: %w", err)
	}
	return n, nil
}

// Purge deletes the entries of scope and returns how many. It runs on db (a transaction), so the
// admin handler can record its audit row atomically with the deletion.
func (s *Store) Purge(ctx context.Context, db dbq.DBTX, scope Scope) (int64, error) {
	q := dbq.New(db)
	var (
		n   int64
		err error
	)
	switch scope {
	case ScopeExpired:
		n, err = q.DeleteExpiredCacheEntries(ctx)
	case ScopeAll:
		n, err = q.DeleteAllCacheEntries(ctx)
	default:
		err = fmt.Errorf("unknown scope %q", scope)
	}
	if err != nil {
		return 0, fmt.Errorf("purge cache (%s): %w", scope, err)
	}
	return n, nil
}

// Stats is what the cache did since this process started, and what it holds now.
type Stats struct {
	// Hits, Misses and Bypasses count submissions by cache outcome.
	Hits, Misses, Bypasses int64
	// ReadErrors and WriteErrors count failed cache operations (the generations went on).
	ReadErrors, WriteErrors int64
	// LLMCallsSaved and TokensSaved are what the hits did not spend.
	LLMCallsSaved, TokensSaved int64
	// Rows and Bytes describe ai_coach_cache now; SizeKnown is false when they could not be read.
	Rows, Bytes int64
	SizeKnown   bool
}

// HitRate is hits over lookups that read the cache (bypasses excluded), or 0 before any.
func (st Stats) HitRate() float64 {
	if n := st.Hits + st.Misses; n > 0 {
		return float64(st.Hits) / float64(n)
	}
	return 0
}

// Stats returns the counters and the table's size. When the size cannot be read the counters
// are still returned, with SizeKnown false, together with the error.
func (s *Store) Stats(ctx context.Context) (Stats, error) {
	st := Stats{
		Hits: s.c.hits.Load(), Misses: s.c.misses.Load(), Bypasses: s.c.bypasses.Load(),
		ReadErrors: s.c.readErrors.Load(), WriteErrors: s.c.writeErrors.Load(),
		LLMCallsSaved: s.c.llmCallsSaved.Load(), TokensSaved: s.c.tokensSaved.Load(),
	}
	rows, bytes, err := s.size(ctx)
	if err != nil {
		return st, err
	}
	st.Rows, st.Bytes, st.SizeKnown = rows, bytes, true
	return st, nil
}

func (s *Store) size(ctx context.Context) (rows, bytes int64, err error) {
	r, err := s.q.CacheSize(ctx)
	if err != nil {
		return 0, 0, fmt.Errorf("cache size: %w", err)
	}
	return r.Entries, r.Bytes, nil
}
