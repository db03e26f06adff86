package web_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"liftplan/internal/auth"
	"liftplan/internal/llm"
	"liftplan/internal/science"
	"liftplan/internal/webtest"
)

// countingGenerator counts generator calls. It answers like the built-in generator but reports
// itself as an LLM with fixed usage, so "tokens saved" has something to count.
type countingGenerator struct {
	llm.Builtin
	calls atomic.Int64
}

const (
	fakePromptTokens     = 1200
	fakeCompletionTokens = 800
)

func (g *countingGenerator) Version() string { return "counting/test-prompt-1/" + g.Builtin.Version() }

func (g *countingGenerator) Generate(ctx context.Context, a science.Analysis) (llm.Result, error) {
	g.calls.Add(1)
	res, err := g.Builtin.Generate(ctx, a)
	res.Source, res.Model, res.PromptTokens, res.CompletionTokens = "llm", "counting-model", fakePromptTokens, fakeCompletionTokens
	return res, err
}

// syncBuffer collects log output written from many goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// count runs a count(*) query in the test database.
func (e *testEnv) count(query string, args ...any) int {
	e.t.Helper()
	var n int
	if err := e.Pool.QueryRow(context.Background(), query, args...).Scan(&n); err != nil {
		e.t.Fatalf("%s: %v", query, err)
	}
	return n
}

// metricValue returns the value of the sample named name (labels included, e.g.
// `liftplan_cache_errors_total{op="read"}`) in a Prometheus text exposition, or -1 when absent.
func metricValue(exposition, name string) float64 {
	sc := bufio.NewScanner(strings.NewReader(exposition))
	for sc.Scan() {
		line := sc.Text()
		if rest, ok := strings.CutPrefix(line, name+" "); ok {
			v, err := strconv.ParseFloat(strings.TrimSpace(rest), 64)
			if err == nil {
				return v
			}
		}
	}
	return -1
}

// sourceOf is an export's source, or "none".
func sourceOf(e exported) string {
	if e.Source == nil {
		return "none"
	}
	return *e.Source
}

func (e *testEnv) metrics() string {
	e.t.Helper()
	r := e.browser().Get("/metrics")
	if r.Status != http.StatusOK {
		e.t.Fatalf("/metrics = %d", r.Status)
	}
	return r.Body
}

// wantMetrics checks samples of /metrics.
func (e *testEnv) wantMetrics(want map[string]float64) {
	e.t.Helper()
	body := e.metrics()
	for name, v := range want {
		if got := metricValue(body, name); got != v {
			e.t.Errorf("%s = %v, want %v", name, got, v)
		}
	}
}

