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
	"liftplan/internal/config"
	"liftplan/internal/db/dbq"
	"liftplan/internal/metrics"
	"liftplan/web"
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
	shutdownTimeout   = 20 * time.Second
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

// serve runs until ctx is cancelled (SIGINT/SIGTERM), then shuts down in reverse order of start.
func serve(ctx context.Context, cfg config.Config, pool *pgxpool.Pool, role string, log *slog.Logger) error {
	deps := web.Deps{Config: cfg, Pool: pool, Metrics: metrics.New(), Log: log, HealthOnly: role == roleWorker}
	if role != roleWorker {
		secret := cfg.SessionSecret
		if secret == "" {
			secret = devSessionSecret
		}
		store, err := auth.NewStore(dbq.New(pool), auth.StoreOptions{Secret: []byte(secret), Secure: cfg.Production()})
		if err != nil {
			return err
		}
		deps.Sessions, deps.Users = store, auth.NewUsers(pool)
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
	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(ln) }()
	log.Info("liftplan serving", "addr", "http://"+ln.Addr().String(), "version", version, "llm", cfg.LLMProvider)

	janitorCtx, stopJanitor := context.WithCancel(ctx)
	defer stopJanitor()
	go janitor(janitorCtx, pool, log)

	select {
	case err := <-serveErr:
		return fmt.Errorf("http server: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("http shutdown: %w", err)
	}
	log.Info("stopped")
	return nil
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
