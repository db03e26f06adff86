// Command liftbench runs liftplan's benchmark harness (make bench): it prints one table and
// writes BENCHMARKS.md.
package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"time"

	"liftplan/internal/bench"
	"liftplan/internal/llm/llmtest"
)

func main() {
	binary := flag.String("binary", "bin/liftplan", "the liftplan binary to benchmark")
	out := flag.String("out", "BENCHMARKS.md", "where to write the result")
	only := flag.String("only", "", "run only the steps whose name contains this (the table goes to stdout; BENCHMARKS.md is left alone)")
	flag.Parse()
	dbURL := os.Getenv("DATABASE_URL")
	if dbURL == "" {
		fmt.Fprintln(os.Stderr, "liftbench: DATABASE_URL is required (make bench sets it)")
		os.Exit(2)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 14*time.Minute)
	defer cancel()
	h := &bench.Harness{Binary: *binary, BaseURL: dbURL}
	start := time.Now()
	rows := runSteps(steps(ctx, h), *only)

	var table bytes.Buffer
	bench.WriteTable(&table, rows)
	fmt.Print(table.String())
	fmt.Fprintf(os.Stderr, "liftbench: done in %s\n", time.Since(start).Round(time.Second))
	if *only != "" {
		return
	}
	if err := writeDoc(*out, table.Bytes(), time.Since(start)); err != nil {
		fmt.Fprintln(os.Stderr, "liftbench:", err)
		os.Exit(1)
	}
}

// step is one named benchmark scenario.
type step struct {
	name string
	run  func() ([]bench.Row, error)
}

// one adapts a scenario that measures a single row.
func one(f func() (bench.Row, error)) func() ([]bench.Row, error) {
	return func() ([]bench.Row, error) { r, err := f(); return []bench.Row{r}, err }
}

// steps lists every scenario of make bench, in the order of the table.
func steps(ctx context.Context, h *bench.Harness) []step {
	return []step{
		{"submit latency", func() ([]bench.Row, error) { return h.Submit(ctx) }},
		{"cache hit", one(func() (bench.Row, error) { return h.CacheHit(ctx, 200) })},
		{"status propagation", one(func() (bench.Row, error) { return propagationRow(ctx, h) })},
		{"throughput", one(func() (bench.Row, error) { return h.Throughput(ctx, 1000) })},
		{"concurrency", one(func() (bench.Row, error) { return h.Concurrency(ctx, 1000, 100, llmtest.RealPace) })},
		{"LLM at a real pace", func() ([]bench.Row, error) { return h.LLMPace(ctx) }},
		{"many watchers", one(func() (bench.Row, error) { return watchersRow(ctx, h) })},
		{"generation CPU", one(func() (bench.Row, error) { return h.GenerationCPU(ctx) })},
	}
}

// runSteps runs the steps whose name contains only (all when empty); a failed step becomes a
// FAILED row instead of stopping the run.
func runSteps(all []step, only string) []bench.Row {
	var rows []bench.Row
	for _, s := range all {
		if only != "" && !strings.Contains(s.name, only) {
			continue
		}
		fmt.Fprintf(os.Stderr, "liftbench: %s…\n", s.name)
		r, err := run(s.run)
		if err != nil {
			fmt.Fprintf(os.Stderr, "liftbench: %s failed: %v\n", s.name, err)
			rows = append(rows, bench.Row{Name: s.name, Note: "FAILED: " + err.Error()})
			continue
		}
		rows = append(rows, r...)
	}
	return rows
}

// propagationRow is one status change from another process to one SSE watcher.
func propagationRow(ctx context.Context, h *bench.Harness) (bench.Row, error) {
	lat, base, _, err := h.Propagation(ctx, 20, 1, 300)
	if err != nil {
		return bench.Row{}, err
	}
	return bench.Row{Name: "status propagation (other process → SSE)", Unit: "ms", Median: lat.Median(), P99: lat.P99(),
		Baseline: base.Median(), BaselineName: "NOTIFY→LISTEN", Target: "p50 ≤ 10 ms, p99 ≤ 50 ms",
		OK: lat.Median() <= 10 && lat.P99() <= 50, Note: fmt.Sprintf("%d changes; baseline p99 %.2f ms", len(lat), base.P99())}, nil
}

// watchersRow is the same propagation with 1,000 streams open, and the server's memory.
func watchersRow(ctx context.Context, h *bench.Harness) (bench.Row, error) {
	lat, base, rss, err := h.Propagation(ctx, 100, 10, 50)
	if err != nil {
		return bench.Row{}, err
	}
	return bench.Row{Name: "1,000 SSE watchers: propagation", Unit: "ms", Median: lat.Median(), P99: lat.P99(),
		Baseline: base.Median(), BaselineName: "NOTIFY→LISTEN", Target: "p99 ≤ 100 ms, RSS ≤ 150 MB",
		OK: lat.P99() <= 100 && rss <= 150, Note: fmt.Sprintf("server RSS %.0f MiB with 1,000 streams open; %d deliveries", rss, len(lat))}, nil
}

// writeDoc writes BENCHMARKS.md: the header, the machine, the table, and the hand-written notes
// kept from the previous file.
func writeDoc(out string, table []byte, took time.Duration) error {
	var doc bytes.Buffer
	fmt.Fprintf(&doc, "# liftplan benchmarks\n\nLast run: %s, `make bench` (%s).\n\n", time.Now().UTC().Format("2006-01-02 15:04 UTC"), took.Round(time.Second))
	fmt.Fprintf(&doc, "Machine: %s, %d CPUs, %s; %s; PostgreSQL %s.\n\n", cpuModel(), runtime.NumCPU(), runtime.Version(), kernel(), pgVersion())
	doc.WriteString("Every figure is measured over HTTP from a separate process (`internal/bench`) against real `liftplan serve` processes on 127.0.0.1, with its baseline measured in the same run. Numbers on a 2-core machine are noisy: read the ratios.\n\n")
	doc.Write(table)
	// Hand-written notes (profiles, before/after) live below the marker and survive every run.
	if old, err := os.ReadFile(out); err == nil {
		if i := bytes.Index(old, []byte(notesMarker)); i >= 0 {
			doc.WriteString("\n")
			doc.Write(old[i:])
		}
	}
	return os.WriteFile(out, doc.Bytes(), 0o644)
}

// notesMarker starts the part of BENCHMARKS.md that people write.
const notesMarker = "<!-- notes: kept by make bench -->"

// run calls f and turns a panic (a failed request inside a scenario) into an error.
func run(f func() ([]bench.Row, error)) (rows []bench.Row, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%v", r)
		}
	}()
	return f()
}

func cpuModel() string {
	b, _ := os.ReadFile("/proc/cpuinfo")
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "model name") {
			return strings.TrimSpace(strings.SplitN(line, ":", 2)[1])
		}
	}
	return runtime.GOARCH
}

func kernel() string {
	out, err := exec.Command("uname", "-sr").Output()
	if err != nil {
		return runtime.GOOS
	}
	return strings.TrimSpace(string(out))
}

func pgVersion() string {
	out, err := exec.Command("psql", "--version").Output()
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(out)) // "psql (PostgreSQL) 15.20 (Debian …)"
	if len(f) < 3 {
		return strings.TrimSpace(string(out))
	}
	return f[2]
}
