package web

import (
	"crypto/subtle"
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
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
	return echo.WrapHandler(metricsHTTP(s.metrics.Registry, s.cfg.MetricsToken))
}

// MetricsHandler is the handler of the METRICS_ADDR listener: /metrics only (behind
// METRICS_TOKEN when set), every other path 404. The main listener then has no /metrics.
func MetricsHandler(reg *prometheus.Registry, token string) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", metricsHTTP(reg, token))
	return mux
}

// metricsHTTP is the Prometheus text format of reg, behind a bearer token when token is set.
func metricsHTTP(reg *prometheus.Registry, token string) http.Handler {
	h := promhttp.HandlerFor(reg, promhttp.HandlerOpts{})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if token != "" {
			got := r.Header.Get("Authorization")
			if subtle.ConstantTimeCompare([]byte(got), []byte("Bearer "+token)) != 1 {
				w.Header().Set("WWW-Authenticate", `Bearer realm="metrics"`)
				http.Error(w, "metrics need the bearer token", http.StatusUnauthorized)
				return
			}
		}
		h.ServeHTTP(w, r)
	})
}
