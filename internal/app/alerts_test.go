package app

import (
	"log/slog"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/common/model"
	"github.com/prometheus/prometheus/model/rulefmt"
	"github.com/prometheus/prometheus/promql/parser"

	"liftplan/internal/cache"
	"liftplan/internal/llm"
	"liftplan/internal/metrics"
	"liftplan/internal/testdb"
)

// recorder is a Registerer that keeps what is registered, so the test can read every metric
// name liftplan exports — even vectors that have not been observed yet.
type recorder struct {
	*prometheus.Registry
	collectors []prometheus.Collector
}

func (r *recorder) Register(c prometheus.Collector) error {
	r.collectors = append(r.collectors, c)
	return r.Registry.Register(c)
}

var fqName = regexp.MustCompile(`fqName: "([^"]+)"`)

// exportedNames registers every collector the serve command registers and lists their names.
func exportedNames(t *testing.T) map[string]bool {
	t.Helper()
	m := metrics.New()
	rec := &recorder{Registry: m.Registry}
	if err := m.RegisterDB(testdb.New(t)); err != nil {
		t.Fatal(err)
	}
	if _, err := cache.New(cache.Options{Pool: testdb.New(t), TTL: 1, Registerer: rec, Log: slog.New(slog.DiscardHandler)}); err != nil {
		t.Fatal(err)
	}
	if _, err := llm.NewMetrics(rec); err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	ch := make(chan *prometheus.Desc, 100)
	go func() {
		m.Registry.Describe(ch) // liftplan's own collectors and the database gauges
		close(ch)
	}()
	for d := range ch {
		if m := fqName.FindStringSubmatch(d.String()); m != nil {
			names[m[1]] = true
		}
	}
	return names
}

// TestAlertRules parses alerts.yml as Prometheus does (rulefmt, PromQL) and checks that every
// metric it uses is one liftplan exports, so a renamed metric cannot silently disarm an alert.
func TestAlertRules(t *testing.T) {
	promql := parser.NewParser(parser.Options{})
	groups, errs := rulefmt.Parse(metrics.AlertRules, false, model.UTF8Validation, promql, slog.New(slog.DiscardHandler))
	if len(errs) > 0 {
		t.Fatalf("alerts.yml does not parse: %v", errs)
	}
	exported := exportedNames(t)
	want := map[string]bool{"LiftplanGenerationFailureRateHigh": false, "LiftplanPendingProgramTooOld": false,
		"LiftplanCacheErrors": false, "LiftplanLLMErrorRateHigh": false, "LiftplanDatabaseUnreachable": false}
	for _, g := range groups.Groups {
		for _, r := range g.Rules {
			if r.Alert == "" {
				continue
			}
			want[r.Alert] = true
			if r.Labels["severity"] == "" || r.Annotations["summary"] == "" {
				t.Errorf("%s lacks a severity label or a summary", r.Alert)
			}
			expr, err := promql.ParseExpr(r.Expr)
			if err != nil {
				t.Errorf("%s: %v", r.Alert, err)
				continue
			}
			for _, sel := range parser.ExtractSelectors(expr) {
				for _, m := range sel {
					if m.Name == "__name__" && !exported[m.Value] {
						t.Errorf("%s uses %s, which liftplan does not export", r.Alert, m.Value)
					}
				}
			}
		}
	}
	var missing []string
	for name, seen := range want {
		if !seen {
			missing = append(missing, name)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("alerts missing: %s", strings.Join(missing, ", "))
	}
}
