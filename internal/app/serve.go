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

	"liftplan/internal/config"
)

// Server timeouts: slow clients cannot hold connections; SSE handlers lift the write deadline
// for their own streams.
const (
	readHeaderTimeout = 5 * time.Second
	readTimeout       = 30 * time.Second
	writeTimeout      = 30 * time.Second
	idleTimeout       = 120 * time.Second
	shutdownTimeout   = 25 * time.Second
)

func cmdServe(ctx context.Context, args []string, e env) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	role := fs.String("role", RoleAll, "all (web and worker), web (HTTP only) or worker (jobs, health endpoints only)")
	if err := parseFlags(fs, args, e); err != nil {
		return err
	}
	if *role != RoleAll && *role != RoleWeb && *role != RoleWorker {
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
// back to River; the caller closes the pool.
func serve(ctx context.Context, cfg config.Config, pool *pgxpool.Pool, role string, log *slog.Logger) error {
	a, err := Build(ctx, cfg, pool, Options{Role: role, Log: log})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.ListenAddr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.ListenAddr, err)
	}
	srv := &http.Server{
		Handler:           a.Handler(),
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleTimeout,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	if a.Hub != nil {
		srv.RegisterOnShutdown(a.Hub.Close) // SSE streams end, so Shutdown does not wait for them
	}
	if err := a.Start(ctx); err != nil {
		ln.Close()
		return errors.Join(err, a.Shutdown(context.WithoutCancel(ctx)))
	}
	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(ln) }()
	log.Info("liftplan serving", "addr", "http://"+ln.Addr().String(), "version", version, "generator", a.Generator().Version(),
		"workers", a.Runner != nil)

	select {
	case err := <-serveErr:
		return errors.Join(fmt.Errorf("http server: %w", err), a.Shutdown(context.WithoutCancel(ctx)))
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownTimeout)
	defer cancel()
	var errs []error
	if err := srv.Shutdown(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		errs = append(errs, fmt.Errorf("http shutdown: %w", err))
	}
	// Running jobs get until the bound; the rest are handed back to River without an attempt.
	errs = append(errs, a.Shutdown(shutdownCtx))
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
