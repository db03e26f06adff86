package web_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/labstack/echo/v4"

	"liftplan/internal/app"
	"liftplan/internal/auth"
	"liftplan/internal/cache"
	"liftplan/internal/config"
	"liftplan/internal/derrors"
	"liftplan/internal/events"
	"liftplan/internal/generation"
	"liftplan/internal/jobs"
	"liftplan/internal/llm"
	"liftplan/internal/metrics"
	"liftplan/internal/science"
	"liftplan/internal/testdb"
	"liftplan/internal/webtest"
	"liftplan/web"
)

// stack is the whole product in one test: HTTP server, River workers, LISTEN hub, all on a fresh
// database. Only the generator may be swapped.
type stack struct {
	*testEnv
	App     *app.App
	River   *jobs.Client
	Hub     *events.Hub
	Echo    *echo.Echo
	Cache   *cache.Store
	Metrics *metrics.Metrics
	runner  *generation.Runner
}

type stackOptions struct {
	generator   llm.Generator
	maxAttempts int
	// wrap lets a test put a handler in front of the server (e.g. to break SSE).
	wrap func(http.Handler) http.Handler
	// configure changes the configuration before the app is built.
	configure func(*config.Config)
	// mutate changes the server's dependencies before it is built.
	mutate []func(*web.Deps)
	// reconcileEvery and reconcileGrace tune the reconciler (defaults: River client defaults).
	reconcileEvery, reconcileGrace time.Duration
	// cacheTTL is CACHE_TTL (default 24 h); cacheJanitorEvery tunes the cache janitor.
	cacheTTL, cacheJanitorEvery time.Duration
	// logs, when set, also receives the server's warnings (tests that expect one read it).
	logs io.Writer
}

func newStack(t *testing.T, o stackOptions) *stack {
	t.Helper()
	if o.generator == nil {
		o.generator = llm.Builtin{}
	}
	if o.maxAttempts == 0 {
		o.maxAttempts = 3
	}
	pool := newPool(t)
	var out io.Writer = os.Stderr
	if o.logs != nil {
		out = io.MultiWriter(os.Stderr, o.logs)
	}
	level := slog.LevelWarn
	if testing.Verbose() {
		level = slog.LevelDebug
	}
	log := slog.New(slog.NewTextHandler(out, &slog.HandlerOptions{Level: level}))
	cfg, _ := config.Load(func(string) string { return "" })
	cfg.JobMaxAttempts = o.maxAttempts
	cfg.SessionSecret = testSecret
	cfg.WorkerConcurrency, cfg.JobTimeout, cfg.RescueAfter = 10, 20*time.Second, time.Minute
	if o.cacheTTL > 0 {
		cfg.CacheTTL = o.cacheTTL
	}
	if o.configure != nil {
		o.configure(&cfg)
	}
	ctx := context.Background()
	a, err := app.Build(ctx, cfg, pool, app.Options{Log: log, Generator: o.generator, RiverLog: slog.New(slog.DiscardHandler),
		Jobs: jobs.Options{ReconcileEvery: o.reconcileEvery, ReconcileGrace: o.reconcileGrace, CacheJanitorEvery: o.cacheJanitorEvery},
		WebDeps: func(d *web.Deps) {
			for _, m := range o.mutate {
				m(d)
			}
		}})
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Start(ctx); err != nil {
		t.Fatal(err)
	}
	var h = a.Handler()
	if o.wrap != nil {
		h = o.wrap(h)
	}
	srv := httptest.NewUnstartedServer(h)
	srv.Config.RegisterOnShutdown(a.Hub.Close)
	srv.Start()
	t.Cleanup(func() {
		srv.Close()
		stopCtx, c := context.WithTimeout(context.Background(), 10*time.Second)
		defer c()
		_ = a.Shutdown(stopCtx)
	})
	waitFor(t, 10*time.Second, "events hub connected", a.Hub.Healthy)
	return &stack{testEnv: &testEnv{t: t, URL: srv.URL, Pool: pool}, App: a, River: a.River, Hub: a.Hub, Echo: a.Echo, Cache: a.Cache,
		Metrics: a.Metrics, runner: a.Runner}
}

// waitFor polls cond until it holds; the condition is the synchronisation, never a fixed sleep.
func waitFor(t webtest.TB, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", timeout, what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// gatedGenerator holds every generation at the generate step until released, so tests can
// observe the processing state; it then answers like the built-in generator.
type gatedGenerator struct {
	llm.Builtin
	entered chan int64
	release chan struct{}
}

func newGated() *gatedGenerator {
	return &gatedGenerator{entered: make(chan int64, 100), release: make(chan struct{})}
}

func (g *gatedGenerator) Generate(ctx context.Context, a science.Analysis) (llm.Result, error) {
	g.entered <- 0
	select {
	case <-g.release:
	case <-ctx.Done():
		return llm.Result{}, ctx.Err()
	}
	return g.Builtin.Generate(ctx, a)
}

// flakyGenerator fails its first failures calls (transient or permanent), then works; it counts
// every call.
type flakyGenerator struct {
	llm.Builtin
	mu        sync.Mutex
	failures  int
	permanent bool
	calls     atomic.Int64
}

func (g *flakyGenerator) Generate(ctx context.Context, a science.Analysis) (llm.Result, error) {
	g.calls.Add(1)
	g.mu.Lock()
	fail := g.failures > 0
	if fail {
		g.failures--
	}
	g.mu.Unlock()
	if fail {
		if g.permanent {
			return llm.Result{}, derrors.Permanent("", errors.New("upstream said no"))
		}
		return llm.Result{}, fmt.Errorf("upstream 503: %w", llm.ErrTransient)
	}
	return g.Builtin.Generate(ctx, a)
}

func newPool(t *testing.T) *pgxpool.Pool {
	t.Helper()
	return testdb.New(t)
}

// user creates an account directly (role and coach as given) for tests that need several actors.
func (st *stack) user(t *testing.T, email, role, coachEmail string) auth.User {
	t.Helper()
	u, err := auth.NewUsers(st.Pool).Create(context.Background(), auth.NewUser{Email: email, Password: webtest.Password, Role: role, CoachEmail: coachEmail})
	if err != nil {
		t.Fatal(err)
	}
	return u
}
