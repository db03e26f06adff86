package metrics

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"

	"liftplan/internal/db/dbq"
)

// dbCollector reads generation health from PostgreSQL at scrape time: the program row is the
// truth, so every instance reports the same figures and nothing has to be kept in memory.
type dbCollector struct {
	q          *dbq.Queries
	programs   *prometheus.Desc
	oldest     *prometheus.Desc
	queueDepth *prometheus.Desc
	up         *prometheus.Desc
}

// RegisterDB adds the database-derived gauges: programs by status, the age of the oldest pending
// program, and the generation queue depth.
func (m *Metrics) RegisterDB(pool *pgxpool.Pool) error {
	return m.Registry.Register(&dbCollector{
		q:          dbq.New(pool),
		programs:   prometheus.NewDesc("liftplan_programs", "Programs by generation status.", []string{"status"}, nil),
		oldest:     prometheus.NewDesc("liftplan_oldest_pending_program_age_seconds", "Age of the oldest pending program (0 when none).", nil, nil),
		queueDepth: prometheus.NewDesc("liftplan_generation_queue_depth", "Generation jobs waiting to run.", nil, nil),
		up:         prometheus.NewDesc("liftplan_database_scrape_success", "1 when the database answered the metrics queries.", nil, nil),
	})
}

// Describe implements prometheus.Collector.
func (c *dbCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.programs
	ch <- c.oldest
	ch <- c.queueDepth
	ch <- c.up
}

// Collect implements prometheus.Collector; a slow or absent database costs at most 2 s.
func (c *dbCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	counts, err := c.q.CountProgramsByStatus(ctx)
	if err != nil {
		ch <- prometheus.MustNewConstMetric(c.up, prometheus.GaugeValue, 0)
		return
	}
	byStatus := map[string]float64{"pending": 0, "processing": 0, "completed": 0, "failed": 0}
	for _, r := range counts {
		byStatus[string(r.GenerationStatus)] = float64(r.N)
	}
	for s, n := range byStatus {
		ch <- prometheus.MustNewConstMetric(c.programs, prometheus.GaugeValue, n, s)
	}
	qs, err := c.q.QueueStats(ctx)
	if err != nil {
		ch <- prometheus.MustNewConstMetric(c.up, prometheus.GaugeValue, 0)
		return
	}
	ch <- prometheus.MustNewConstMetric(c.oldest, prometheus.GaugeValue, qs.OldestPendingSeconds)
	ch <- prometheus.MustNewConstMetric(c.queueDepth, prometheus.GaugeValue, float64(qs.Queued))
	ch <- prometheus.MustNewConstMetric(c.up, prometheus.GaugeValue, 1)
}
