// Package metrics defines liftplan's Prometheus collectors on a registry of its own (no globals),
// so tests and several servers in one process never collide.
package metrics

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// Metrics is every collector liftplan exports on /metrics.
type Metrics struct {
	// Registry is what /metrics serves.
	Registry *prometheus.Registry
	// HTTPDuration observes request latency by method, route template and status class (labels
	// from fixed sets: see Method, StatusClass, UnmatchedRoute, Canceled).
	HTTPDuration *prometheus.HistogramVec
	// LoginFailures counts rejected sign-ins by reason (credentials, throttled).
	LoginFailures *prometheus.CounterVec
}

// New registers liftplan's collectors plus the Go runtime and process collectors.
func New() *Metrics {
	reg := prometheus.NewRegistry()
	m := &Metrics{
		Registry: reg,
		HTTPDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "liftplan_http_request_duration_seconds",
			Help:    "HTTP request latency by method, route template and status class.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
		}, []string{"method", "route", "code"}),
		LoginFailures: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "liftplan_login_failures_total",
			Help: "Rejected sign-ins by reason.",
		}, []string{"reason"}),
	}
	reg.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		m.HTTPDuration, m.LoginFailures,
	)
	return m
}
