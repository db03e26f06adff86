package training

import (
	"context"
	"fmt"
	"math"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"liftplan/internal/auth"
	"liftplan/internal/db/dbq"
	"liftplan/internal/science"
)

// Limits of one logged set (DESIGN §5).
const (
	MaxWeightKg = 1000
	MaxReps     = 100
	MaxRIR      = 10
	maxSetNo    = 20
	// weightDecimals: loads are kept to the hundredth of a kilogram (numeric(6,2)).
	weightDecimals = 100
)

// clientKeyPattern is the hidden per-set-row key: random, URL-safe, 8–64 characters.
var clientKeyPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{8,64}$`)

// SetInput is one set as submitted from the Today page.
type SetInput struct {
	Week, Day  int
	ExerciseID string
	SetNo      int
	WeightKg   float64
	Reps       int
	RIR        *int
	ClientKey  string
	// LoggedAt backdates a set (demo data); zero means now. No form sets it.
	LoggedAt time.Time
}

// single returns the one value of a field; a repeated field is an error (nothing is guessed).
func single(v url.Values, field string, errs FieldErrors) (string, bool) {
	vals := v[field]
	switch len(vals) {
	case 0:
		return "", false
	case 1:
		return strings.TrimSpace(vals[0]), vals[0] != ""
	default:
		errs[field] = "send this field once"
		return "", false
	}
}

// intField parses a required whole number in [lo, hi].
func intField(v url.Values, field string, lo, hi int, errs FieldErrors) int {
	s, ok := single(v, field, errs)
	if !ok {
		if _, dup := errs[field]; !dup {
			errs[field] = "required"
		}
		return 0
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < lo || n > hi {
		errs[field] = fmt.Sprintf("a whole number from %d to %d", lo, hi)
		return 0
	}
	return n
}

// ParseSet reads a set form strictly; every problem is named by its field.
func ParseSet(v url.Values) (SetInput, FieldErrors) {
	errs := FieldErrors{}
	in := SetInput{
		Week:  intField(v, "week", 1, math.MaxInt16, errs),
		Day:   intField(v, "day", 1, math.MaxInt16, errs),
		SetNo: intField(v, "set_no", 1, maxSetNo, errs),
		Reps:  intField(v, "reps", 0, MaxReps, errs),
	}
	if id, ok := single(v, "exercise_id", errs); ok {
		in.ExerciseID = id
	} else if _, dup := errs["exercise_id"]; !dup {
		errs["exercise_id"] = "required"
	}
	if w, ok := single(v, "weight_kg", errs); ok {
		// A phone keyboard in much of Europe types a decimal comma.
		f, err := strconv.ParseFloat(strings.Replace(w, ",", ".", 1), 64)
		if err != nil || math.IsNaN(f) || f < 0 || f > MaxWeightKg {
			errs["weight_kg"] = fmt.Sprintf("a weight from 0 to %d kg, e.g. 62.5", MaxWeightKg)
		} else {
			in.WeightKg = math.Round(f*weightDecimals) / weightDecimals
		}
	} else if _, dup := errs["weight_kg"]; !dup {
		errs["weight_kg"] = "required (0 for bodyweight)"
	}
	if r, ok := single(v, "rir", errs); ok {
		n, err := strconv.Atoi(r)
		if err != nil || n < 0 || n > MaxRIR {
			errs["rir"] = fmt.Sprintf("a whole number from 0 to %d, or empty", MaxRIR)
		} else {
			in.RIR = &n
		}
	}
	if k, ok := single(v, "client_key", errs); ok && clientKeyPattern.MatchString(k) {
		in.ClientKey = k
	} else if _, dup := errs["client_key"]; !dup {
		errs["client_key"] = "missing or malformed; reload the page"
	}
	if len(errs) > 0 {
		return in, errs
	}
	return in, nil
}

// checkAgainstPlan names the field of a set that is not in the program.
func checkAgainstPlan(p *Program, in SetInput) FieldErrors {
	w, d := p.day(in.Week, in.Day)
	switch {
	case w == nil:
		return FieldErrors{"week": "this program has no such week"}
	case d == nil:
		return FieldErrors{"day": "this week has no such day"}
	}
	ex := exercise(d, in.ExerciseID)
	if ex == nil {
		return FieldErrors{"exercise_id": "this session has no such exercise"}
	}
	if in.SetNo > ex.Sets {
		return FieldErrors{"set_no": fmt.Sprintf("this exercise has %d sets today", ex.Sets)}
	}
	return nil
}

// LogSet records one set. A replayed client_key changes nothing (logged is false); invalid
// values and a week, day or exercise not in the program are FieldErrors, with nothing written.
func (s *Service) LogSet(ctx context.Context, viewer auth.User, programID int64, in SetInput) (logged bool, err error) {
	p, err := s.owned(ctx, viewer, programID)
	if err != nil {
		return false, err
	}
	if errs := checkAgainstPlan(&p, in); errs != nil {
		return false, errs
	}
	n, err := s.q.InsertWorkoutSet(ctx, dbq.InsertWorkoutSetParams{ProgramID: p.ID, UserID: viewer.ID,
		Week: int32(in.Week), Day: int32(in.Day), ExerciseID: in.ExerciseID, SetNo: int32(in.SetNo),
		WeightKg: in.WeightKg, Reps: int32(in.Reps), Rir: int32Ptr(in.RIR), ClientKey: in.ClientKey, LoggedAt: timePtr(in.LoggedAt)})
	if err != nil {
		return false, fmt.Errorf("log set: %w", err)
	}
	return n == 1, nil
}

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func int32Ptr(v *int) *int32 {
	if v == nil {
		return nil
	}
	n := int32(*v)
	return &n
}

// Feedback is the lifter's answer to "how was it?" when a session is completed.
type Feedback struct {
	Soreness, Pump, JointPain string
	// Painful lists the exercises that hurt (joint pain "some" or "stop").
	Painful []string
	// At backdates the completion (demo data); zero means now. No form sets it.
	At time.Time
}

// Choices of the feedback form.
var (
	SorenessChoices  = []string{science.SorenessNone, science.SorenessMild, science.SorenessLasting}
	PumpChoices      = []string{science.PumpLow, science.PumpGood, science.PumpGreat}
	JointPainChoices = []string{science.JointPainNone, science.JointPainSome, science.JointPainStop}
)

// ParseFeedback reads the complete-session form strictly.
func ParseFeedback(v url.Values) (Feedback, FieldErrors) {
	errs := FieldErrors{}
	choice := func(field string, choices []string) string {
		s, ok := single(v, field, errs)
		if !ok || !slices.Contains(choices, s) {
			if _, dup := errs[field]; !dup {
				errs[field] = "choose one of " + strings.Join(choices, ", ")
			}
			return ""
		}
		return s
	}
	f := Feedback{Soreness: choice("soreness", SorenessChoices), Pump: choice("pump", PumpChoices),
		JointPain: choice("joint_pain", JointPainChoices)}
	for _, id := range v["painful_exercise"] {
		if id = strings.TrimSpace(id); id != "" && !slices.Contains(f.Painful, id) {
			f.Painful = append(f.Painful, id)
		}
	}
	slices.Sort(f.Painful)
	if len(errs) > 0 {
		return f, errs
	}
	return f, nil
}

// Complete marks a session done with the lifter's feedback (a second completion replaces it).
// Painful exercises must be exercises of that session.
func (s *Service) Complete(ctx context.Context, viewer auth.User, programID int64, week, day int, f Feedback) error {
	p, err := s.owned(ctx, viewer, programID)
	if err != nil {
		return err
	}
	w, d := p.day(week, day)
	if w == nil || d == nil {
		return ErrNotFound // the path names the session: a session not in the plan is no page
	}
	for _, id := range f.Painful {
		if exercise(d, id) == nil {
			return FieldErrors{"painful_exercise": fmt.Sprintf("%q is not an exercise of this session", id)}
		}
	}
	if f.Painful == nil {
		f.Painful = []string{}
	}
	err = s.q.UpsertSessionLog(ctx, dbq.UpsertSessionLogParams{ProgramID: p.ID, Week: int32(week), Day: int32(day),
		Soreness: f.Soreness, Pump: f.Pump, JointPain: f.JointPain, PainfulExercises: f.Painful,
		CompletedAt: timePtr(f.At)})
	if err != nil {
		return fmt.Errorf("complete session: %w", err)
	}
	return nil
}
