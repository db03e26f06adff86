// Package reliability proves that liftplan survives what production does to it: a worker
// killed with SIGKILL mid-generation, a graceful stop during running jobs, a PostgreSQL restart
// under load, and an LLM provider answering with rate limits, gateway errors, garbage and
// timeouts. The scenarios are tests in this package; they run real `liftplan serve` child
// processes against the fake OpenAI-compatible server of internal/llm/llmtest.
//
// Sizes: LIFTPLAN_RELIABILITY=full runs the sizes of issue 8 (50 / 20 / 100 / 200 programs);
// otherwise a bounded form runs as part of `make test`. Each scenario logs a one-line summary
// and, when LIFTPLAN_RELIABILITY_REPORT names a file, appends a Markdown table row to it;
// `make reliability` turns those rows into RELIABILITY.md (cmd/reliabilityreport).
package reliability

import (
	"fmt"
	"os"
	"strings"
	"time"
)

// Figures are one scenario's results, the columns of RELIABILITY.md.
type Figures struct {
	Scenario   string
	Submitted  int
	Completed  int // completed without manual intervention
	Failed     int // failed before any manual retry
	Duplicated int // programs with more than one row or more than one completion
	Stuck      int // still pending or processing at the end
	// Recovery is the scenario's recovery times, e.g. "all completed 14.2 s after restart".
	Recovery string
	// Notes is anything else worth reading next to the numbers.
	Notes string
	Took  time.Duration
}

// Summary is the fixed one-line format the tests log.
func (f Figures) Summary() string {
	return fmt.Sprintf("reliability %s: submitted=%d completed=%d failed=%d duplicated=%d stuck=%d took=%s recovery=%q notes=%q",
		f.Scenario, f.Submitted, f.Completed, f.Failed, f.Duplicated, f.Stuck, f.Took.Round(100*time.Millisecond), f.Recovery, f.Notes)
}

// TableHeader is the header of the rows Row writes.
const TableHeader = "| scenario | submitted | completed | failed | duplicated | stuck | recovery | notes | took |\n" +
	"|---|---:|---:|---:|---:|---:|---|---|---:|\n"

// Row is the figures as one Markdown table row.
func (f Figures) Row() string {
	esc := func(s string) string { return strings.ReplaceAll(s, "|", `\|`) }
	return fmt.Sprintf("| %s | %d | %d | %d | %d | %d | %s | %s | %s |\n", esc(f.Scenario), f.Submitted, f.Completed, f.Failed,
		f.Duplicated, f.Stuck, esc(f.Recovery), esc(f.Notes), f.Took.Round(100*time.Millisecond))
}

// AppendRow appends the row to path (LIFTPLAN_RELIABILITY_REPORT).
func AppendRow(path string, f Figures) error {
	fh, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return fmt.Errorf("reliability report: %w", err)
	}
	_, err = fh.WriteString(f.Row())
	if cerr := fh.Close(); err == nil {
		err = cerr
	}
	return err
}
