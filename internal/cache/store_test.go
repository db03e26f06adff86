package cache

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"liftplan/internal/science"
	"liftplan/internal/testdb"
)

func TestOptionsValidate(t *testing.T) {
	pool := &pgxpool.Pool{}
	tests := []struct {
		name string
		opts Options
		want string // substring of the error, "" for none
	}{
		{"ok", Options{Pool: pool, TTL: time.Hour}, ""},
		{"no pool", Options{TTL: time.Hour}, "Pool is required"},
		{"zero ttl", Options{Pool: pool}, "TTL must be positive"},
		{"both", Options{TTL: -time.Second}, "Pool is required\nTTL must be positive"},
	}
	for _, tt := range tests {
		err := tt.opts.validate()
		got := ""
		if err != nil {
			got = err.Error()
		}
		if (tt.want == "") != (got == "") || !strings.Contains(got, tt.want) {
			t.Errorf("%s: validate() = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestParseScope(t *testing.T) {
	tests := []struct {
		in      string
		want    Scope
		wantErr bool
	}{
		{"expired", ScopeExpired, false},
		{"all", ScopeAll, false},
		{"", "", true},
		{"ALL", "", true},
		{"everything", "", true},
	}
	for _, tt := range tests {
		got, err := ParseScope(tt.in)
		if got != tt.want || (err != nil) != tt.wantErr {
			t.Errorf("ParseScope(%q) = %q, %v; want %q, error %t", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestHitRate(t *testing.T) {
	tests := []struct {
		st   Stats
		want float64
	}{
		{Stats{}, 0},
		{Stats{Hits: 3, Misses: 1}, 0.75},
		{Stats{Hits: 1, Misses: 1, Bypasses: 10}, 0.5}, // bypasses never read the cache
		{Stats{Misses: 4}, 0},
	}
	for _, tt := range tests {
		if got := tt.st.HitRate(); got != tt.want {
			t.Errorf("%+v.HitRate() = %v, want %v", tt.st, got, tt.want)
		}
	}
}

// generated returns a program the pipeline would store for in.
func generated(t *testing.T, in science.Input) json.RawMessage {
	t.Helper()
	a, err := science.Analyze(in)
	if err != nil {
		t.Fatal(err)
	}
	p := science.Enhance(a, science.Generate(a)).Program
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestValid(t *testing.T) {
	in := baseInput()
	good := generated(t, in)
	var noWeeks map[string]any
	_ = json.Unmarshal(good, &noWeeks)
	noWeeks["weeks"] = []any{}
	broken, _ := json.Marshal(noWeeks)
	paid := in
	paid.HasPaidAccess = true
	badInput := in
	badInput.DaysPerWeek = 0
	tests := []struct {
		name    string
		in      science.Input
		program json.RawMessage
		want    bool
	}{
		{"generated for these answers", in, good, true},
		{"breaks a rule (no weeks)", in, broken, false},
		{"not JSON", in, json.RawMessage(`{"weeks":`), false},
		{"made for another tier (4 weeks, paid wants 6)", paid, good, false},
		{"answers that no longer analyze", badInput, good, false},
	}
	for _, tt := range tests {
		if got := Valid(tt.in, tt.program); got != tt.want {
			t.Errorf("%s: Valid = %t, want %t", tt.name, got, tt.want)
		}
	}
}

// newStore returns a Store on a fresh database with one user, and that user's id.
func newStore(t *testing.T, ttl time.Duration) (*Store, *pgxpool.Pool, *prometheus.Registry, int64) {
	t.Helper()
	pool := testdb.New(t)
	reg := prometheus.NewRegistry()
	s, err := New(Options{Pool: pool, TTL: ttl, Registerer: reg})
	if err != nil {
		t.Fatal(err)
	}
	var userID int64
	if err := pool.QueryRow(context.Background(),
		"INSERT INTO users (email, password_hash) VALUES ('cache@example.com', 'x') RETURNING id").Scan(&userID); err != nil {
		t.Fatal(err)
	}
	return s, pool, reg, userID
}

// claim runs Claim in its own transaction, committed when it hit (as Submit does).
func claim(t *testing.T, pool *pgxpool.Pool, s *Store, key string, in science.Input) (Hit, bool) {
	t.Helper()
	ctx := context.Background()
	var h Hit
	var ok bool
	err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		var err error
		h, ok, err = s.Claim(ctx, tx, key, in)
		return err
	})
	if err != nil {
		t.Fatalf("claim: %v", err)
	}
	return h, ok
}

func TestStoreRoundTrip(t *testing.T) {
	ctx := context.Background()
	s, pool, reg, userID := newStore(t, time.Hour)
	in := baseInput()
	const version = "test/v1"
	key := Key(userID, in, version)
	if _, ok := claim(t, pool, s, key, in); ok {
		t.Fatal("empty cache hit")
	}
	e := Entry{Key: key, UserID: userID, Input: in, GeneratorVersion: version, Program: generated(t, in),
		Metadata: json.RawMessage(`{"generator":"test/v1"}`), PromptTokens: 300, CompletionTokens: 200}
	if err := s.Put(ctx, e); err != nil {
		t.Fatal(err)
	}
	h, ok := claim(t, pool, s, key, in)
	if !ok || h.Tokens != 500 {
		t.Fatalf("claim after put = %+v, %t; want a hit worth 500 tokens", h, ok)
	}
	var hash, gv string
	var hits int
	var ttl float64
	if err := pool.QueryRow(ctx, `SELECT hashed_onboarding_data, generator_version, hit_count, extract(epoch FROM expires_at - created_at)
		FROM ai_coach_cache WHERE cache_key = $1`, key).Scan(&hash, &gv, &hits, &ttl); err != nil {
		t.Fatal(err)
	}
	if hash != Digest(in, version) || gv != version || hits != 1 || ttl != 3600 {
		t.Errorf("row = hash %s, version %s, hits %d, ttl %vs; want the digest, %s, 1, 3600s", hash, gv, hits, ttl, version)
	}
	if !strings.HasSuffix(key, hash) {
		t.Errorf("stored digest %s is not the key's (%s)", hash, key)
	}

	// A put of the same key refreshes the entry: new program, hit count from zero.
	e.PromptTokens = 10
	if err := s.Put(ctx, e); err != nil {
		t.Fatal(err)
	}
	if h, _ := claim(t, pool, s, key, in); h.Tokens != 210 {
		t.Errorf("after refresh the hit is worth %d tokens, want 210", h.Tokens)
	}
	if err := pool.QueryRow(ctx, "SELECT hit_count FROM ai_coach_cache WHERE cache_key = $1", key).Scan(&hits); err != nil || hits != 1 {
		t.Errorf("hit_count after refresh and one hit = %d (%v), want 1", hits, err)
	}

	s.Count(OutcomeMiss, 0)
	s.Count(OutcomeHit, 500)
	s.Count(OutcomeBypass, 0)
	st, err := s.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := Stats{Hits: 1, Misses: 1, Bypasses: 1, LLMCallsSaved: 1, TokensSaved: 500, Rows: 1, Bytes: st.Bytes, SizeKnown: true}
	if st != want || st.Bytes <= 0 {
		t.Errorf("Stats = %+v, want %+v with Bytes > 0", st, want)
	}
	exposition := scrape(t, reg)
	for _, want := range []string{
		"liftplan_cache_hits_total 1\n",
		"liftplan_cache_misses_total 1\n",
		"liftplan_cache_bypasses_total 1\n",
		"liftplan_cache_llm_calls_saved_total 1\n",
		"liftplan_cache_tokens_saved_total 500\n",
		`liftplan_cache_errors_total{op="read"} 0` + "\n",
		`liftplan_cache_errors_total{op="write"} 0` + "\n",
		"liftplan_cache_rows 1\n",
		"# TYPE liftplan_cache_bytes gauge\n",
	} {
		if !strings.Contains(exposition, want) {
			t.Errorf("/metrics lacks %q", strings.TrimSpace(want))
		}
	}
	if _, err := New(Options{Pool: pool, TTL: time.Hour, Registerer: reg}); err == nil {
		t.Error("a second Store registered its collectors on the same registry")
	}
}

func TestStoreExpiryAndPurge(t *testing.T) {
	ctx := context.Background()
	s, pool, _, userID := newStore(t, time.Hour)
	in := baseInput()
	keys := make([]string, 3)
	for i := range keys {
		v := in
		v.DaysPerWeek = 3 + i
		keys[i] = Key(userID, v, "test/v1")
		if err := s.Put(ctx, Entry{Key: keys[i], UserID: userID, Input: v, GeneratorVersion: "test/v1",
			Program: generated(t, v), Metadata: json.RawMessage(`{}`)}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := pool.Exec(ctx, "UPDATE ai_coach_cache SET expires_at = now() - interval '1 second' WHERE cache_key = ANY($1)", keys[:2]); err != nil {
		t.Fatal(err)
	}
	expired := in
	expired.DaysPerWeek = 3
	if _, ok := claim(t, pool, s, keys[0], expired); ok {
		t.Error("an expired entry was a hit")
	}
	n, err := s.DeleteExpired(ctx)
	if err != nil || n != 2 {
		t.Fatalf("DeleteExpired = %d, %v; want 2", n, err)
	}
	if n, err := s.Purge(ctx, pool, ScopeExpired); err != nil || n != 0 {
		t.Errorf("Purge(expired) with none expired = %d, %v; want 0", n, err)
	}
	if n, err := s.Purge(ctx, pool, ScopeAll); err != nil || n != 1 {
		t.Errorf("Purge(all) = %d, %v; want 1", n, err)
	}
	if _, err := s.Purge(ctx, pool, Scope("some")); err == nil {
		t.Error("Purge with an unknown scope succeeded")
	}
}

func TestStoreErrorsAreCounted(t *testing.T) {
	ctx := context.Background()
	s, pool, _, userID := newStore(t, time.Hour)
	if _, err := pool.Exec(ctx, "ALTER TABLE ai_coach_cache RENAME TO ai_coach_cache_away"); err != nil {
		t.Fatal(err)
	}
	in := baseInput()
	key := Key(userID, in, "test/v1")
	err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		_, _, err := s.Claim(ctx, tx, key, in)
		return err
	})
	if err == nil || !strings.Contains(err.Error(), "cache read") {
		t.Errorf("Claim without the table = %v, want a cache read error", err)
	}
	if err := s.Put(ctx, Entry{Key: key, UserID: userID, Input: in, Program: generated(t, in), Metadata: json.RawMessage(`{}`)}); err == nil {
		t.Error("Put without the table succeeded")
	}
	st, err := s.Stats(ctx)
	if err == nil || st.SizeKnown {
		t.Errorf("Stats without the table: size known %t, error %v; want unknown with an error", st.SizeKnown, err)
	}
	if st.ReadErrors != 1 || st.WriteErrors != 1 {
		t.Errorf("errors = %d read, %d write; want 1 and 1", st.ReadErrors, st.WriteErrors)
	}
}

// scrape returns reg's text exposition, as /metrics serves it.
func scrape(t *testing.T, reg *prometheus.Registry) string {
	t.Helper()
	rec := httptest.NewRecorder()
	promhttp.HandlerFor(reg, promhttp.HandlerOpts{}).ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("scrape = %d: %s", rec.Code, rec.Body)
	}
	return rec.Body.String()
}
