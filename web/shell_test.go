package web_test

import (
	"context"
	"liftplan/web"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"liftplan/static"
)

func TestHealthAndReady(t *testing.T) {
	env := newTestEnv(t)
	b := env.browser()
	if r := b.Get("/healthz"); r.Status != http.StatusOK || r.Body != "ok" {
		t.Errorf("/healthz = %d %q", r.Status, r.Body)
	}
	if r := b.Get("/readyz"); r.Status != http.StatusOK {
		t.Errorf("/readyz = %d, want 200", r.Status)
	}
	if r := b.Get("/metrics"); r.Status != http.StatusOK || !strings.Contains(r.Body, "liftplan_http_request_duration_seconds") {
		t.Errorf("/metrics = %d, want our histogram", r.Status)
	}
}

func TestReadyzWhenDatabaseIsDown(t *testing.T) {
	// A pool on a port where nothing listens: the process is alive, the database is not.
	dead, err := pgxpool.New(context.Background(), "postgres://postgres@127.0.0.1:1/liftplan?sslmode=disable&connect_timeout=1")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(dead.Close)
	env := newTestEnv(t, func(d *web.Deps) { d.DB = dead })
	b := env.browser()
	if r := b.Get("/readyz"); r.Status != http.StatusServiceUnavailable {
		t.Errorf("/readyz with the database down = %d, want 503", r.Status)
	}
	if r := b.Get("/healthz"); r.Status != http.StatusOK {
		t.Errorf("/healthz with the database down = %d, want 200", r.Status)
	}
}

func TestMetricsToken(t *testing.T) {
	env := newTestEnv(t, func(d *web.Deps) { d.Config.MetricsToken = "s3cret" })
	b := env.browser()
	if r := b.Get("/metrics"); r.Status != http.StatusUnauthorized {
		t.Errorf("/metrics without token = %d, want 401", r.Status)
	}
	req, _ := http.NewRequest(http.MethodGet, env.URL+"/metrics", nil)
	req.Header.Set("Authorization", "Bearer s3cret")
	if r := b.Do(req); r.Status != http.StatusOK {
		t.Errorf("/metrics with token = %d, want 200", r.Status)
	}
}

func TestSecurityHeaders(t *testing.T) {
	env := newTestEnv(t)
	for _, path := range []string{"/", "/login", "/no/such/page", "/healthz"} {
		r := env.browser().Get(path)
		csp := r.Header.Get("Content-Security-Policy")
		if csp == "" || strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") || !strings.Contains(csp, "script-src 'self'") {
			t.Errorf("%s: CSP %q", path, csp)
		}
		for _, h := range []string{"X-Content-Type-Options", "X-Frame-Options", "Referrer-Policy", "X-Request-Id"} {
			if r.Header.Get(h) == "" {
				t.Errorf("%s: missing %s", path, h)
			}
		}
	}
}

func TestBodyLimit(t *testing.T) {
	env := newTestEnv(t)
	b := env.browser()
	b.Get("/signup")
	r := b.Post("/signup", url.Values{"email": {"big@example.com"}, "password": {strings.Repeat("p", 100_000)}}, true)
	if r.Status != http.StatusRequestEntityTooLarge {
		t.Errorf("100 kB form = %d, want 413", r.Status)
	}
	var n int
	_ = env.Pool.QueryRow(context.Background(), "SELECT count(*) FROM users").Scan(&n)
	if n != 0 {
		t.Errorf("a rejected signup wrote %d users", n)
	}
}

func TestStaticAssets(t *testing.T) {
	env := newTestEnv(t)
	b := env.browser()
	for _, p := range []string{"/static/css/app.css?v=1", "/static/vendor/htmx.min.js?v=1", "/static/vendor/sse.js?v=1", "/static/js/app.js"} {
		r := b.Get(p)
		if r.Status != http.StatusOK || len(r.Body) < 100 {
			t.Errorf("%s = %d (%d bytes)", p, r.Status, len(r.Body))
		}
	}
	if r := b.Get("/static/../go.mod"); r.Status != http.StatusNotFound {
		t.Errorf("path traversal = %d, want 404", r.Status)
	}
}

// TestAxeCoreNotShipped: axe-core (650 KB) is for the browser tests, which read it from
// static/node_modules; make assets keeps it out of static/vendor, which is embedded whole, so the
// binary neither holds nor serves it. (Run after make build: htmx served proves the assets are in.)
func TestAxeCoreNotShipped(t *testing.T) {
	b := newTestEnv(t).browser()
	if r := b.Get("/static/vendor/htmx.min.js"); r.Status != http.StatusOK {
		t.Fatalf("htmx = %d: the assets are not built (make build)", r.Status)
	}
	if static.Has("vendor/axe.min.js") {
		t.Error("axe-core is embedded in the binary (static/vendor/axe.min.js)")
	}
	for _, p := range []string{"/static/vendor/axe.min.js", "/static/vendor/axe.min.js?v=1"} {
		if r := b.Get(p); r.Status != http.StatusNotFound {
			t.Errorf("%s = %d, want 404", p, r.Status)
		}
	}
}

func TestHTMXErrorFragment(t *testing.T) {
	env := newTestEnv(t)
	req, _ := http.NewRequest(http.MethodGet, env.URL+"/nope", nil)
	req.Header.Set("HX-Request", "true")
	r := env.browser().Do(req)
	if r.Status != http.StatusNotFound || strings.Contains(r.Body, "<html") || !strings.Contains(r.Body, `data-error-status="404"`) {
		t.Errorf("htmx 404 = %d, want a fragment: %.200s", r.Status, r.Body)
	}
}
