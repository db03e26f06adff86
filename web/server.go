// Package web is liftplan's HTTP surface: NewServer builds the echo server, routes.go lists every
// URL, handlers are func(echo.Context) error, and one error handler turns errors into pages.
package web

import (
	"errors"
	"log/slog"
	"net"
	"net/http"
	"net/netip"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/labstack/echo/v4"

	"liftplan/internal/auth"
	"liftplan/internal/cache"
	"liftplan/internal/config"
	"liftplan/internal/db/dbq"
	"liftplan/internal/events"
	"liftplan/internal/metrics"
	"liftplan/internal/programs"
)

// Deps is everything the HTTP layer needs; app wires it.
type Deps struct {
	Config   config.Config
	Pool     *pgxpool.Pool
	Users    *auth.Users
	Sessions *auth.Store
	Programs *programs.Service
	Hub      *events.Hub
	Metrics  *metrics.Metrics
	Log      *slog.Logger
	// JobsUI is River UI, mounted under /admin/jobs/ for admins (nil: not mounted).
	JobsUI http.Handler
	// Cache is the program cache, for its figures on /admin and the purge; nil hides both.
	Cache *cache.Store
	// Training is the training log (Today, history, next blocks); nil leaves its routes out.
	Training trainingService
	// HealthOnly serves only /healthz, /readyz and /metrics (a worker-only process).
	HealthOnly bool
}

// Server holds the handlers' dependencies.
type Server struct {
	cfg      config.Config
	pool     *pgxpool.Pool
	q        *dbq.Queries
	users    *auth.Users
	sessions *auth.Store
	programs *programs.Service
	hub      *events.Hub
	jobsUI   http.Handler
	metrics  *metrics.Metrics
	log      *slog.Logger
	cache    *cache.Store
	training trainingService
}

// NewServer builds the echo instance with every route and middleware.
func NewServer(d Deps) (*echo.Echo, error) {
	if d.Pool == nil || d.Metrics == nil || d.Log == nil {
		return nil, errors.New("web: Pool, Metrics and Log are required")
	}
	if !d.HealthOnly && (d.Users == nil || d.Sessions == nil || d.Programs == nil || d.Hub == nil) {
		return nil, errors.New("web: Users, Sessions, Programs and Hub are required")
	}
	s := &Server{cfg: d.Config, pool: d.Pool, q: dbq.New(d.Pool), users: d.Users, sessions: d.Sessions,
		programs: d.Programs, hub: d.Hub, jobsUI: d.JobsUI, metrics: d.Metrics, log: d.Log, cache: d.Cache, training: d.Training}
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = s.handleError
	e.IPExtractor = ipExtractor(d.Config.TrustedProxies)
	if d.HealthOnly {
		s.healthRoutes(e)
		return e, nil
	}
	s.routes(e)
	return e, nil
}

// ipExtractor believes X-Forwarded-For only from configured proxies, so a client cannot pick
// its own address to dodge the per-IP sign-in throttle.
func ipExtractor(trusted []netip.Prefix) echo.IPExtractor {
	if len(trusted) == 0 {
		return echo.ExtractIPDirect()
	}
	opts := []echo.TrustOption{echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false)}
	for _, p := range trusted {
		opts = append(opts, echo.TrustIPRange(&net.IPNet{IP: p.Addr().AsSlice(), Mask: net.CIDRMask(p.Bits(), p.Addr().BitLen())}))
	}
	return echo.ExtractIPFromXFFHeader(opts...)
}

// clientIP is the request's client address as the IP extractor decided it.
func clientIP(c echo.Context) netip.Addr {
	a, err := netip.ParseAddr(c.RealIP())
	if err != nil {
		return netip.IPv4Unspecified()
	}
	return a.Unmap()
}

// isHTMX reports whether htmx asked for a fragment (boosted navigations want whole pages).
func isHTMX(c echo.Context) bool {
	h := c.Request().Header
	return h.Get("HX-Request") == "true" && h.Get("HX-Boosted") != "true"
}

var _ http.Handler = (*echo.Echo)(nil)
