package llm

import (
	"fmt"

	"github.com/prometheus/client_golang/prometheus"
)

// Metrics are the LLM provider's Prometheus collectors. They are registered on the registerer
// the caller passes (the one /metrics serves), never on the global default registry.
type Metrics struct {
	// Generations counts Generate calls by outcome: ok, repaired, invalid, refused, truncated,
	// transient_error, permanent_error.
	Generations *prometheus.CounterVec
	// Requests counts chat-completion calls (the first request and repairs) by outcome (ok, error).
	Requests *prometheus.CounterVec
	// RequestDuration observes the latency of one chat-completion call, transport retries included.
	RequestDuration prometheus.Histogram
	// Tokens counts tokens by kind (prompt, completion).
	Tokens *prometheus.CounterVec
	// Attempts counts HTTP attempts by result (2xx, http_429, timeout, connection_error …).
	Attempts *prometheus.CounterVec
	// Retries counts transport retries by reason.
	Retries *prometheus.CounterVec
	// Repairs counts repair requests by outcome (fixed, failed).
	Repairs *prometheus.CounterVec
}

// NewMetrics creates the collectors and registers them on reg; a nil reg leaves them
// unregistered (tests that do not look at metrics).
func NewMetrics(reg prometheus.Registerer) (*Metrics, error) {
	m := &Metrics{
		Generations: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "liftplan_llm_generations_total",
			Help: "LLM program generations by outcome.",
		}, []string{"outcome"}),
		Requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "liftplan_llm_requests_total",
			Help: "Chat-completion calls (first request and repairs) by outcome.",
		}, []string{"outcome"}),
		RequestDuration: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "liftplan_llm_request_duration_seconds",
			Help:    "Latency of one chat-completion call, transport retries included.",
			Buckets: []float64{.25, .5, 1, 2.5, 5, 10, 20, 40, 60, 120, 300},
		}),
		Tokens: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "liftplan_llm_tokens_total",
			Help: "LLM tokens used, by kind (prompt, completion).",
		}, []string{"kind"}),
		Attempts: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "liftplan_llm_http_attempts_total",
			Help: "HTTP attempts sent to the LLM server, by result.",
		}, []string{"result"}),
		Retries: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "liftplan_llm_http_retries_total",
			Help: "HTTP attempts retried by the transport, by reason.",
		}, []string{"reason"}),
		Repairs: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "liftplan_llm_repairs_total",
			Help: "Repair requests after an unusable answer, by outcome (fixed, failed).",
		}, []string{"outcome"}),
	}
	if reg == nil {
		return m, nil
	}
	for _, c := range []prometheus.Collector{m.Generations, m.Requests, m.RequestDuration, m.Tokens, m.Attempts, m.Retries, m.Repairs} {
		if err := reg.Register(c); err != nil {
			return nil, fmt.Errorf("register llm metrics: %w", err)
		}
	}
	return m, nil
}
