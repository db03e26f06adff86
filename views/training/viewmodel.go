// Package training renders the training log: Today (one session, one exercise at a time on a
// phone), the set rows htmx swaps, the session feedback form, and the history with its e1RM
// charts. Components take these view models, never domain or database types.
package training

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// TodayView is one session to train.
type TodayView struct {
	ProgramID          int64
	Week, Day          int
	Label, Phase       string
	TargetRIR          int
	Completed, AllDone bool
	// ReadOnly is a coach's or admin's view: no forms.
	ReadOnly bool
	Owner    string
	Progress string
	PrevURL  string
	NextURL  string
	CSRF     string
	// Exercises in session order; the first not fully logged is Active.
	Exercises []ExerciseView
	// Feedback is the complete-session form; FeedbackErrors its field errors.
	Feedback       FeedbackView
	FeedbackErrors map[string]string
	// LogErrors are a refused set's field errors when its row is not on this page.
	LogErrors map[string]string
}

// ExerciseView is one exercise card.
type ExerciseView struct {
	Index, Count   int
	ID, Name       string
	Prescription   string // "3 × 6–10 reps at RIR 2, rest 2:30"
	Notes          string
	SuggestedKg    string // "" when nothing to suggest (the data attribute is then empty)
	SuggestionWhy  string
	LastTime       string
	E1RM           string
	RestSeconds    int
	Active, Done   bool
	Rows           []SetRowView
	IsHold         bool
	DisplayOnPhone string
}

// SetRowView is one set's form (or its logged values).
type SetRowView struct {
	ProgramID   int64
	Week, Day   int
	ExerciseID  string
	SetNo       int
	ClientKey   string
	WeightKg    string
	Reps        string
	RIR         string
	Logged      bool
	RestSeconds int
	IsHold      bool
	ReadOnly    bool
	CSRF        string
	Errors      map[string]string
}

// FeedbackView is the complete-session form.
type FeedbackView struct {
	Soreness, Pump, JointPain string
	Painful                   []string
	Exercises                 []Choice
}

// Choice is one option of a radio or checkbox group.
type Choice struct{ Value, Label string }

// HistoryView is a program's log.
type HistoryView struct {
	ProgramID int64
	Owner     string
	CanLog    bool
	CSRF      string
	Sessions  []HistorySession
	Charts    []Chart
}

// HistorySession is one logged session.
type HistorySession struct {
	Title    string
	Date     string
	Feedback string
	Rows     []HistoryRow
}

// HistoryRow is one logged set.
type HistoryRow struct{ Exercise, Set, Load, Reps, RIR string }

// Chart is one exercise's e1RM over time, drawn as SVG.
type Chart struct {
	ExerciseID, Name string
	Points           []ChartPoint
	Latest           string
}

// ChartPoint is one session's e1RM.
type ChartPoint struct {
	Label string
	Kg    float64
}

// Chart geometry (viewBox units).
const (
	chartW   = 320
	chartH   = 120
	chartPad = 14
	// chartLeft leaves room for the kg labels.
	chartLeft = 56
)

// Polyline is the SVG points attribute of the chart.
func (c Chart) Polyline() string {
	pts := c.coords()
	parts := make([]string, len(pts))
	for i, p := range pts {
		parts[i] = fmt.Sprintf("%.1f,%.1f", p[0], p[1])
	}
	return strings.Join(parts, " ")
}

// Dots are the circle centres of the chart.
func (c Chart) Dots() [][2]float64 { return c.coords() }

// bounds is the chart's kg range, at least 2 kg tall so a flat line sits in the middle.
func (c Chart) bounds() (lo, hi float64) {
	lo, hi = c.Points[0].Kg, c.Points[0].Kg
	for _, p := range c.Points {
		lo, hi = min(lo, p.Kg), max(hi, p.Kg)
	}
	if hi-lo < 1 {
		lo, hi = lo-1, hi+1
	}
	return lo, hi
}

// Top and Bottom label the chart's kg range.
func (c Chart) Top() string    { _, hi := c.bounds(); return f1(hi) + " kg" }
func (c Chart) Bottom() string { lo, _ := c.bounds(); return f1(lo) + " kg" }

// Summary says in words what the chart shows (also for screen readers).
func (c Chart) Summary() string {
	if len(c.Points) == 1 {
		return "one session so far"
	}
	first, last := c.Points[0].Kg, c.Points[len(c.Points)-1].Kg
	return fmt.Sprintf("%d sessions, %+.1f kg since the first", len(c.Points), last-first)
}

func (c Chart) coords() [][2]float64 {
	lo, hi := c.bounds()
	out := make([][2]float64, len(c.Points))
	for i, p := range c.Points {
		x := float64(chartLeft+chartW-chartPad) / 2
		if len(c.Points) > 1 {
			x = chartLeft + float64(i)*float64(chartW-chartLeft-chartPad)/float64(len(c.Points)-1)
		}
		y := chartPad + (hi-p.Kg)*float64(chartH-2*chartPad)/(hi-lo)
		out[i] = [2]float64{x, y}
	}
	return out
}

// ViewBox is the chart's viewBox attribute.
func ViewBox() string { return "0 0 " + strconv.Itoa(chartW) + " " + strconv.Itoa(chartH) }

func itoa(n int) string                       { return strconv.Itoa(n) }
func i64(n int64) string                      { return strconv.FormatInt(n, 10) }
func f1(f float64) string                     { return strconv.FormatFloat(f, 'f', 1, 64) }
func programURL(id int64, rest string) string { return "/programs/" + i64(id) + rest }

// LogURL is the form action of a set row.
func (r SetRowView) LogURL() string { return programURL(r.ProgramID, "/log") }

// RowID is the row's element id.
func (r SetRowView) RowID() string { return "set-" + r.ExerciseID + "-" + itoa(r.SetNo) }

// CompleteURL is the complete-session form action.
func (v TodayView) CompleteURL() string {
	return programURL(v.ProgramID, "/sessions/"+itoa(v.Week)+"/"+itoa(v.Day)+"/complete")
}

// AdherenceView is one client's adherence line.
type AdherenceView struct {
	ProgramID       int64
	Logged, Planned int
	Last            string
	PainFlags       int
	// Ready: the latest block is completed, so the coach may start the next one.
	Ready bool
}

func boolAttr(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

func invalid(errs map[string]string, field string) string { return boolAttr(errs[field] != "") }

func sortedKeys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
