package science

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
)

// Input is the frozen onboarding answers of one submission (JSON tags = the form field names).
type Input struct {
	Goal           string   `json:"goal"`            // hypertrophy|strength|general_fitness
	Experience     string   `json:"experience"`      // beginner|intermediate|advanced
	DaysPerWeek    int      `json:"days_per_week"`   // 2..6
	SessionMinutes int      `json:"session_minutes"` // 30..120
	Equipment      []string `json:"equipment"`       // EquipmentKinds; bodyweight is implied
	Injuries       []string `json:"injuries"`        // InjuryKinds
	WeakPoints     []string `json:"weak_points"`     // at most 2
	Notes          string   `json:"notes"`           // <= 500 chars, free text, never interpreted
	HasPaidAccess  bool     `json:"has_paid_access"` // paid: 6-week mesocycle, free: 4
	// PreviousProgramID and LogSummary are set for a next block only: the block it follows and
	// what its log said (see nextblock.go). Never form fields.
	PreviousProgramID int64       `json:"previous_program_id,omitempty"`
	LogSummary        *LogSummary `json:"log_summary,omitempty"`
}

// FieldError is one problem with one onboarding field, worded for the form.
type FieldError struct {
	// Field is the form field name, e.g. "days_per_week".
	Field string
	// Message is shown next to the field.
	Message string
}

// Limits of the onboarding form.
const (
	MinDays        = 2
	MaxDays        = 6
	MinMinutes     = 30
	MaxMinutes     = 120
	MaxWeakPoints  = 2
	MaxNotesLength = 500
)

// ValidateInput lists every problem with the answers, each naming its form field.
func ValidateInput(in Input) []FieldError {
	var errs []FieldError
	add := func(field, format string, args ...any) {
		errs = append(errs, FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
	}
	if !slices.Contains(Goals, in.Goal) {
		add("goal", "choose a goal: hypertrophy, strength or general fitness")
	}
	if !slices.Contains(Levels, in.Experience) {
		add("experience", "choose your experience: beginner, intermediate or advanced")
	}
	if in.DaysPerWeek < MinDays || in.DaysPerWeek > MaxDays {
		add("days_per_week", "choose between %d and %d days", MinDays, MaxDays)
	}
	if in.SessionMinutes < MinMinutes || in.SessionMinutes > MaxMinutes {
		add("session_minutes", "choose between %d and %d minutes per session", MinMinutes, MaxMinutes)
	}
	for _, e := range in.Equipment {
		if !slices.Contains(EquipmentKinds, e) {
			add("equipment", "%q is not equipment we know; pick from the list", e)
		}
	}
	for _, i := range in.Injuries {
		if !slices.Contains(InjuryKinds, i) {
			add("injuries", "%q is not an injury we know; pick from the list", i)
		}
	}
	weak := dedupe(in.WeakPoints)
	for _, w := range weak {
		if !slices.Contains(Muscles, w) {
			add("weak_points", "%q is not a muscle we know; pick from the list", w)
		}
	}
	if len(weak) > MaxWeakPoints {
		add("weak_points", "choose at most %d weak points", MaxWeakPoints)
	}
	if utf8.RuneCountInString(strings.TrimSpace(in.Notes)) > MaxNotesLength {
		add("notes", "keep notes to %d characters or fewer", MaxNotesLength)
	}
	return errs
}

// Normalize returns a copy with sorted, de-duplicated lists and trimmed
// notes, so equal answers compare (and cache) equal. Lists are never nil.
func (in Input) Normalize() Input {
	out := in
	out.Goal = strings.TrimSpace(in.Goal)
	out.Experience = strings.TrimSpace(in.Experience)
	out.Equipment = dedupe(in.Equipment)
	out.Injuries = dedupe(in.Injuries)
	out.WeakPoints = dedupe(in.WeakPoints)
	out.Notes = strings.TrimSpace(in.Notes)
	return out
}

// dedupe returns a sorted copy without blanks or duplicates, never nil.
func dedupe(list []string) []string {
	out := make([]string, 0, len(list))
	for _, v := range list {
		v = strings.TrimSpace(v)
		if v != "" {
			out = append(out, v)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}
