// Package bench is liftplan's benchmark harness: it starts real `liftplan serve` processes on a
// private database and drives them over HTTP from this separate process, on 127.0.0.1 only,
// bounded in count and time. Every figure is printed with its median, p99 and the ratio to a
// baseline measured in the same run, because numbers on a 2-core machine are noisy.
package bench

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
)

// Row is one line of the result table.
type Row struct {
	Name     string
	Unit     string // "ms" for latencies, "/s" for rates
	Median   float64
	P99      float64
	Baseline float64
	// BaselineName says what the baseline is.
	BaselineName string
	Target       string
	// OK is whether the target was met.
	OK   bool
	Note string
}

// Ratio is median ÷ baseline (for rates, the same: higher is better there).
func (r Row) Ratio() string {
	if r.Baseline == 0 {
		return "–"
	}
	return fmt.Sprintf("%.2f×", r.Median/r.Baseline)
}

// durations summarises latencies in milliseconds.
type durations []time.Duration

func (d durations) ms(q float64) float64 {
	if len(d) == 0 {
		return 0
	}
	s := slices.Clone(d)
	slices.Sort(s)
	i := int(q * float64(len(s)-1))
	return float64(s[i].Microseconds()) / 1000
}

// Median is the 50th percentile in ms.
func (d durations) Median() float64 { return d.ms(0.5) }

// P99 is the 99th percentile in ms.
func (d durations) P99() float64 { return d.ms(0.99) }

// WriteTable prints rows as a Markdown table (readable in a terminal too).
func WriteTable(w io.Writer, rows []Row) {
	fmt.Fprintln(w, "| figure | median | p99 | baseline | ratio | target | met | note |")
	fmt.Fprintln(w, "|---|---:|---:|---|---:|---|:-:|---|")
	for _, r := range rows {
		met := "yes"
		if !r.OK {
			met = "**no**"
		}
		base := "–"
		if r.Baseline != 0 {
			base = fmt.Sprintf("%s %s", num(r.Baseline, r.Unit), r.BaselineName)
		}
		p99 := "–"
		if r.P99 != 0 {
			p99 = num(r.P99, r.Unit)
		}
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s | %s | %s |\n", r.Name, num(r.Median, r.Unit), p99,
			base, r.Ratio(), r.Target, met, strings.ReplaceAll(r.Note, "|", "/"))
	}
}

func num(v float64, unit string) string {
	switch {
	case unit == "":
		return fmt.Sprintf("%.0f", v)
	case v >= 100:
		return fmt.Sprintf("%.0f %s", v, unit)
	case v >= 10:
		return fmt.Sprintf("%.1f %s", v, unit)
	default:
		return fmt.Sprintf("%.2f %s", v, unit)
	}
}
