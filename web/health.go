package web

import (
	"crypto/subtle"
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// healthz answers while the process runs; it never touches the database.
func (s *Server) healthz(c echo.Context) error {
	return c.String(http.StatusOK, "ok")
}

// readyz answers 200 only while the database answers, so a load balancer stops sending traffic
// to an instance that cannot serve it.
func (s *Server) readyz(c echo.Context) error {
	ctx, cancel := pingContext(c)
	defer cancel()
	if err := s.db.Ping(ctx); err != nil {
		return c.String(http.StatusServiceUnavailable, "database unavailable")
	}
	return c.String(http.StatusOK, "ready")
}

// metricsHandler serves Prometheus metrics, behind a bearer token when METRICS_TOKEN is set.
func (s *Server) metricsHandler() echo.HandlerFunc {
	h := promhttp.HandlerFor(s.metrics.Registry, promhttp.HandlerOpts{})
	token := s.cfg.MetricsToken
	return func(c echo.Context) error {
		if token != "" {
			got := c.Request().Header.Get("Authorization")
			if subtle.ConstantTimeCompare([]byte(got), []byte("Bearer "+token)) != 1 {
				c.Response().Header().Set("WWW-Authenticate", `Bearer realm="metrics"`)
				return c.String(http.StatusUnauthorized, "metrics need the bearer token")
			}
		}
		h.ServeHTTP(c.Response(), c.Request())
		return nil
	}
}
