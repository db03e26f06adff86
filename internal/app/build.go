package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/labstack/echo/v4"
	"riverqueue.com/riverui"

	"liftplan/internal/admin"
	"liftplan/internal/auth"
	"liftplan/internal/cache"
	"liftplan/internal/config"
	"liftplan/internal/db/dbq"
	"liftplan/internal/events"
	"liftplan/internal/generation"
	"liftplan/internal/jobs"
	"liftplan/internal/llm"
	"liftplan/internal/metrics"
	"liftplan/internal/programs"
	"liftplan/internal/training"
	"liftplan/web"
)

// Roles of a serve process.
const (
	RoleAll    = "all"
	RoleWeb    = "web"
	RoleWorker = "worker"
)

// devSessionSecret signs cookies in development when SESSION_SECRET is unset, so several local
// instances share sessions. Production refuses to start without a real secret.
const devSessionSecret = "liftplan-development-only-session-secret-0000"

// Options are what Build needs beyond the configuration and the pool.
type Options struct {
	// Role is RoleAll (default), RoleWeb (HTTP only: jobs are inserted, not worked) or
	// RoleWorker (jobs, and only the health endpoints over HTTP).
	Role string
	// Log is the process logger (required).
	Log *slog.Logger
	// Generator replaces the one the configuration picks (tests, the demo).
	Generator llm.Generator
	// Metrics replaces a fresh registry (a test that reads the figures).
	Metrics *metrics.Metrics
	// RiverLog receives River's own lines; nil passes its warnings and errors to Log.
	RiverLog *slog.Logger
	// Jobs tunes the River client beyond the configuration (tests: reconciler and janitor
	// periods); Runner, Concurrency, timeouts, attempts and Cache are always set by Build.
	Jobs jobs.Options
	// WebDeps, when set, may change the HTTP layer's dependencies before the server is built
	// (tests: a dead database for /readyz, another session store).
	WebDeps func(*web.Deps)
}

// App is liftplan wired: every service, built once, in dependency order.
type App struct {
	Config   config.Config
	Pool     *pgxpool.Pool
	Log      *slog.Logger
	Metrics  *metrics.Metrics
	Cache    *cache.Store
	Runner   *generation.Runner // nil in a web-only process
	River    *jobs.Client
	Programs *programs.Service // nil in a worker-only process, as are Admin, Users and Hub
	Admin    *admin.Service
	Training *training.Service
	Users    *auth.Users
	Hub      *events.Hub
	Echo     *echo.Echo

	generator llm.Generator
	jobsUI    *riverui.Handler
	stopBg    context.CancelFunc
	started   bool
}

// Build wires liftplan on pool: cache, generator, pipeline, River, services, HTTP. Nothing
// runs until Start.
func Build(ctx context.Context, cfg config.Config, pool *pgxpool.Pool, o Options) (*App, error) {
	if o.Log == nil {
		return nil, errors.New("app: Log is required")
	}
	if o.Role == "" {
		o.Role = RoleAll
	}
	if o.RiverLog == nil {
		o.RiverLog = riverLogger(o.Log)
	}
	a := &App{Config: cfg, Pool: pool, Log: o.Log, Metrics: o.Metrics, generator: o.Generator}
	if err := a.buildCore(o); err != nil {
		return nil, err
	}
	if o.Role != RoleWorker {
		if err := a.buildWeb(o); err != nil {
			return nil, err
		}
	}
	deps := a.webDeps(o.Role)
	if o.WebDeps != nil {
		o.WebDeps(&deps)
	}
	e, err := web.NewServer(deps)
	if err != nil {
		return nil, err
	}
	a.Echo = e
	return a, nil
}

// buildCore builds what every role has: metrics, the cache (web processes read it at submit,
// workers write it and run its janitor, all export its figures), the generator and River.
func (a *App) buildCore(o Options) error {
	if a.Metrics == nil {
		a.Metrics = metrics.New()
	}
	if err := a.Metrics.RegisterDB(a.Pool); err != nil {
		return fmt.Errorf("metrics: %w", err)
	}
	var err error
	a.Cache, err = cache.New(cache.Options{Pool: a.Pool, TTL: a.Config.CacheTTL, Registerer: a.Metrics.Registry, Log: a.Log})
	if err != nil {
		return err
	}
	if a.generator == nil {
		if a.generator, err = newGenerator(a.Config, a.Metrics.Registry, a.Log); err != nil {
			return err
		}
	}
	if o.Role != RoleWeb {
		a.Runner = generation.NewRunner(a.Pool, a.generator, a.Log, generation.WithCache(a.Cache))
	}
	jo := o.Jobs
	jo.Runner, jo.Concurrency, jo.JobTimeout, jo.RescueAfter = a.Runner, a.Config.WorkerConcurrency, a.Config.JobTimeout, a.Config.RescueAfter
	jo.MaxAttempts, jo.Cache, jo.Log = a.Config.JobMaxAttempts, a.Cache, o.RiverLog
	a.River, err = jobs.New(a.Pool, jo)
	return err
}

