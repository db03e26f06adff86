package web

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gorilla/sessions"
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"liftplan/internal/auth"
	"liftplan/internal/metrics"
)

// Context keys for what the middleware loads once per request.
const (
	ctxSession = "session"
	ctxUser    = "user"
)

// maxBody bounds every request body; the largest legitimate form is a few kilobytes.
const maxBody = "64K"

// csp allows only our own scripts and styles: htmx runs with allowEval and indicator styles off.
const csp = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; font-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'"

// middleware is what every request passes; sessions and CSRF are per route group (routes.go).
func (s *Server) middleware(e *echo.Echo) {
	e.Use(
		s.requestID,
		s.requestLog,
		middleware.Recover(),
		s.securityHeaders,
		middleware.BodyLimit(maxBody),
	)
}

// requestLog logs one line per request and observes its latency.
func (s *Server) requestLog(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		route := s.routeLabel(c)
		if clientGone(c, err) {
			s.logClientGone(c, route, time.Since(start), err)
			return nil
		}
		if err != nil {
			c.Error(err) // render now, so the status below is the one sent
		}
		res := c.Response()
		elapsed := time.Since(start)
		s.metrics.HTTPDuration.WithLabelValues(metrics.Method(c.Request().Method), route, metrics.StatusClass(res.Status)).Observe(elapsed.Seconds())
		level := slog.LevelInfo
		if shed(err) {
			level = slog.LevelWarn // a flood's expected 503, not a fault
		} else if res.Status >= 500 {
			level = slog.LevelError
		} else if strings.HasPrefix(route, "/static/") || route == "/healthz" || route == "/metrics" {
			level = slog.LevelDebug
		}
		attrs := []slog.Attr{
			slog.String("method", c.Request().Method), slog.String("path", c.Request().URL.Path),
			slog.Int("status", res.Status), slog.Duration("duration", elapsed),
			slog.String("request_id", res.Header().Get(echo.HeaderXRequestID)), slog.String("ip", c.RealIP()),
		}
		if shed(err) {
			attrs = append(attrs, slog.String("error", err.Error())) // the only line such a request gets
		}
		if u, ok := c.Get(ctxUser).(auth.User); ok {
			attrs = append(attrs, slog.Int64("user_id", u.ID))
		}
		s.log.LogAttrs(c.Request().Context(), level, "http request", attrs...)
		return nil
	}
}

// securityHeaders sets the headers every response carries.
func (s *Server) securityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		h.Set("Content-Security-Policy", csp)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
		if s.cfg.Production() {
			h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
		}
		return next(c)
	}
}

// loadSession reads the session and its user once per request. A session whose user no longer
// exists is treated as signed out.
func (s *Server) loadSession(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		sess, err := s.sessions.Get(c.Request(), s.sessions.CookieName())
		if err != nil {
			return err
		}
		c.Set(ctxSession, sess)
		// The user is read with the session row, so role and tier changes apply at once.
		if u, ok := auth.SessionUser(sess); ok {
			c.Set(ctxUser, u)
		}
		if !sess.IsNew && s.sessions.NeedsRefresh(sess) {
			if err := sess.Save(c.Request(), c.Response()); err != nil {
				return err
			}
		}
		return next(c)
	}
}

// checkCSRF requires a CSRF token on every state-changing request: form field _csrf or header
// X-CSRF-Token. A signed-in session's token lives in its server-side row; a visitor's is signed
// with the session secret over a cookie nonce (no row), so neither can be forged by a cookie.
func (s *Server) checkCSRF(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		switch c.Request().Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
			return next(c)
		}
		// Read the body once, here, and refuse what cannot be read: net/http reports a parse error
		// only from the first parse and keeps the pairs it could decode, so without this a body
		// over the limit (sent chunked) became a 403 and a malformed pair vanished silently.
		if _, err := c.FormParams(); err != nil {
			var he *echo.HTTPError
			if errors.As(err, &he) && he.Code == http.StatusRequestEntityTooLarge {
				return he
			}
			return echo.NewHTTPError(http.StatusBadRequest, "The form could not be read. Reload the page and try again.")
		}
		// Either place may carry it: a form's field is always fresh, while a header set from
		// <meta> can be stale after an htmx-boosted sign-in (boost swaps the body, not <head>).
		if !s.csrfValid(c) {
			return echo.NewHTTPError(http.StatusForbidden, "This form has expired or did not come from liftplan. Reload the page and try again.")
		}
		return next(c)
	}
}

// sameOriginJSON is River UI's CSRF check. Its own scripts call its JSON API without our token;
// a cross-site page can neither send JSON without a CORS preflight nor fake
// Sec-Fetch-Site/Origin, so same-origin JSON is the check there (the admin guard still applies).
func (s *Server) sameOriginJSON(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		switch c.Request().Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
			return next(c)
		}
		if !isSameOriginJSON(c.Request()) {
			return echo.NewHTTPError(http.StatusForbidden, "Cross-site requests to the jobs UI are refused.")
		}
		return next(c)
	}
}

// requirePage lets signed-in users through and sends anonymous visitors to the sign-in page.
func (s *Server) requirePage(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if _, ok := currentUser(c); !ok {
			if isHTMX(c) {
				c.Response().Header().Set("HX-Redirect", "/login")
				return echo.NewHTTPError(http.StatusUnauthorized, "Sign in to continue.")
			}
			return c.Redirect(http.StatusSeeOther, "/login")
		}
		return next(c)
	}
}

// requireData answers 401 to anonymous requests for fragments, SSE and JSON.
func (s *Server) requireData(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if _, ok := currentUser(c); !ok {
			return echo.NewHTTPError(http.StatusUnauthorized, "Sign in to continue.")
		}
		return next(c)
	}
}

// requireRole builds a guard for the coach and admin areas (pages: anonymous → /login).
func (s *Server) requireRole(allowed func(auth.User) bool) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return s.requirePage(func(c echo.Context) error {
			u, _ := currentUser(c)
			if !allowed(u) {
				return echo.NewHTTPError(http.StatusForbidden, "This area is not part of your account.")
			}
			return next(c)
		})
	}
}

// anonOnly sends signed-in users away from the sign-in and sign-up pages.
func (s *Server) anonOnly(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if _, ok := currentUser(c); ok {
			return c.Redirect(http.StatusSeeOther, "/programs")
		}
		return next(c)
	}
}

func session(c echo.Context) *sessions.Session {
	sess, _ := c.Get(ctxSession).(*sessions.Session)
	return sess
}

func currentUser(c echo.Context) (auth.User, bool) {
	u, ok := c.Get(ctxUser).(auth.User)
	return u, ok
}

// readyTimeout bounds the /readyz database ping.
const readyTimeout = 2 * time.Second

func pingContext(c echo.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(c.Request().Context(), readyTimeout)
}

// isSameOriginJSON reports whether r is a JSON request from a page of this very site.
func isSameOriginJSON(r *http.Request) bool {
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		return false
	}
	if site := r.Header.Get("Sec-Fetch-Site"); site != "" {
		return site == "same-origin"
	}
	origin := r.Header.Get("Origin")
	if origin == "" {
		return false
	}
	u, err := url.Parse(origin)
	return err == nil && u.Host == r.Host
}
