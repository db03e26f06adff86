package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/netip"
	"net/url"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"liftplan/internal/auth"
	"liftplan/internal/webtest"
	"liftplan/web"
)

// trustLoopback lets tests speak for many client addresses through X-Forwarded-For.
func trustLoopback(d *web.Deps) {
	d.Config.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}
}

// postFrom posts form as client ip (X-Forwarded-For; the test server trusts loopback).
func postFrom(b *webtest.Client, path, ip string, form url.Values) response {
	b.T.Helper()
	form.Set("_csrf", b.Token)
	req, _ := http.NewRequest(http.MethodPost, b.BaseURL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Forwarded-For", ip)
	return b.Do(req)
}

func countRows(t *testing.T, env *testEnv, query string) int {
	t.Helper()
	var n int
	if err := env.Pool.QueryRow(context.Background(), query).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// A flood of sign-ups (from many addresses, so the per-IP throttle does not hide the effect)
// must neither take memory without bound nor make a signed-in user wait: hashing runs on a
// pool of about one worker per core, and what does not get a worker in time is answered 503.
func TestSignupFloodBoundsMemoryAndLatency(t *testing.T) {
	const flood = 64
	env := newTestEnv(t, trustLoopback)
	user := env.browser()
	user.Signup("steady@example.com")
	env.browser().Signup("taken@example.com")

	var before runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	var peak atomic.Uint64
	stop := make(chan struct{})
	sampled := make(chan struct{})
	go func() { // sample the heap while the flood runs
		defer close(sampled)
		for {
			var m runtime.MemStats
			runtime.ReadMemStats(&m)
			if m.HeapInuse > peak.Load() {
				peak.Store(m.HeapInuse)
			}
			select {
			case <-stop:
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	}()

	statuses := make([]int, flood)
	var wg sync.WaitGroup
	for i := range flood {
		wg.Add(1)
		go func() {
			defer wg.Done()
			b := env.browser()
			b.Get("/signup")
			email := fmt.Sprintf("flood%d@example.com", i)
			if i%2 == 0 {
				email = "taken@example.com" // registered: must cost the same work
			}
			r := postFrom(b, "/signup", fmt.Sprintf("198.51.100.%d", i+1), url.Values{"email": {email}, "password": {webtest.Password}})
			statuses[i] = r.Status
			if r.Status == http.StatusServiceUnavailable && r.Header.Get("Retry-After") == "" {
				t.Errorf("503 without Retry-After")
			}
		}()
	}
	// Another user's page views during the flood.
	var slowest time.Duration
	for range 10 {
		start := time.Now()
		if r := user.Get("/programs"); r.Status != http.StatusOK {
			t.Errorf("signed-in user during the flood: /programs = %d", r.Status)
		}
		slowest = max(slowest, time.Since(start))
	}
	wg.Wait()
	close(stop)
	<-sampled

	counts := map[int]int{}
	for _, s := range statuses {
		counts[s]++
	}
	for s := range counts {
		if s != http.StatusSeeOther && s != http.StatusUnprocessableEntity && s != http.StatusServiceUnavailable {
			t.Errorf("sign-up flood answered %d (%v), want only 303, 422 or 503", s, counts)
		}
	}
	grew := int64(peak.Load()) - int64(before.HeapInuse)
	// One hash holds 19 MiB; unbounded, 64 at once took 1.2 GiB. Allow the pool twice (garbage not
	// yet collected) plus the test's own clients.
	limit := int64(runtime.GOMAXPROCS(0)*19*2+192) << 20
	t.Logf("flood statuses %v; heap grew %d MiB (limit %d MiB); slowest page of another user %s", counts, grew>>20, limit>>20, slowest)
	if grew > limit {
		t.Errorf("heap grew %d MiB during the flood, want ≤ %d MiB", grew>>20, limit>>20)
	}
	if slowest > time.Second {
		t.Errorf("another user's page took %s during the flood, want ≤ 1s", slowest)
	}
}

func TestSignupThrottledPerIP(t *testing.T) {
	env := newTestEnv(t, trustLoopback)
	b := env.browser()
	b.Get("/signup")
	for i := range auth.DefaultLimits.SignupPerIP {
		r := postFrom(b, "/signup", "203.0.113.7", url.Values{"email": {"nope"}, "password": {"short"}})
		if r.Status != http.StatusUnprocessableEntity {
			t.Fatalf("sign-up %d = %d, want 422", i+1, r.Status)
		}
	}
	r := postFrom(b, "/signup", "203.0.113.7", url.Values{"email": {"new@example.com"}, "password": {webtest.Password}})
	if r.Status != http.StatusTooManyRequests || r.Header.Get("Retry-After") == "" {
		t.Errorf("sign-up past the per-IP limit = %d (Retry-After %q), want 429 with Retry-After", r.Status, r.Header.Get("Retry-After"))
	}
	if r := postFrom(b, "/signup", "203.0.113.8", url.Values{"email": {"new@example.com"}, "password": {webtest.Password}}); r.Status != http.StatusSeeOther {
		t.Errorf("sign-up from another address = %d, want 303", r.Status)
	}
}

var seriesLine = regexp.MustCompile(`(?m)^liftplan_http_request_duration_seconds_count\{(.*)\} `)

// Made-up methods and paths must not create series: labels come from fixed sets.
func TestMetricsFloodKeepsSeriesBounded(t *testing.T) {
	env := newTestEnv(t)
	b := env.browser()
	for i := range 300 {
		req, _ := http.NewRequest(fmt.Sprintf("M%03dX", i), env.URL+fmt.Sprintf("/made/up/%d", i), nil)
		b.Do(req)
		req, _ = http.NewRequest(http.MethodGet, env.URL+fmt.Sprintf("/programs/%d/nothing-%d", i, i), nil)
		b.Do(req)
	}
	r := b.Get("/metrics")
	series := seriesLine.FindAllStringSubmatch(r.Body, -1)
	t.Logf("/metrics is %d bytes with %d request series after 600 hostile requests", len(r.Body), len(series))
	if len(series) > 12 {
		t.Errorf("%d request series after the flood, want ≤ 12:\n%v", len(series), series)
	}
	label := regexp.MustCompile(`(\w+)="([^"]*)"`)
	known := map[string]bool{"GET": true, "HEAD": true, "POST": true, "PUT": true, "PATCH": true, "DELETE": true, "OPTIONS": true, "other": true}
	for _, s := range series {
		for _, l := range label.FindAllStringSubmatch(s[1], -1) {
			switch k, v := l[1], l[2]; k {
			case "method":
				if !known[v] {
					t.Errorf("method label %q", v)
				}
			case "code":
				if !regexp.MustCompile(`^([1-5]xx|canceled)$`).MatchString(v) {
					t.Errorf("code label %q is not a status class", v)
				}
			case "route":
				if strings.Contains(v, "made") || strings.Contains(v, "nothing") {
					t.Errorf("route label %q comes from the request path", v)
				}
			}
		}
	}
}

// Visitors write no session rows: the sign-in form's CSRF token is a signed double-submit token.
func TestCookielessViewsWriteNoSession(t *testing.T) {
	env := newTestEnv(t)
	for i := range 200 {
		path := []string{"/", "/login", "/signup", "/programs"}[i%4]
		req, _ := http.NewRequest(http.MethodGet, env.URL+path, nil)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
	}
	if n := countRows(t, env, "SELECT count(*) FROM sessions"); n != 0 {
		t.Fatalf("200 cookieless page views wrote %d session rows, want 0", n)
	}
	env.browser().Signup("me@example.com") // the visitor's token works, and sign-in makes the row
	if n := countRows(t, env, "SELECT count(*) FROM sessions"); n != 1 {
		t.Errorf("after one sign-up there are %d session rows, want 1", n)
	}
	// A visitor's token is bound to its own cookie: another visitor's token is refused.
	a, b := env.browser(), env.browser()
	a.Get("/login")
	b.Get("/login")
	b.Token = a.Token
	if r := b.Post("/login", url.Values{"email": {"me@example.com"}, "password": {webtest.Password}}, true); r.Status != http.StatusForbidden {
		t.Errorf("sign-in with another visitor's token = %d, want 403", r.Status)
	}
}

// 100 wrong passwords at once from one address: exactly the limit are checked, the rest 429.
func TestConcurrentWrongPasswordsHeldToLimit(t *testing.T) {
	const burst = 100
	env := newTestEnv(t)
	env.browser().Signup("victim@example.com")
	b := env.browser()
	b.Get("/login")
	var checked, throttled atomic.Int64
	var wg sync.WaitGroup
	for i := range burst {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := postFrom(b, "/login", "127.0.0.1", url.Values{"email": {"victim@example.com"}, "password": {"guess " + strconv.Itoa(i)}})
			switch r.Status {
			case http.StatusUnauthorized:
				checked.Add(1)
			case http.StatusTooManyRequests:
				throttled.Add(1)
			default:
				t.Errorf("attempt = %d", r.Status)
			}
		}()
	}
	wg.Wait()
	t.Logf("%d parallel wrong passwords: %d checked, %d throttled", burst, checked.Load(), throttled.Load())
	if got, want := checked.Load(), int64(auth.DefaultLimits.PerAccountIP); got != want {
		t.Errorf("%d passwords checked, want exactly %d", got, want)
	}
}

// An attacker's failures from one address do not lock the owner out from another; past the
// per-account ceiling attempts back off exponentially, and the owner still gets in after the wait.
func TestOwnerSignsInFromAnotherIP(t *testing.T) {
	limits := auth.DefaultLimits
	limits.AccountCeiling = 8
	env := newTestEnv(t, trustLoopback, func(d *web.Deps) { d.Users = auth.NewUsers(d.DB.(*pgxpool.Pool), auth.WithLimits(limits)) })
	env.browser().Signup("owner@example.com")
	attacker := env.browser()
	attacker.Get("/login")
	for i := range 7 {
		r := postFrom(attacker, "/login", "203.0.113.66", url.Values{"email": {"owner@example.com"}, "password": {"guess " + strconv.Itoa(i)}})
		if want := http.StatusUnauthorized; i >= limits.PerAccountIP {
			want = http.StatusTooManyRequests
			if r.Status != want {
				t.Fatalf("attacker attempt %d = %d, want %d", i+1, r.Status, want)
			}
		} else if r.Status != want {
			t.Fatalf("attacker attempt %d = %d, want %d", i+1, r.Status, want)
		}
	}
	owner := env.browser()
	owner.Get("/login")
	if r := postFrom(owner, "/login", "192.0.2.10", url.Values{"email": {"owner@example.com"}, "password": {webtest.Password}}); r.Status != http.StatusSeeOther {
		t.Fatalf("owner from another address after the attacker's failures = %d, want 303", r.Status)
	}

	// A distributed attacker: past the per-account ceiling every address must wait.
	for i := range limits.AccountCeiling {
		postFrom(attacker, "/login", fmt.Sprintf("203.0.113.%d", 100+i), url.Values{"email": {"owner@example.com"}, "password": {"guess"}})
	}
	postFrom(attacker, "/login", "203.0.113.200", url.Values{"email": {"owner@example.com"}, "password": {"guess"}}) // starts the backoff
	if r := postFrom(attacker, "/login", "203.0.113.201", url.Values{"email": {"owner@example.com"}, "password": {"guess"}}); r.Status != http.StatusTooManyRequests {
		t.Errorf("attempt from a fresh address during the account's backoff = %d, want 429", r.Status)
	}
	owner2 := env.browser()
	owner2.Get("/login")
	waitFor(t, 10*time.Second, "the owner signing in after the backoff", func() bool {
		return postFrom(owner2, "/login", "192.0.2.11", url.Values{"email": {"owner@example.com"}, "password": {webtest.Password}}).Status == http.StatusSeeOther
	})
}

func TestQueryStringCSRFRefused(t *testing.T) {
	env := newTestEnv(t)
	b := env.browser()
	b.Signup("me@example.com")
	req, _ := http.NewRequest(http.MethodPost, env.URL+"/logout?_csrf="+url.QueryEscape(b.Token), nil)
	if r := b.Do(req); r.Status != http.StatusForbidden {
		t.Errorf("signed-in POST with the token in the query string = %d, want 403", r.Status)
	}
	anon := env.browser()
	anon.Get("/login")
	req, _ = http.NewRequest(http.MethodPost, env.URL+"/login?_csrf="+url.QueryEscape(anon.Token),
		strings.NewReader(url.Values{"email": {"me@example.com"}, "password": {webtest.Password}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if r := anon.Do(req); r.Status != http.StatusForbidden {
		t.Errorf("sign-in with the token in the query string = %d, want 403", r.Status)
	}
	if r := anon.Post("/login", url.Values{"email": {"me@example.com"}, "password": {webtest.Password}}, true); r.Status != http.StatusSeeOther {
		t.Errorf("sign-in with the token in the body = %d, want 303", r.Status)
	}
}

func TestRequestIDAcceptedOnlyWhenPlain(t *testing.T) {
	env := newTestEnv(t)
	for _, tt := range []struct {
		in   string
		keep bool
	}{
		{"abc-123_DEF.4:5", true},
		{strings.Repeat("a", 65), false},
		{"id with spaces", false},
		{"<script>", false},
		{"ünïcode", false},
	} {
		req, _ := http.NewRequest(http.MethodGet, env.URL+"/healthz", nil)
		req.Header.Set("X-Request-Id", tt.in)
		r := env.browser().Do(req)
		got := r.Header.Get("X-Request-Id")
		if tt.keep && got != tt.in {
			t.Errorf("X-Request-Id %q answered %q, want it kept", tt.in, got)
		}
		if !tt.keep && (got == tt.in || !regexp.MustCompile(`^[0-9a-f]{32}$`).MatchString(got)) {
			t.Errorf("X-Request-Id %q answered %q, want a fresh id", tt.in, got)
		}
	}
}

// A client that hangs up while its request waits on the database is logged as a disconnect,
// not as a 500, and counted under "canceled", not in the 5xx series.
func TestClientHangUpIsNotA500(t *testing.T) {
	var logs syncBuffer
	st := newStack(t, stackOptions{logs: &logs})
	b := st.browser()
	b.Signup("me@example.com")
	ctx := context.Background()
	tx, err := st.Pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	// Every signed-in request reads the session joined with users: this holds it mid-request.
	if _, err := tx.Exec(ctx, "LOCK TABLE users IN ACCESS EXCLUSIVE MODE"); err != nil {
		t.Fatal(err)
	}
	reqCtx, hangUp := context.WithCancel(ctx)
	req, _ := http.NewRequestWithContext(reqCtx, http.MethodGet, st.URL+"/programs", nil)
	done := make(chan error, 1)
	go func() {
		res, err := b.HTTP.Do(req)
		if err == nil {
			res.Body.Close()
		}
		done <- err
	}()
	waitFor(t, 10*time.Second, "the request to wait on the lock", func() bool {
		var n int
		_ = st.Pool.QueryRow(ctx, "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'").Scan(&n)
		return n > 0
	})
	hangUp()
	<-done
	waitFor(t, 10*time.Second, "the hang-up to be counted", func() bool {
		return strings.Contains(b.Get("/healthz").Body, "ok") && strings.Contains(metricsText(t, st), `code="canceled"`)
	})
	_ = tx.Rollback(ctx)
	m := metricsText(t, st)
	if strings.Contains(m, `code="5xx"`) {
		t.Errorf("a client hang-up was counted as a server error:\n%s", grepLines(m, "5xx"))
	}
	if l := logs.String(); strings.Contains(l, "status=500") || strings.Contains(l, "request failed") {
		t.Errorf("a client hang-up was logged as a server error:\n%s", l)
	}
}

func metricsText(t *testing.T, st *stack) string {
	t.Helper()
	return st.browser().Get("/metrics").Body
}

func grepLines(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// collect reads a stream to its end and returns the statuses seen and whether it ended with done.
func collect(events <-chan webtest.Event, onStatus func(string)) (seen []string, done bool) {
	for ev := range events {
		switch ev.Name {
		case "status":
			s := webtest.StatusOf(ev.Data)
			seen = append(seen, s)
			if onStatus != nil {
				onStatus(s)
			}
		case "done":
			return seen, true
		}
	}
	return seen, false
}

func TestStreamEndsAtSignOut(t *testing.T) {
	gen := newGated()
	st := newStack(t, stackOptions{generator: gen})
	defer close(gen.release)
	b := st.browser()
	b.Signup("me@example.com")
	b.Get("/programs/new")
	id := b.Submit(webtest.GoodForm())
	<-gen.entered // the program stays in processing/generate: no change will end the stream
	stream := b.Stream(id, 20*time.Second)
	first := <-stream
	if first.Name != "status" {
		t.Fatalf("first event %q", first.Name)
	}
	b.Get("/programs")
	if r := b.Post("/logout", nil, true); r.Status != http.StatusSeeOther {
		t.Fatalf("logout = %d", r.Status)
	}
	if seen, done := collect(stream, nil); !done {
		t.Errorf("stream did not end with done at sign-out (saw %v)", seen)
	}
}

// Streams are revalidated on every change: a coach who loses the client, and a session deleted
// elsewhere (another instance's sign-out), get done instead of the next status.
func TestStreamEndsWhenAccessIsLost(t *testing.T) {
	gen := newGated()
	st := newStack(t, stackOptions{generator: gen})
	st.user(t, "coach@example.com", auth.RoleCoach, "")
	owner := st.browser()
	owner.Signup("client@example.com")
	ctx := context.Background()
	if _, err := st.Pool.Exec(ctx, "UPDATE users SET coach_id = (SELECT id FROM users WHERE email = 'coach@example.com') WHERE email = 'client@example.com'"); err != nil {
		t.Fatal(err)
	}
	owner.Get("/programs/new")
	id := owner.Submit(webtest.GoodForm())
	<-gen.entered
	coach := st.browser()
	coach.Login("coach@example.com", webtest.Password)
	elsewhere := st.browser()
	mark := time.Now()
	elsewhere.Login("client@example.com", webtest.Password)

	coachStream, ownerStream, otherStream := coach.Stream(id, 30*time.Second), owner.Stream(id, 30*time.Second), elsewhere.Stream(id, 30*time.Second)
	for _, s := range []<-chan webtest.Event{coachStream, ownerStream, otherStream} {
		if ev := <-s; ev.Name != "status" || webtest.StatusOf(ev.Data) != "processing/generate" {
			t.Fatalf("first event %q %q, want processing/generate", ev.Name, webtest.StatusOf(ev.Data))
		}
	}
	if _, err := st.Pool.Exec(ctx, "UPDATE users SET coach_id = NULL WHERE email = 'client@example.com'"); err != nil {
		t.Fatal(err)
	}
	// Sign the second session out the way another instance would: only its row goes.
	if tag, err := st.Pool.Exec(ctx, "DELETE FROM sessions WHERE user_id = (SELECT id FROM users WHERE email = 'client@example.com') AND created_at >= $1", mark); err != nil || tag.RowsAffected() != 1 {
		t.Fatalf("delete the second session: %v, %d rows", err, tag.RowsAffected())
	}
	close(gen.release) // the next changes revalidate every stream

	for name, s := range map[string]<-chan webtest.Event{"coach who lost the client": coachStream, "deleted session": otherStream} {
		seen, done := collect(s, nil)
		if !done || contains(seen, "completed/store") {
			t.Errorf("%s: stream saw %v (done %v), want done before any later status", name, seen, done)
		}
	}
	if seen, done := collect(ownerStream, nil); !done || !contains(seen, "completed/store") {
		t.Errorf("owner's stream saw %v (done %v), want completed then done", seen, done)
	}
}

func TestStreamCaps(t *testing.T) {
	gen := newGated()
	st := newStack(t, stackOptions{generator: gen, mutate: []func(*web.Deps){func(d *web.Deps) { d.StreamsPerUser, d.StreamsGlobal = 2, 3 }}})
	defer close(gen.release)
	a := st.browser()
	a.Signup("a@example.com")
	a.Get("/programs/new")
	id := a.Submit(webtest.GoodForm())
	<-gen.entered
	for range 2 {
		<-a.Stream(id, 20*time.Second)
	}
	if got := streamStatus(t, a, id); got != http.StatusTooManyRequests {
		t.Errorf("third stream of one user = %d, want 429", got)
	}
	b := st.browser()
	b.Signup("b@example.com")
	b.Get("/programs/new")
	idB := b.Submit(webtest.GoodForm())
	<-gen.entered
	<-b.Stream(idB, 20*time.Second)
	if got := streamStatus(t, b, idB); got != http.StatusTooManyRequests {
		t.Errorf("stream past the global cap = %d, want 429", got)
	}
}

// streamStatus opens a stream and returns its status code (closing it at once).
func streamStatus(t *testing.T, c *webtest.Client, id int64) int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, c.BaseURL+"/programs/"+strconv.FormatInt(id, 10)+"/events", nil)
	req.Header.Set("Accept", "text/event-stream")
	res, err := (&http.Client{Jar: c.HTTP.Jar}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode
}

// The admin search matches % and _ literally, not as LIKE wildcards.
func TestAdminSearchEscapesLikePatterns(t *testing.T) {
	st := newStack(t, stackOptions{})
	st.user(t, "admin@example.com", auth.RoleAdmin, "")
	st.user(t, "a_b@example.com", auth.RoleUser, "")
	st.user(t, "axb@example.com", auth.RoleUser, "")
	admin := st.browser()
	admin.Login("admin@example.com", webtest.Password)
	for q, want := range map[string][]string{"_": {"a_b@"}, "%": nil, "a_b": {"a_b@"}} {
		r := admin.Get("/admin/users?q=" + url.QueryEscape(q))
		if r.Status != http.StatusOK {
			t.Fatalf("search %q = %d", q, r.Status)
		}
		for _, email := range []string{"a_b@", "axb@"} {
			if got, w := strings.Contains(r.Body, email), contains(want, email); got != w {
				t.Errorf("search %q lists %s: %v, want %v", q, email, got, w)
			}
		}
	}
}
