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
	servers, err := listen(cfg, a, log)
	if err != nil {
		return err
	}
	if a.Hub != nil {
		servers[0].srv.RegisterOnShutdown(a.Hub.Close) // SSE streams end, so Shutdown does not wait for them
	}
	if err := a.Start(ctx); err != nil {
		for _, l := range servers {
			l.ln.Close()
		}
		return errors.Join(err, a.Shutdown(context.WithoutCancel(ctx)))
	}
	serveErr := make(chan error, len(servers))
	for _, l := range servers {
		go func() { serveErr <- l.srv.Serve(l.ln) }()
	}
	log.Info("liftplan serving", "addr", "http://"+servers[0].ln.Addr().String(), "version", version, "generator", a.Generator().Version(),
		"workers", a.Runner != nil)
	if len(servers) > 1 {
		log.Info("metrics on their own listener", "addr", "http://"+servers[1].ln.Addr().String()+"/metrics")
	}

	var errs []error
	select {
	case err := <-serveErr:
		errs = append(errs, fmt.Errorf("http server: %w", err))
	case <-ctx.Done():
		log.Info("shutting down")
	}
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownTimeout)
	defer cancel()
	for _, l := range servers {
		if err := l.srv.Shutdown(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
			errs = append(errs, fmt.Errorf("http shutdown: %w", err))
		}
	}
	// Running jobs get until the bound; the rest are handed back to River without an attempt.
	errs = append(errs, a.Shutdown(shutdownCtx))
	log.Info("stopped")
	return errors.Join(errs...)
}

// listener is one HTTP server and the socket it serves.
type listener struct {
	srv *http.Server
	ln  net.Listener
}

// listen opens LISTEN_ADDR (every route) and, when set, METRICS_ADDR (/metrics only); the
// first is the main one.
func listen(cfg config.Config, a *App, log *slog.Logger) ([]listener, error) {
	ln, err := net.Listen("tcp", cfg.ListenAddr)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", cfg.ListenAddr, err)
	}
	out := []listener{{newHTTPServer(a.Handler(), log), ln}}
	if cfg.MetricsAddr == "" {
		return out, nil
	}
	mln, err := net.Listen("tcp", cfg.MetricsAddr)
	if err != nil {
		ln.Close()
		return nil, fmt.Errorf("listen on METRICS_ADDR %s: %w", cfg.MetricsAddr, err)
	}
	return append(out, listener{newHTTPServer(a.MetricsHandler(), log), mln}), nil
}

// newHTTPServer is an http.Server with liftplan's timeouts, logging through log.
func newHTTPServer(h http.Handler, log *slog.Logger) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleTimeout,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
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
