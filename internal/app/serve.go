package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"liftplan/internal/auth"
	"liftplan/internal/cache"
	"liftplan/internal/config"
	"liftplan/internal/db/dbq"
	"liftplan/internal/events"
	"liftplan/internal/generation"
	"liftplan/internal/jobs"
	"liftplan/internal/metrics"
	"liftplan/internal/programs"
	"liftplan/internal/training"
	"liftplan/web"

	"riverqueue.com/riverui"
)

// devSessionSecret signs cookies in development when SESSION_SECRET is unset, so several local
// instances share sessions. Production refuses to start without a real secret.
const devSessionSecret = "liftplan-development-only-session-secret-0000"

// Server timeouts: slow clients cannot hold connections; SSE handlers lift the write deadline
// for their own streams.
const (
	readHeaderTimeout = 5 * time.Second
	readTimeout       = 30 * time.Second
	writeTimeout      = 30 * time.Second
	idleTimeout       = 120 * time.Second
	shutdownTimeout   = 25 * time.Second
)

// Roles of a serve process.
const (
	roleAll    = "all"
	roleWeb    = "web"
	roleWorker = "worker"
)

func cmdServe(ctx context.Context, args []string, e env) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	role := fs.String("role", roleAll, "all (web and worker), web (HTTP only) or worker (jobs, health endpoints only)")
	if err := parseFlags(fs, args, e); err != nil {
		return err
	}
	if *role != roleAll && *role != roleWeb && *role != roleWorker {
		return usageError{fmt.Sprintf("--role must be all, web or worker, got %q", *role)}
	}
	cfg, pool, err := openDB(ctx, e)
	if err != nil {
		return err
	}
	defer pool.Close()
	log := newLogger(cfg, e.stderr).With("role", *role)
	return serve(ctx, cfg, pool, *role, log)
}

// serve runs until ctx is cancelled (SIGINT/SIGTERM), then shuts down in reverse order of start:
// stop accepting HTTP and end SSE streams, let running jobs finish (up to a bound) or hand them
// back to River, stop the listener; the caller closes the pool.
func serve(ctx context.Context, cfg config.Config, pool *pgxpool.Pool, role string, log *slog.Logger) error {
	m := metrics.New()
	if err := m.RegisterDB(pool); err != nil {
		return fmt.Errorf("metrics: %w", err)
	}
	// Every role has the cache: web processes read it at submit, workers write it and run its
	// janitor, and all of them export its figures on /metrics.
	programCache, err := cache.New(cache.Options{Pool: pool, TTL: cfg.CacheTTL, Registerer: m.Registry, Log: log})
	if err != nil {
		return err
	}
	var runner *generation.Runner
	gen, err := newGenerator(cfg, m.Registry, log)
	if err != nil {
		return err
	}
	if role != roleWeb {
		runner = generation.NewRunner(pool, gen, log, generation.WithCache(programCache))
	}
	riverClient, err := jobs.New(pool, jobs.Options{Runner: runner, Concurrency: cfg.WorkerConcurrency, JobTimeout: cfg.JobTimeout,
		RescueAfter: cfg.RescueAfter, MaxAttempts: cfg.JobMaxAttempts, Log: riverLogger(log), Cache: programCache})
	if err != nil {
		return err
	}

	deps := web.Deps{Config: cfg, Pool: pool, Metrics: m, Log: log, HealthOnly: role == roleWorker, Cache: programCache}
	var hub *events.Hub
	var jobsUI *riverui.Handler
	if role != roleWorker {
		secret := cfg.SessionSecret
		if secret == "" {
			secret = devSessionSecret
		}
		store, err := auth.NewStore(dbq.New(pool), auth.StoreOptions{Secret: []byte(secret), Secure: cfg.Production()})
		if err != nil {
			return err
		}
		hub = events.NewHub(pool.Config().ConnConfig, log)
		deps.Sessions, deps.Users, deps.Hub = store, auth.NewUsers(pool), hub
		jobsUI, err = riverui.NewHandler(&riverui.HandlerOpts{
			Endpoints: riverui.NewEndpoints(riverClient.Client, nil),
			Prefix:    "/admin/jobs",
			Logger:    riverLogger(log),
		})
		if err != nil {
			return fmt.Errorf("river ui: %w", err)
		}
		deps.JobsUI = jobsUI
		deps.Programs, err = programs.NewService(programs.ServiceOptions{Pool: pool, Jobs: riverClient,
			GeneratorVersion: gen.Version(), Cache: programCache, Log: log})
		if err != nil {
			return err
		}
		deps.Training, err = training.New(training.Options{Pool: pool, Submitter: deps.Programs, Log: log})
		if err != nil {
			return err
		}
	}
	handler, err := web.NewServer(deps)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.ListenAddr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.ListenAddr, err)
	}
	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleTimeout,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}

	bg, stopBackground := context.WithCancel(context.WithoutCancel(ctx))
	defer stopBackground()
	if hub != nil {
		srv.RegisterOnShutdown(hub.Close) // SSE streams end, so Shutdown does not wait for them
		go hub.Run(bg)
		go janitor(bg, pool, log)
		if err := jobsUI.Start(bg); err != nil {
			return fmt.Errorf("start river ui: %w", err)
		}
	}
	if runner != nil {
		if err := riverClient.Start(bg); err != nil {
			return fmt.Errorf("start workers: %w", err)
		}
	}
	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(ln) }()
	log.Info("liftplan serving", "addr", "http://"+ln.Addr().String(), "version", version, "generator", gen.Version(),
		"workers", runner != nil)

	select {
	case err := <-serveErr:
		return fmt.Errorf("http server: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownTimeout)
	defer cancel()
	var errs []error
	if err := srv.Shutdown(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		errs = append(errs, fmt.Errorf("http shutdown: %w", err))
	}
	if runner != nil {
		// Running jobs get until the bound; the rest are handed back to River without an attempt.
		if err := riverClient.Shutdown(shutdownCtx); err != nil {
			errs = append(errs, fmt.Errorf("stop workers: %w", err))
		}
	}
	stopBackground()
	log.Info("stopped")
	return errors.Join(errs...)
}

// riverLogger passes River's warnings and errors on; its info lines are noise for operators.
func riverLogger(log *slog.Logger) *slog.Logger {
	return slog.New(levelFloor{log.Handler(), slog.LevelWarn})
}

type levelFloor struct {
	slog.Handler
	min slog.Level
}

func (l levelFloor) Enabled(ctx context.Context, level slog.Level) bool {
	return level >= l.min && l.Handler.Enabled(ctx, level)
}

func (l levelFloor) WithAttrs(attrs []slog.Attr) slog.Handler {
	return levelFloor{l.Handler.WithAttrs(attrs), l.min}
}

func (l levelFloor) WithGroup(name string) slog.Handler {
	return levelFloor{l.Handler.WithGroup(name), l.min}
}

// janitor deletes expired sessions and old sign-in failures every few minutes.
func janitor(ctx context.Context, pool *pgxpool.Pool, log *slog.Logger) {
	q := dbq.New(pool)
	t := time.NewTicker(5 * time.Minute)
	defer t.Stop()
	for {
		if n, err := q.DeleteExpiredSessions(ctx); err != nil && ctx.Err() == nil {
			log.Warn("delete expired sessions", "error", err)
		} else if n > 0 {
			log.Debug("deleted expired sessions", "count", n)
		}
		if _, err := q.DeleteOldLoginFailures(ctx, int32((24 * time.Hour).Seconds())); err != nil && ctx.Err() == nil {
			log.Warn("delete old login failures", "error", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
