package web

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"log/slog"
	"time"

	"github.com/labstack/echo/v4"

	"liftplan/internal/auth"
	"liftplan/internal/metrics"
)

// maxRequestIDLen bounds an accepted X-Request-Id: longer or fancier ones are replaced, so a
// client cannot put arbitrary text into our logs and response headers.
const maxRequestIDLen = 64

// requestID keeps the client's (or proxy's) X-Request-Id when it is short and plain
// (letters, digits, '-', '_', '.', ':'), and makes a fresh one otherwise.
func (s *Server) requestID(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		id := c.Request().Header.Get(echo.HeaderXRequestID)
		if !plainRequestID(id) {
			b := make([]byte, 16)
			_, _ = rand.Read(b)
			id = hex.EncodeToString(b)
			c.Request().Header.Set(echo.HeaderXRequestID, id)
		}
		c.Response().Header().Set(echo.HeaderXRequestID, id)
		return next(c)
	}
}

func plainRequestID(id string) bool {
	if id == "" || len(id) > maxRequestIDLen {
		return false
	}
	for i := 0; i < len(id); i++ {
		switch ch := id[i]; {
		case ch >= 'a' && ch <= 'z', ch >= 'A' && ch <= 'Z', ch >= '0' && ch <= '9', ch == '-', ch == '_', ch == '.', ch == ':':
		default:
			return false
		}
	}
	return true
}

// clientGone reports whether a request failed because its client hung up: the error is moot
// (nobody reads the answer), so it is neither a 500 in the log nor one in the error metrics.
func clientGone(c echo.Context, err error) bool {
	return err != nil && errors.Is(c.Request().Context().Err(), context.Canceled)
}

// logClientGone logs a request whose client disconnected and counts it under metrics.Canceled.
func (s *Server) logClientGone(c echo.Context, route string, elapsed time.Duration, err error) {
	s.metrics.HTTPDuration.WithLabelValues(metrics.Method(c.Request().Method), route, metrics.Canceled).Observe(elapsed.Seconds())
	s.log.LogAttrs(c.Request().Context(), slog.LevelInfo, "client disconnected",
		slog.String("method", c.Request().Method), slog.String("path", c.Request().URL.Path),
		slog.Duration("duration", elapsed), slog.String("request_id", c.Response().Header().Get(echo.HeaderXRequestID)),
		slog.String("error", err.Error()))
}

// routeLabel is the request's route template when it is one liftplan registered, else
// metrics.UnmatchedRoute: the label set is the route table, whatever paths clients invent.
func (s *Server) routeLabel(c echo.Context) string {
	if p := c.Path(); s.routeSet[p] {
		return p
	}
	return metrics.UnmatchedRoute
}

// registeredRoutes is the set of route templates of e.
func registeredRoutes(e *echo.Echo) map[string]bool {
	set := map[string]bool{}
	for _, r := range e.Routes() {
		set[r.Path] = true
	}
	return set
}

// csrfValid reports whether the request carries a valid CSRF token in the form body or the
// X-CSRF-Token header — never the query string, which leaks into logs, Referer and history.
// A signed-in session checks its own token; a visitor without one the signed double-submit token.
func (s *Server) csrfValid(c echo.Context) bool {
	r := c.Request()
	header, field := r.Header.Get("X-CSRF-Token"), r.PostFormValue("_csrf")
	if sess := session(c); sess != nil && (auth.CheckCSRF(sess, header) || auth.CheckCSRF(sess, field)) {
		return true
	}
	if _, signedIn := currentUser(c); signedIn {
		return false
	}
	return s.sessions.CheckAnonCSRF(r, header) || s.sessions.CheckAnonCSRF(r, field)
}