func TestCacheHitIsNewCompletedRow(t *testing.T) {
	gen := &countingGenerator{}
	st := newStack(t, stackOptions{generator: gen})
	b := st.browser()
	b.Signup("repeat@example.com")
	b.Get("/programs/new")
	first := b.Submit(webtest.GoodForm())
	firstExport := waitStatus(b, first, "completed")

	// The same answers again, the multi-selects in another order: no generator call, no job,
	// a new row that is completed by the time the redirect arrives.
	again := webtest.GoodForm()
	again["equipment"] = []string{"pullup_bar", "bench", "dumbbells", "barbell"}
	second := b.Submit(again)
	if second == first {
		t.Fatalf("cache hit returned the old program %d; want a new row", first)
	}
	e := export(b, second)
	if e.Status != "completed" || sourceOf(e) != "cache" || e.Step != "store" || e.Attempt != 0 || e.Program == nil {
		t.Fatalf("second submit = status %s, source %v, step %s, attempt %d; want completed from cache at once, attempt 0",
			e.Status, sourceOf(e), e.Step, e.Attempt)
	}
	gotProgram, _ := json.Marshal(e.Program)
	wantProgram, _ := json.Marshal(firstExport.Program)
	if !bytes.Equal(gotProgram, wantProgram) {
		t.Error("the cached program differs from the one generated first")
	}
	if got := gen.calls.Load(); got != 1 {
		t.Errorf("generator calls = %d, want 1", got)
	}
	if got := st.count("SELECT count(*) FROM river_job WHERE kind = 'generate_program'"); got != 1 {
		t.Errorf("generation jobs = %d, want 1 (a hit inserts none)", got)
	}
	if got := st.count("SELECT count(*) FROM training_programs WHERE user_id = (SELECT user_id FROM training_programs WHERE id = $1)", first); got != 2 {
		t.Errorf("programs in history = %d, want 2", got)
	}
	if got := st.count("SELECT hit_count FROM ai_coach_cache"); got != 1 {
		t.Errorf("hit_count = %d, want 1", got)
	}
	// The hit copies the science, not the spending: no model, no tokens on the new row.
	if got := st.count("SELECT count(*) FROM training_programs WHERE id = $1 AND model IS NULL AND prompt_tokens IS NULL AND scientific_metadata IS NOT NULL AND river_job_id IS NULL", second); got != 1 {
		t.Error("the cached row claims LLM usage or lacks scientific metadata")
	}
	if r := b.Get("/programs"); !strings.Contains(r.Body, "/programs/"+strconv.FormatInt(second, 10)) {
		t.Error("history does not list the cached program")
	}
	st.wantMetrics(map[string]float64{
		"liftplan_cache_hits_total":              1,
		"liftplan_cache_misses_total":            1,
		"liftplan_cache_bypasses_total":          0,
		`liftplan_cache_errors_total{op="read"}`: 0,
		"liftplan_cache_llm_calls_saved_total":   1,
		"liftplan_cache_tokens_saved_total":      fakePromptTokens + fakeCompletionTokens,
		"liftplan_cache_rows":                    1,
	})
	if got := metricValue(st.metrics(), "liftplan_cache_bytes"); got <= 0 {
		t.Errorf("liftplan_cache_bytes = %v, want > 0", got)
	}
}

func TestCacheExpiredEntryGeneratesAgain(t *testing.T) {
	gen := &countingGenerator{}
	st := newStack(t, stackOptions{generator: gen, cacheTTL: time.Millisecond})
	b := st.browser()
	b.Signup("late@example.com")
	b.Get("/programs/new")
	first := b.Submit(webtest.GoodForm())
	waitStatus(b, first, "completed")
	if got := st.count("SELECT count(*) FROM ai_coach_cache"); got != 1 {
		t.Fatalf("cache entries after a generation = %d, want 1", got)
	}
	waitFor(t, 5*time.Second, "the cache entry to expire", func() bool {
		return st.count("SELECT count(*) FROM ai_coach_cache WHERE expires_at > now()") == 0
	})
	second := b.Submit(webtest.GoodForm())
	e := waitStatus(b, second, "completed")
	if sourceOf(e) != "llm" || gen.calls.Load() != 2 {
		t.Errorf("after expiry: source %q, generator calls %d; want a new generation (2 calls)", sourceOf(e), gen.calls.Load())
	}
	st.wantMetrics(map[string]float64{"liftplan_cache_hits_total": 0, "liftplan_cache_misses_total": 2})
}

