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
	var rows []bench.Row
	step := func(name string, f func() ([]bench.Row, error)) {
		if *only != "" && !strings.Contains(name, *only) {
			return
		}
		fmt.Fprintf(os.Stderr, "liftbench: %s…\n", name)
		r, err := run(f)
		if err != nil {
			fmt.Fprintf(os.Stderr, "liftbench: %s failed: %v\n", name, err)
			rows = append(rows, bench.Row{Name: name, Note: "FAILED: " + err.Error()})
			return
		}
		rows = append(rows, r...)
	}
	step("submit latency", func() ([]bench.Row, error) { return h.Submit(ctx) })
	step("cache hit", func() ([]bench.Row, error) { r, err := h.CacheHit(ctx, 200); return []bench.Row{r}, err })
	step("status propagation", func() ([]bench.Row, error) {
		lat, base, _, err := h.Propagation(ctx, 20, 1, 300)
		if err != nil {
			return nil, err
		}
		return []bench.Row{{Name: "status propagation (other process → SSE)", Unit: "ms", Median: lat.Median(), P99: lat.P99(),
			Baseline: base.Median(), BaselineName: "NOTIFY→LISTEN", Target: "p50 ≤ 10 ms, p99 ≤ 50 ms",
			OK: lat.Median() <= 10 && lat.P99() <= 50, Note: fmt.Sprintf("%d changes; baseline p99 %.2f ms", len(lat), base.P99())}}, nil
	})
	step("throughput", func() ([]bench.Row, error) { r, err := h.Throughput(ctx, 1000); return []bench.Row{r}, err })
	step("concurrency", func() ([]bench.Row, error) {
		r, err := h.Concurrency(ctx, 1000, 100, llmtest.RealPace)
		return []bench.Row{r}, err
	})
	step("LLM at a real pace", func() ([]bench.Row, error) { return h.LLMPace(ctx) })
	step("many watchers", func() ([]bench.Row, error) {
		lat, base, rss, err := h.Propagation(ctx, 100, 10, 50)
		if err != nil {
			return nil, err
		}
		return []bench.Row{{Name: "1,000 SSE watchers: propagation", Unit: "ms", Median: lat.Median(), P99: lat.P99(),
			Baseline: base.Median(), BaselineName: "NOTIFY→LISTEN", Target: "p99 ≤ 100 ms, RSS ≤ 150 MB",
			OK: lat.P99() <= 100 && rss <= 150, Note: fmt.Sprintf("server RSS %.0f MiB with 1,000 streams open; %d deliveries", rss, len(lat))}}, nil
	})
	step("generation CPU", func() ([]bench.Row, error) { r, err := h.GenerationCPU(ctx); return []bench.Row{r}, err })

	var table bytes.Buffer
	bench.WriteTable(&table, rows)
	fmt.Print(table.String())
	fmt.Fprintf(os.Stderr, "liftbench: done in %s\n", time.Since(start).Round(time.Second))

	if *only != "" {
		return
	}
	var doc bytes.Buffer
	fmt.Fprintf(&doc, "# liftplan benchmarks\n\nLast run: %s, `make bench` (%s).\n\n", time.Now().UTC().Format("2006-01-02 15:04 UTC"), time.Since(start).Round(time.Second))
	fmt.Fprintf(&doc, "Machine: %s, %d CPUs, %s; %s; PostgreSQL %s.\n\n", cpuModel(), runtime.NumCPU(), runtime.Version(), kernel(), pgVersion())
	doc.WriteString("Every figure is measured over HTTP from a separate process (`internal/bench`) against real `liftplan serve` processes on 127.0.0.1, with its baseline measured in the same run. Numbers on a 2-core machine are noisy: read the ratios.\n\n")
	doc.Write(table.Bytes())
	// Hand-written notes (profiles, before/after) live below the marker and survive every run.
	if old, err := os.ReadFile(*out); err == nil {
		if i := bytes.Index(old, []byte(notesMarker)); i >= 0 {
			doc.WriteString("\n")
			doc.Write(old[i:])
		}
	}
	if err := os.WriteFile(*out, doc.Bytes(), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "liftbench:", err)
		os.Exit(1)
	}
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