// buildWeb builds the services only HTTP needs: sessions, users, programs, admin, the events
// hub and River UI.
func (a *App) buildWeb(o Options) error {
	var err error
	a.Programs, err = programs.NewService(programs.ServiceOptions{Pool: a.Pool, Jobs: a.River,
		GeneratorVersion: a.generator.Version(), Cache: a.Cache, Log: a.Log})
	if err != nil {
		return err
	}
	if a.Admin, err = admin.New(admin.Options{Pool: a.Pool, Programs: a.Programs, Cache: a.Cache, Log: a.Log}); err != nil {
		return err
	}
	if a.Training, err = training.New(training.Options{Pool: a.Pool, Submitter: a.Programs, Log: a.Log}); err != nil {
		return err
	}
	a.Users = auth.NewUsers(a.Pool)
	a.Hub = events.NewHub(a.Pool.Config().ConnConfig, a.Log)
	a.jobsUI, err = riverui.NewHandler(&riverui.HandlerOpts{Endpoints: riverui.NewEndpoints(a.River.Client, nil),
		Prefix: "/admin/jobs", Logger: o.RiverLog})
	if err != nil {
		return fmt.Errorf("river ui: %w", err)
	}
	return nil
}

// webDeps is the HTTP layer's view of the app.
func (a *App) webDeps(role string) web.Deps {
	d := web.Deps{Config: a.Config, DB: a.Pool, Metrics: a.Metrics, Log: a.Log, HealthOnly: role == RoleWorker,
		StreamsPerUser: a.Config.StreamsPerUser, StreamsGlobal: a.Config.StreamsMax}
	if a.Programs == nil {
		return d
	}
	secret := a.Config.SessionSecret
	if secret == "" {
		secret = devSessionSecret
	}
	// NewStore only fails on a short secret, which config already refused.
	store, _ := auth.NewStore(dbq.New(a.Pool), auth.StoreOptions{Secret: []byte(secret), Secure: a.Config.Production()})
	d.Sessions, d.Users, d.Programs, d.Admin, d.Hub, d.JobsUI = store, a.Users, a.Programs, a.Admin, a.Hub, a.jobsUI
	d.Training = a.Training
	return d
}

// Generator is the generator in use (its Version is part of every cache key).
func (a *App) Generator() llm.Generator { return a.generator }

// Handler is the HTTP handler of every route.
func (a *App) Handler() http.Handler { return a.Echo }

// MetricsHandler is the handler of the METRICS_ADDR listener: /metrics only.
func (a *App) MetricsHandler() http.Handler {
	return web.MetricsHandler(a.Metrics.Registry, a.Config.MetricsToken)
}

// Start runs the background parts: the events hub, River UI and, with a pipeline, the River
// workers. They run until Shutdown, not until ctx ends.
func (a *App) Start(ctx context.Context) error {
	bg, stop := context.WithCancel(context.WithoutCancel(ctx))
	a.stopBg, a.started = stop, true
	if a.Hub != nil {
		go a.Hub.Run(bg)
		if err := a.jobsUI.Start(bg); err != nil {
			return fmt.Errorf("start river ui: %w", err)
		}
	}
	if a.Runner != nil {
		if err := a.River.Start(bg); err != nil {
			return fmt.Errorf("start workers: %w", err)
		}
	}
	return nil
}

// Shutdown stops in the reverse order of Start: SSE streams end, running jobs get until ctx
// ends and the rest are handed back to River, then the background parts stop. The caller
// closes the pool.
func (a *App) Shutdown(ctx context.Context) error {
	if !a.started {
		return nil
	}
	if a.Hub != nil {
		a.Hub.Close()
	}
	var err error
	if a.Runner != nil {
		if serr := a.River.Shutdown(ctx); serr != nil {
			err = fmt.Errorf("stop workers: %w", serr)
		}
	}
	a.stopBg()
	return err
}