func TestCacheChangedAnswerMisses(t *testing.T) {
	gen := &countingGenerator{}
	st := newStack(t, stackOptions{generator: gen})
	b := st.browser()
	b.Signup("fickle@example.com")
	b.Get("/programs/new")
	waitStatus(b, b.Submit(webtest.GoodForm()), "completed")
	for i, change := range []func(url.Values){
		func(f url.Values) { f.Set("days_per_week", "3") },
		func(f url.Values) { f.Set("notes", "evenings only") },
		func(f url.Values) { f["equipment"] = []string{"barbell", "bench"} },
	} {
		form := webtest.GoodForm()
		change(form)
		e := waitStatus(b, b.Submit(form), "completed")
		if sourceOf(e) == "cache" {
			t.Errorf("change %d: source %q, want a generation", i, sourceOf(e))
		}
	}
	if got := gen.calls.Load(); got != 4 {
		t.Errorf("generator calls = %d, want 4 (every changed answer misses)", got)
	}
	// Another user with the same answers never gets this user's program.
	other := st.browser()
	other.Signup("twin@example.com")
	other.Get("/programs/new")
	if e := waitStatus(other, other.Submit(webtest.GoodForm()), "completed"); sourceOf(e) == "cache" {
		t.Errorf("another user's identical answers: source %q, want a generation", sourceOf(e))
	}
	// A user who became paid gets the paid program, not the cached free one.
	if _, err := st.Pool.Exec(context.Background(), "UPDATE users SET has_paid_access = true WHERE email = 'fickle@example.com'"); err != nil {
		t.Fatal(err)
	}
	if e := waitStatus(b, b.Submit(webtest.GoodForm()), "completed"); sourceOf(e) == "cache" || e.Program == nil || len(e.Program.Weeks) != 6 {
		t.Errorf("after upgrading: source %q, want a new paid generation", sourceOf(e))
	}
	st.wantMetrics(map[string]float64{"liftplan_cache_hits_total": 0, "liftplan_cache_misses_total": 6})
}

func TestCacheEntryThatNoLongerValidatesMisses(t *testing.T) {
	gen := &countingGenerator{}
	st := newStack(t, stackOptions{generator: gen})
	b := st.browser()
	b.Signup("stale@example.com")
	b.Get("/programs/new")
	waitStatus(b, b.Submit(webtest.GoodForm()), "completed")
	// As if the science rules had changed since: the cached program breaks the week-count rule.
	if _, err := st.Pool.Exec(context.Background(), `UPDATE ai_coach_cache SET program = jsonb_set(program, '{weeks}', '[]')`); err != nil {
		t.Fatal(err)
	}
	e := waitStatus(b, b.Submit(webtest.GoodForm()), "completed")
	if sourceOf(e) != "llm" || gen.calls.Load() != 2 {
		t.Errorf("invalid cached program: source %q, calls %d; want a new generation", sourceOf(e), gen.calls.Load())
	}
	if got := st.count("SELECT hit_count FROM ai_coach_cache"); got != 0 {
		t.Errorf("hit_count = %d, want 0 (an entry that was not served is no hit)", got)
	}
	// The new generation replaced the broken entry, so the next identical submit hits.
	if e := export(b, b.Submit(webtest.GoodForm())); sourceOf(e) != "cache" {
		t.Errorf("after the refresh: source %q, want cache", sourceOf(e))
	}
}

func TestRegenerateBypassesCache(t *testing.T) {
	gen := &countingGenerator{}
	st := newStack(t, stackOptions{generator: gen})
	b := st.browser()
	b.Signup("variety@example.com")
	b.Get("/programs/new")
	first := b.Submit(webtest.GoodForm())
	waitStatus(b, first, "completed")
	var created time.Time
	_ = st.Pool.QueryRow(context.Background(), "SELECT created_at FROM ai_coach_cache").Scan(&created)
	b.Get("/programs/" + strconv.FormatInt(first, 10))
	r := b.Post("/programs/"+strconv.FormatInt(first, 10)+"/regenerate", nil, true)
	id := webtest.ProgramID(r.Header.Get("Location"))
	if r.Status != http.StatusSeeOther || id == 0 || id == first {
		t.Fatalf("regenerate = %d %q", r.Status, r.Header.Get("Location"))
	}
	e := waitStatus(b, id, "completed")
	if sourceOf(e) != "llm" || gen.calls.Load() != 2 {
		t.Errorf("regenerate: source %q, calls %d; want a fresh generation", sourceOf(e), gen.calls.Load())
	}
	if got := st.count("SELECT count(*) FROM ai_coach_cache WHERE created_at > $1", created); got != 1 {
		t.Error("regenerate did not refresh the cache entry")
	}
	st.wantMetrics(map[string]float64{"liftplan_cache_hits_total": 0, "liftplan_cache_misses_total": 1, "liftplan_cache_bypasses_total": 1})
}

