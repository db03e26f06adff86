// Package programs is the program domain: the Program type (its JSON decoded once, here, with
// the viewer's rights), statuses and steps, parsing the onboarding form, submitting (a pending
// program and its River job in one transaction), retrying, regenerating and reading programs
// with the authorisation in the query. The generation job's arguments live here too:
// internal/jobs works them and imports this package, never the reverse.
package programs

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"liftplan/internal/science"
)

// Form is a parsed onboarding submission: the answers plus the form's idempotency key.
type Form struct {
	Input          science.Input
	IdempotencyKey string
}

// FieldErrors maps form field names to what is wrong with them (HTTP 422).
type FieldErrors map[string]string

func (f FieldErrors) Error() string {
	parts := make([]string, 0, len(f))
	for k, v := range f {
		parts = append(parts, k+": "+v)
	}
	return "invalid form: " + strings.Join(parts, "; ")
}

// maxIdempotencyKey bounds the hidden key; the form makes 32 random URL-safe characters.
const maxIdempotencyKey = 64

// ParseForm reads the onboarding fields strictly: exactly one value for single fields, whole
// numbers in range, known choices, valid UTF-8 without control characters. Every problem is
// reported against its field; nothing is guessed.
func ParseForm(v url.Values) (Form, FieldErrors) {
	errs := FieldErrors{}
	single := func(name string, required bool) string {
		vals := v[name]
		switch {
		case len(vals) > 1:
			errs[name] = "send this field once"
			return ""
		case len(vals) == 0 || strings.TrimSpace(vals[0]) == "":
			if required {
				errs[name] = "this field is required"
			}
			return ""
		}
		return strings.TrimSpace(vals[0])
	}
	integer := func(name string, lo, hi int, unit string) int {
		s := single(name, true)
		if s == "" {
			return 0
		}
		n, err := strconv.Atoi(s)
		if err != nil || n < lo || n > hi {
			errs[name] = fmt.Sprintf("enter a whole number of %s from %d to %d", unit, lo, hi)
			return 0
		}
		return n
	}
	in := science.Input{
		Goal:           single("goal", true),
		Experience:     single("experience", true),
		DaysPerWeek:    integer("days_per_week", science.MinDays, science.MaxDays, "days"),
		SessionMinutes: integer("session_minutes", science.MinMinutes, science.MaxMinutes, "minutes"),
		Equipment:      v["equipment"],
		Injuries:       v["injuries"],
		WeakPoints:     v["weak_points"],
		Notes:          single("notes", false),
	}
	for _, name := range []string{"goal", "experience", "notes", "equipment", "injuries", "weak_points"} {
		for _, s := range v[name] {
			if !utf8.ValidString(s) || strings.ContainsFunc(s, isForbiddenControl) {
				errs[name] = "remove the invisible control characters from this field"
			}
		}
	}
	in = in.Normalize()
	for _, fe := range science.ValidateInput(in) {
		if _, seen := errs[fe.Field]; !seen {
			errs[fe.Field] = fe.Message
		}
	}
	key := single("idempotency_key", false)
	if len(key) > maxIdempotencyKey || strings.ContainsFunc(key, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_')
	}) {
		errs["idempotency_key"] = "the form has expired; reload the page and submit again"
	}
	if len(errs) > 0 {
		return Form{Input: in}, errs
	}
	return Form{Input: in, IdempotencyKey: key}, nil
}

// isForbiddenControl allows newlines and tabs in notes and nothing else below U+0020 (NUL, ESC…).
func isForbiddenControl(r rune) bool {
	return (r < 0x20 && r != '\n' && r != '\r' && r != '\t') || r == 0x7f
}
