// Package web is liftplan's HTTP surface: NewServer builds the echo server, routes.go lists every
// URL, handlers are func(echo.Context) error, and one error handler turns errors into pages.
// It depends on the services through the small interfaces below, declared here, never on the
// database.
package web

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"net/netip"

	"github.com/labstack/echo/v4"

	"liftplan/internal/admin"
	"liftplan/internal/auth"
	"liftplan/internal/cache"
	"liftplan/internal/config"
	"liftplan/internal/events"
	"liftplan/internal/metrics"
	"liftplan/internal/programs"
	"liftplan/internal/science"
)

// Pinger answers whether the database is reachable (/readyz).
type Pinger interface {
	Ping(ctx context.Context) error
}

// Programs is what the handlers need of the program service.
type Programs interface {
	Submit(ctx context.Context, u auth.User, f programs.Form) (programs.Submitted, error)
	Get(ctx context.Context, viewer auth.User, id int64) (programs.Program, error)
	List(ctx context.Context, userID int64) ([]programs.Program, error)
	LastAnswers(ctx context.Context, userID int64) (science.Input, bool, error)
	Retry(ctx context.Context, viewer auth.User, id int64) error
	Regenerate(ctx context.Context, viewer auth.User, id int64) (programs.Submitted, error)
	// ReadForStreams is the one read per status change shared by every SSE stream of a program.
	ReadForStreams(ctx context.Context, id int64, sessionKeys []string) (programs.StreamRead, error)
}

// Admin is what the coach and admin handlers need of the admin service.
type Admin interface {
	Dashboard(ctx context.Context) (admin.Dashboard, error)
	Programs(ctx context.Context, status programs.Status, limit int) ([]admin.ProgramRow, error)
	Users(ctx context.Context, query string) ([]admin.UserRow, []admin.Coach, error)
	UpdateUser(ctx context.Context, by auth.User, id int64, ch admin.UserChange) (auth.User, error)
	RetryProgram(ctx context.Context, by auth.User, id int64) error
	RetryAllFailed(ctx context.Context, by auth.User) (int, error)
	PurgeCache(ctx context.Context, by auth.User, scope cache.Scope) (int64, error)
	HasCache() bool
	Clients(ctx context.Context, coach auth.User) ([]admin.Client, error)
	ClientHistory(ctx context.Context, viewer auth.User, clientID int64) (string, []programs.Program, error)
}

// Users is what sign-up and sign-in need of the account service.
type Users interface {
	Signup(ctx context.Context, n auth.NewUser, clientIP netip.Addr) (auth.User, error)
	Authenticate(ctx context.Context, email, password string, clientIP netip.Addr) (auth.User, error)
}

// Deps is everything the HTTP layer needs; internal/app wires it.
type Deps struct {
	Config config.Config
	// DB answers /readyz (required).
	DB       Pinger
	Users    Users
	Sessions *auth.Store
	Programs Programs
	Admin    Admin
	// Training is the training log: Today, history, next blocks, coach adherence.
	Training Training
	Hub      *events.Hub
	Metrics  *metrics.Metrics
	Log      *slog.Logger
	// JobsUI is River UI, mounted under /admin/jobs/ for admins (nil: not mounted).
	JobsUI http.Handler
	// HealthOnly serves only /healthz, /readyz and /metrics (a worker-only process).
	HealthOnly bool
	// StreamsPerUser and StreamsGlobal cap open SSE streams (0: events' defaults).
	StreamsPerUser, StreamsGlobal int
}

// Server holds the handlers' dependencies.
type Server struct {
	cfg      config.Config
	db       Pinger
	users    Users
	sessions *auth.Store
	programs Programs
	admin    Admin
	training Training
	hub      *events.Hub
	jobsUI   http.Handler
	metrics  *metrics.Metrics
	log      *slog.Logger
	streams  *events.Streams
	// routeSet is every registered route template: the only route labels metrics may carry.
	routeSet map[string]bool
}

// NewServer builds the echo instance with every route and middleware.
func NewServer(d Deps) (*echo.Echo, error) {
	if d.DB == nil || d.Metrics == nil || d.Log == nil {
		return nil, errors.New("web: DB, Metrics and Log are required")
	}
	if !d.HealthOnly && (d.Users == nil || d.Sessions == nil || d.Programs == nil || d.Admin == nil || d.Training == nil || d.Hub == nil) {
		return nil, errors.New("web: Users, Sessions, Programs, Admin, Training and Hub are required")
	}
	s := &Server{cfg: d.Config, db: d.DB, users: d.Users, sessions: d.Sessions, programs: d.Programs, admin: d.Admin,
		training: d.Training, hub: d.Hub, jobsUI: d.JobsUI, metrics: d.Metrics, log: d.Log, streams: events.NewStreams(d.StreamsPerUser, d.StreamsGlobal)}
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = s.handleError
	e.IPExtractor = ipExtractor(d.Config.TrustedProxies)
	if d.HealthOnly {
		s.healthRoutes(e)
	} else {
		s.routes(e)
	}
	s.routeSet = registeredRoutes(e)
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