func TestCacheUnavailableIsWarnOnly(t *testing.T) {
	logs := &syncBuffer{}
	gen := &countingGenerator{}
	st := newStack(t, stackOptions{generator: gen, logs: logs})
	if _, err := st.Pool.Exec(context.Background(), "ALTER TABLE ai_coach_cache RENAME TO ai_coach_cache_away"); err != nil {
		t.Fatal(err)
	}
	b := st.browser()
	b.Signup("unlucky-cache@example.com")
	b.Get("/programs/new")
	id := b.Submit(webtest.GoodForm())
	e := waitStatus(b, id, "completed")
	if sourceOf(e) != "llm" || e.Program == nil {
		t.Fatalf("with the cache table gone: source %q; want a normal generation", sourceOf(e))
	}
	pid := "program_id=" + strconv.FormatInt(id, 10)
	for _, want := range []string{"program cache unavailable", "program cache write failed"} {
		var line string
		for l := range strings.SplitSeq(logs.String(), "\n") {
			if strings.Contains(l, want) {
				line = l
			}
		}
		if !strings.Contains(line, "level=WARN") || !strings.Contains(line, pid) {
			t.Errorf("no warning %q with %s; log line %q", want, pid, line)
		}
	}
	st.wantMetrics(map[string]float64{
		`liftplan_cache_errors_total{op="read"}`:  1,
		`liftplan_cache_errors_total{op="write"}`: 1,
		"liftplan_cache_misses_total":             1,
	})
	if got := metricValue(st.metrics(), "liftplan_cache_rows"); got != -1 {
		t.Errorf("liftplan_cache_rows = %v with the table gone, want it left out", got)
	}
	// The admin page still works and says the size is unknown.
	users := auth.NewUsers(st.Pool)
	if _, err := users.Create(context.Background(), auth.NewUser{Email: "admin@example.com", Password: webtest.Password, Role: auth.RoleAdmin}); err != nil {
		t.Fatal(err)
	}
	ad := st.browser()
	ad.Login("admin@example.com", webtest.Password)
	if r := ad.Get("/admin"); r.Status != http.StatusOK || !strings.Contains(r.Body, "Size unavailable") {
		t.Errorf("/admin with the cache table gone = %d; want 200 saying the size is unavailable", r.Status)
	}
}

func TestCacheJanitorDeletesExpired(t *testing.T) {
	st := newStack(t, stackOptions{cacheJanitorEvery: 100 * time.Millisecond})
	b := st.browser()
	b.Signup("tidy@example.com")
	b.Get("/programs/new")
	waitStatus(b, b.Submit(webtest.GoodForm()), "completed")
	other := webtest.GoodForm()
	other.Set("days_per_week", "3")
	waitStatus(b, b.Submit(other), "completed")
	if _, err := st.Pool.Exec(context.Background(),
		"UPDATE ai_coach_cache SET expires_at = now() - interval '1 second' WHERE program->'split'->>'days_per_week' = '3'"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 10*time.Second, "the janitor to delete the expired entry", func() bool {
		return st.count("SELECT count(*) FROM ai_coach_cache") == 1
	})
	if got := st.count("SELECT count(*) FROM ai_coach_cache WHERE expires_at > now()"); got != 1 {
		t.Errorf("live entries = %d, want the unexpired one kept", got)
	}
}

