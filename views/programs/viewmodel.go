package programs

import (
	"fmt"
	"strings"
	"time"
)

// Choice is one option of a select, radio or checkbox group.
type Choice struct {
	Value, Label, Help string
}

// FormView is the onboarding form: current values, choices and field errors.
type FormView struct {
	Goal, Experience         string
	DaysPerWeek              int
	SessionMinutes           int
	Equipment, Injuries      []string
	WeakPoints               []string
	Notes                    string
	IdempotencyKey           string
	Errors                   map[string]string
	Goals, Levels            []Choice
	EquipmentKinds           []Choice
	InjuryKinds, MuscleKinds []Choice
	// Prefilled says the values come from the user's last answers.
	Prefilled bool
}

// Checked reports whether value is among the selected values.
func Checked(selected []string, value string) bool {
	for _, s := range selected {
		if s == value {
			return true
		}
	}
	return false
}

// HistoryRow is one line of the program history.
type HistoryRow struct {
	ID          int64
	Status      string
	Step        string
	Source      string
	Goal        string
	Summary     string
	CreatedAt   time.Time
	CompletedAt *time.Time
}

// StatusView is the live status element: the same component for the page, the poll endpoint
// and SSE.
type StatusView struct {
	ID          int64
	Status      string
	Step        string
	Attempt     int
	MaxAttempts int
	// Message is the user-facing error (failed) or the retry note (pending).
	Message string
	// CanRetry shows the Try again button (the owner or an admin on a failed program).
	CanRetry bool
	CSRF     string
	// Program is set once completed.
	Program *ProgramView
	// Headline is the sentence for the status and step.
	Headline string
	// DraftDays are the labels of the days an LLM has written so far while it streams
	// (data-days-ready is their count; empty until the first day is complete).
	DraftDays []string
}

// Terminal reports whether the status will not change any more.
func (s StatusView) Terminal() bool { return s.Status == "completed" || s.Status == "failed" }

// Sentence is the human sentence for the status and step (internal/programs words it).
func (s StatusView) Sentence() string { return s.Headline }

// AttemptNote is "attempt 2 of 3" once a retry happened.
func (s StatusView) AttemptNote() string {
	if s.Attempt > 1 && s.MaxAttempts > 0 {
		return fmt.Sprintf("Attempt %d of %d.", s.Attempt, s.MaxAttempts)
	}
	return ""
}

// ProgramView is a completed program as the page shows it.
type ProgramView struct {
	ID           int64
	Name         string
	Summary      string
	Rationale    string
	Source       string
	Model        string
	Weeks        []WeekTab
	Week         WeekView
	Chart        Chart
	Warnings     []string
	Fixes        []string
	Regenerate   bool
	LandmarkNote string
	// Admin is the LLM accounting, set only when the viewer is an admin and an LLM wrote it.
	Admin *AdminAccounting
}

// AdminAccounting is what an LLM generation cost, shown to admins on the program.
type AdminAccounting struct {
	ModelRequested, ModelReturned  string
	PromptTokens, CompletionTokens int
	LatencyMS                      int
	// Attempts counts HTTP requests (transport retries and repairs included); Repairs counts
	// repair requests.
	Attempts, Repairs int
}

// WeekTab is one entry of the week selector.
type WeekTab struct {
	Number   int
	Label    string
	Selected bool
	URL      string
}

// WeekView is the selected week.
type WeekView struct {
	Number    int
	Phase     string
	TargetRIR int
	Days      []DayView
}

// DayView is one session.
type DayView struct {
	Label     string
	Minutes   int
	Exercises []ExerciseView
}

// ExerciseView is one prescription line.
type ExerciseView struct {
	Name      string
	Muscles   string
	Sets      int
	Reps      string
	RIR       int
	Rest      string
	Notes     string
	Rationale string
}

// Chart is the weekly direct sets per muscle against its MEV–MRV band, drawn as SVG.
type Chart struct {
	Width, Height int
	Rows          []ChartRow
	Ticks         []ChartTick
	Title         string
}

// ChartRow is one muscle's bar and band, in SVG coordinates.
type ChartRow struct {
	Muscle             string
	Label              string
	Y                  int
	BandX, BandW       int
	MAVX, MAVW         int
	BarW               int
	Sets               int
	Priority           string
	MEV, MAVLow, MAVHi int
	MRV                int
}

// ChartTick is a vertical grid line with its label.
type ChartTick struct {
	X     int
	Label string
}

// Label turns snake_case into words.
func Label(s string) string {
	s = strings.ReplaceAll(s, "_", " ")
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// Itoa formats an int for templates.
func Itoa(n int) string { return fmt.Sprint(n) }
