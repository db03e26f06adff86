package cache

import (
	"context"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// sizeTimeout bounds the size query a scrape runs, so a slow database cannot hang /metrics.
const sizeTimeout = 2 * time.Second

// counters are the cache's outcome counts since the process started. They are plain atomics
// exported through a custom collector, so /metrics and /admin read the very same numbers.
type counters struct {
	hits, misses, bypasses     atomic.Int64
	readErrors, writeErrors    atomic.Int64
	llmCallsSaved, tokensSaved atomic.Int64
}

// collector exports the counters and, on each scrape, the table's rows and bytes.
type collector struct {
	c    *counters
	size func(context.Context) (rows, bytes int64, err error)
	log  *slog.Logger

	hits, misses, bypasses, errors, callsSaved, tokensSaved, rows, bytes *prometheus.Desc
}

func newCollector(c *counters, size func(context.Context) (int64, int64, error), log *slog.Logger) *collector {
	return &collector{
		c: c, size: size, log: log,
		hits: prometheus.NewDesc("liftplan_cache_hits_total",
			"Submissions answered from the program cache.", nil, nil),
		misses: prometheus.NewDesc("liftplan_cache_misses_total",
			"Submissions that looked in the cache and went to the generator (no entry, expired, no longer valid, or a read error).", nil, nil),
		bypasses: prometheus.NewDesc("liftplan_cache_bypasses_total",
			"Submissions that skipped the cache read on purpose (Regenerate).", nil, nil),
		errors: prometheus.NewDesc("liftplan_cache_errors_total",
			"Cache reads and writes that failed; the generation went on without the cache.", []string{"op"}, nil),
		callsSaved: prometheus.NewDesc("liftplan_cache_llm_calls_saved_total",
			"Generator calls a cache hit made unnecessary.", nil, nil),
		tokensSaved: prometheus.NewDesc("liftplan_cache_tokens_saved_total",
			"LLM tokens (prompt and completion) the generations behind cache hits had cost.", nil, nil),
		rows: prometheus.NewDesc("liftplan_cache_rows",
			"Entries in ai_coach_cache, expired ones included until the janitor deletes them.", nil, nil),
		bytes: prometheus.NewDesc("liftplan_cache_bytes",
			"Size of ai_coach_cache on disk (pg_total_relation_size: table, indexes, TOAST).", nil, nil),
	}
}

// Describe implements prometheus.Collector.
func (c *collector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{c.hits, c.misses, c.bypasses, c.errors, c.callsSaved, c.tokensSaved, c.rows, c.bytes} {
		ch <- d
	}
}

// Collect implements prometheus.Collector.
func (c *collector) Collect(ch chan<- prometheus.Metric) {
	counter := func(d *prometheus.Desc, v *atomic.Int64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.CounterValue, float64(v.Load()), labels...)
	}
	counter(c.hits, &c.c.hits)
	counter(c.misses, &c.c.misses)
	counter(c.bypasses, &c.c.bypasses)
	counter(c.errors, &c.c.readErrors, "read")
	counter(c.errors, &c.c.writeErrors, "write")
	counter(c.callsSaved, &c.c.llmCallsSaved)
	counter(c.tokensSaved, &c.c.tokensSaved)

	ctx, cancel := context.WithTimeout(context.Background(), sizeTimeout)
	defer cancel()
	rows, bytes, err := c.size(ctx)
	if err != nil {
		// Leaving the gauges out keeps the rest of the scrape; an invalid metric would fail it all.
		c.log.Debug("cache size for metrics", "error", err)
		return
	}
	ch <- prometheus.MustNewConstMetric(c.rows, prometheus.GaugeValue, float64(rows))
	ch <- prometheus.MustNewConstMetric(c.bytes, prometheus.GaugeValue, float64(bytes))
}