func TestAdminCachePurge(t *testing.T) {
	st := newStack(t, stackOptions{})
	ctx := context.Background()
	users := auth.NewUsers(st.Pool)
	if _, err := users.Create(ctx, auth.NewUser{Email: "admin@example.com", Password: webtest.Password, Role: auth.RoleAdmin}); err != nil {
		t.Fatal(err)
	}
	b := st.browser()
	b.Signup("purged@example.com")
	b.Get("/programs/new")
	for _, days := range []string{"2", "3", "4"} {
		form := webtest.GoodForm()
		form.Set("days_per_week", days)
		waitStatus(b, b.Submit(form), "completed")
	}
	if _, err := st.Pool.Exec(ctx, "UPDATE ai_coach_cache SET expires_at = now() - interval '1 second' WHERE program->'split'->>'days_per_week' = '2'"); err != nil {
		t.Fatal(err)
	}

	// Only admins, only with the CSRF token.
	if r := b.Post("/admin/cache/purge", url.Values{"scope": {"all"}}, true); r.Status != http.StatusForbidden {
		t.Errorf("user purge = %d, want 403", r.Status)
	}
	ad := st.browser()
	ad.Login("admin@example.com", webtest.Password)
	page := ad.Get("/admin")
	for _, want := range []string{`id="cache"`, `action="/admin/cache/purge"`, `value="expired"`, `value="all"`, "3</strong> entries"} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("/admin lacks %q", want)
		}
	}
	if r := ad.Post("/admin/cache/purge", url.Values{"scope": {"all"}}, false); r.Status != http.StatusForbidden {
		t.Errorf("purge without CSRF token = %d, want 403", r.Status)
	}
	if r := ad.Post("/admin/cache/purge", url.Values{"scope": {"everything"}}, true); r.Status != http.StatusBadRequest {
		t.Errorf("purge with a bad scope = %d, want 400", r.Status)
	}
	// Purging every entry needs confirm=yes: without it (no JavaScript, so no dialog) the answer
	// is a 422 page that explains and carries the confirming form.
	for _, confirm := range []string{"", "no"} {
		r := ad.Post("/admin/cache/purge", url.Values{"scope": {"all"}, "confirm": {confirm}}, true)
		if r.Status != http.StatusUnprocessableEntity {
			t.Errorf("purge all with confirm=%q = %d, want 422", confirm, r.Status)
		}
		for _, want := range []string{`id="confirm-purge"`, `action="/admin/cache/purge"`, `name="scope" value="all"`,
			`name="confirm" id="confirm" value="yes" required`, `name="_csrf"`, `href="#confirm"`, `href="/admin"`} {
			if !strings.Contains(r.Body, want) {
				t.Errorf("purge all with confirm=%q: the confirmation page lacks %q", confirm, want)
			}
		}
	}
	if got := st.count("SELECT count(*) FROM ai_coach_cache"); got != 3 {
		t.Fatalf("rejected purges deleted entries: %d left, want 3", got)
	}

	tests := []struct {
		scope     string
		wantFlash string
		wantLeft  int
	}{
		{"expired", "deleted 1 entry", 2},
		{"all", "deleted 2 entries", 0},
		{"all", "deleted 0 entries", 0},
	}
	for _, tt := range tests {
		form := url.Values{"scope": {tt.scope}}
		if tt.scope == "all" {
			form.Set("confirm", "yes") // what the confirmation page's form (or app.js after its dialog) sends
		}
		r := ad.Post("/admin/cache/purge", form, true)
		if r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/admin" {
			t.Fatalf("purge %s = %d %q, want 303 /admin", tt.scope, r.Status, r.Header.Get("Location"))
		}
		if got := ad.Get("/admin").Body; !strings.Contains(got, tt.wantFlash) {
			t.Errorf("purge %s: /admin lacks the flash %q", tt.scope, tt.wantFlash)
		}
		if got := st.count("SELECT count(*) FROM ai_coach_cache"); got != tt.wantLeft {
			t.Errorf("purge %s: %d entries left, want %d", tt.scope, got, tt.wantLeft)
		}
	}
	var detail string
	if err := st.Pool.QueryRow(ctx, `SELECT string_agg(a.detail::text, ' | ' ORDER BY a.id) FROM admin_audit a JOIN users u ON u.id = a.actor_id
		WHERE a.action = 'cache.purge' AND a.target = 'ai_coach_cache' AND u.email = 'admin@example.com'`).Scan(&detail); err != nil {
		t.Fatal(err)
	}
	if want := `{"scope": "expired", "deleted": 1} | {"scope": "all", "deleted": 2} | {"scope": "all", "deleted": 0}`; detail != want {
		t.Errorf("audit = %s, want %s", detail, want)
	}
}
