package programs

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"liftplan/views/components"
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
	// MinutesTyped is session_minutes as submitted, shown again on a 422 even when it is not a
	// number in range.
	MinutesTyped string
}

// MinutesText is the minutes field's value: what was typed, else the number, else 60.
func (f FormView) MinutesText() string {
	switch {
	case f.MinutesTyped != "":
		return f.MinutesTyped
	case f.SessionMinutes > 0:
		return strconv.Itoa(f.SessionMinutes)
	}
	return "60"
}

// formFields is the onboarding form's fields in page order: error key, label, and the id of
// the element the summary links to (a group's first choice).
var formFields = []struct{ key, label, id string }{
	{"goal", "Goal", "goal-hypertrophy"}, {"experience", "Experience", "experience-beginner"},
	{"days_per_week", "Days per week", "days_per_week"}, {"session_minutes", "Minutes per session", "session_minutes"},
	{"equipment", "Equipment", "equipment-barbell"}, {"injuries", "Injuries", "injuries-shoulder"},
	{"weak_points", "Weak points", "weak_points-chest"}, {"notes", "Notes", "notes"},
	{"idempotency_key", "Form", "generate"},
}

// Summary is the error summary's list, in page order; errors on unknown keys come last.
func (f FormView) Summary() []components.ErrorLink {
	var out []components.ErrorLink
	seen := map[string]bool{}
	for _, fl := range formFields {
		if msg := f.Errors[fl.key]; msg != "" {
			out = append(out, components.ErrorLink{FieldID: fl.id, Label: fl.label, Message: msg})
		}
		seen[fl.key] = true
	}
	for k, msg := range f.Errors {
		if !seen[k] {
			out = append(out, components.ErrorLink{FieldID: "generate", Label: Label(k), Message: msg})
		}
	}
	return out
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
	ID int64
	// Name is the program's name in words (goal, split, days × minutes, date).
	Name   string
	Status string
	Step   string
	// Source says who wrote it, in words ("Built-in planner").
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
	// CanRetry shows the Try again button (the owner or an admin on a failed program, unless
	// a retry cannot help and only an administrator can fix the cause).
	CanRetry bool
	// FixedBy, when set, says who can fix a failure a retry cannot (e.g. exhausted quota).
	FixedBy string
	CSRF    string
	// Theirs is set when the viewer is not the owner (a coach or an admin): the sentences say
	// "their program", not "your program".
	Theirs bool
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

// Sentence is the human sentence for the status and step (internal/programs words it); the
// view adds who is looking (a coach sees "Their program") and, during a retry wait, which
// attempt comes next, so that one sentence says it all.
func (s StatusView) Sentence() string {
	switch {
	case s.Status == "completed" && s.Theirs:
		return "Their program is ready."
	case s.Status == "pending" && s.Step == "retry_wait" && s.MaxAttempts > 0:
		return fmt.Sprintf("The last attempt did not work; attempt %d of %d starts in a few seconds.", s.Attempt+1, s.MaxAttempts)
	case s.Theirs:
		return theirWords.Replace(s.Headline)
	}
	return s.Headline
}

// theirWords turns the owner's sentences into a coach's or an admin's.
var theirWords = strings.NewReplacer("Your program", "Their program", "your program", "their program", "your answers", "their answers")

// AttemptNote is "Attempt 2 of 3." while a retried generation runs; never on a finished
// program, and not during the retry wait (the sentence says it).
func (s StatusView) AttemptNote() string {
	if s.Terminal() || s.Step == "retry_wait" {
		return ""
	}
	if s.Attempt > 1 && s.MaxAttempts > 0 {
		return fmt.Sprintf("Attempt %d of %d.", s.Attempt, s.MaxAttempts)
	}
	return ""
}

// stepProgress is how far along each step is, in percent; the CSS widths of .progress.s-*
// match. The retry wait sits near the start: the next attempt begins from scratch.
var stepProgress = map[string]int{"queued": 8, "retry_wait": 8, "load": 20, "analyze": 40, "generate": 65, "validate": 85, "store": 95}

// Progress is the progress bar's value (aria-valuenow), 0–100.
func (s StatusView) Progress() int {
	if v, ok := stepProgress[s.Step]; ok {
		return v
	}
	return 5
}

// ProgressStep is the CSS class suffix for the bar: a known step, else queued.
func (s StatusView) ProgressStep() string {
	if _, ok := stepProgress[s.Step]; ok {
		return s.Step
	}
	return "queued"
}

// ShowMessage reports whether Message is shown under a running status; the retry note is left
// out because the sentence already says it.
func (s StatusView) ShowMessage() bool {
	return s.Message != "" && s.Step != "retry_wait"
}

// ProgramView is a completed program as the page shows it.
type ProgramView struct {
	ID      int64
	Name    string
	Summary string
	// Rationale is the science's explanation in plain words.
	Rationale string
	// SourceNote says who wrote the program, in words.
	SourceNote string
	Weeks      []WeekTab
	// AllWeeks holds every week; the selected one is shown, the others only in print.
	AllWeeks     []WeekView
	Chart        Chart
	Warnings     []string
	Fixes        []string
	Regenerate   bool
	LandmarkNote string
	// Calendar is the calendar form; set for the owner only.
	Calendar *CalendarForm
	// Admin is the LLM accounting, set only when the viewer is an admin and an LLM wrote it.
	Admin *AdminAccounting
}

// CalendarForm is the default of the "add to calendar" form: a start date and weekdays.
type CalendarForm struct {
	Start    string
	Weekdays []Choice
	Days     []string
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

// WeekView is one week of the block.
type WeekView struct {
	Number    int
	Phase     string
	TargetRIR int
	Selected  bool
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
	ID      string
	Name    string
	Muscles string
	Sets    int
	// Reps is the range with its unit: "8–12" (reps) or "20–40 s" (holds).
	Reps string
	// Hold marks a timed hold: it has no reps to leave in reserve, so its
	// line shows no RIR.
	Hold      bool
	RIR       int
	Rest      string
	Notes     string
	Rationale string
}

// Prescription is the one line a lifter reads between sets: sets × reps, RIR, rest.
func (e ExerciseView) Prescription() string {
	if e.Hold {
		return fmt.Sprintf("%d × %s · rest %s", e.Sets, e.Reps, e.Rest)
	}
	return fmt.Sprintf("%d × %s · RIR %d · rest %s", e.Sets, e.Reps, e.RIR, e.Rest)
}

// Chart is the weekly direct sets per muscle against its MEV–MRV band, drawn as SVG. Every
// number is written as text next to its bar: nothing needs hovering.
type Chart struct {
	Width, Height int
	Rows          []ChartRow
	Ticks         []ChartTick
	// AxisY is where the tick labels sit.
	AxisY int
	Title string
}

// ChartRow is one muscle's bar and band, in SVG coordinates.
type ChartRow struct {
	Muscle string
	Label  string
	// Y is the row's top: the label line; the band and bar are drawn below it.
	Y                  int
	BandX, BandW       int
	MAVX, MAVW         int
	BarX, BarW         int
	Sets               int
	Priority           string
	MEV, MAVLow, MAVHi int
	MRV                int
}

// Emphasised reports whether the muscle is one of the lifter's weak points.
func (r ChartRow) Emphasised() bool { return r.Priority == "emphasize" }

// Text is the row's label line, e.g. "Side delts ★: 12 sets · MEV 8 · MRV 26" (★: emphasised,
// explained by the chart's key).
func (r ChartRow) Text() string {
	name := r.Label
	if r.Emphasised() {
		name += " ★"
	}
	return fmt.Sprintf("%s: %d sets · MEV %d · MRV %d", name, r.Sets, r.MEV, r.MRV)
}

// PriorityLabel is the row's priority in words.
func (r ChartRow) PriorityLabel() string {
	switch r.Priority {
	case "emphasize":
		return "Emphasised"
	case "maintain":
		return "Maintained"
	}
	return "Grown"
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
