package programs

import (
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"liftplan/internal/science"
)

// FuzzParseForm feeds ParseForm arbitrary request bodies. It must never panic, and whatever it
// accepts must be a valid, already normalised input that survives being sent again as a form:
// the web layer stores exactly what ParseForm returns, so a gap here is a bad row in the database.
func FuzzParseForm(f *testing.F) {
	for _, seed := range []string{
		"goal=hypertrophy&experience=intermediate&days_per_week=4&session_minutes=60&equipment=barbell&equipment=bench&weak_points=back&notes=mornings",
		"goal=strength&experience=beginner&days_per_week=2&session_minutes=30",
		"goal=general_fitness&experience=advanced&days_per_week=6&session_minutes=120&injuries=knee&injuries=shoulder&weak_points=chest&weak_points=chest&weak_points=back",
		"goal=hypertrophy&experience=beginner&days_per_week=+4&session_minutes=060&idempotency_key=abc-DEF_123",
		"goal=hypertrophy&goal=strength&experience=beginner&days_per_week=3&session_minutes=45",
		"goal=hypertrophy%00&experience=beginner&days_per_week=NaN&session_minutes=1e9",
		"goal=hypertrophy&experience=beginner&days_per_week=3&session_minutes=45&notes=%FF%FE",
		"goal=hypertrophy&experience=beginner&days_per_week=3&session_minutes=45&notes=%3Cscript%3Ealert(1)%3C%2Fscript%3E",
		"goal=+hypertrophy+&experience=beginner&days_per_week=+3+&session_minutes=45&equipment=+bench+&equipment=",
		"goal=hypertrophy&experience=beginner&days_per_week=3&session_minutes=45&notes=%E2%80%AE%0D%0A%09",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, body string) {
		values, _ := url.ParseQuery(body) // a parse error keeps the pairs it could read, like net/http
		form, errs := ParseForm(values)
		if errs != nil {
			if len(errs) == 0 {
				t.Fatal("ParseForm returned an empty, non-nil error map")
			}
			return
		}
		in := form.Input
		if problems := science.ValidateInput(in); len(problems) > 0 {
			t.Fatalf("accepted %q but ValidateInput finds %v", body, problems)
		}
		if n := in.Normalize(); !reflect.DeepEqual(n, in) {
			t.Fatalf("accepted input is not normalised:\n got %#v\nnorm %#v", in, n)
		}
		for _, s := range append([]string{in.Goal, in.Experience, in.Notes, form.IdempotencyKey}, append(append(in.Equipment, in.Injuries...), in.WeakPoints...)...) {
			if !utf8.ValidString(s) || strings.ContainsFunc(s, isForbiddenControl) {
				t.Fatalf("accepted a value with invalid UTF-8 or control characters: %q", s)
			}
		}
		if len(form.IdempotencyKey) > maxIdempotencyKey {
			t.Fatalf("accepted a %d-byte idempotency key", len(form.IdempotencyKey))
		}
		// Round trip: the accepted answers, sent as a form again, parse to the same thing.
		again := url.Values{
			"goal": {in.Goal}, "experience": {in.Experience}, "days_per_week": {strconv.Itoa(in.DaysPerWeek)},
			"session_minutes": {strconv.Itoa(in.SessionMinutes)}, "equipment": in.Equipment, "injuries": in.Injuries,
			"weak_points": in.WeakPoints, "notes": {in.Notes}, "idempotency_key": {form.IdempotencyKey},
		}
		form2, errs := ParseForm(again)
		if errs != nil {
			t.Fatalf("accepted answers refused when sent again: %v", errs)
		}
		if !reflect.DeepEqual(form2, form) {
			t.Fatalf("round trip changed the form:\nfirst  %#v\nsecond %#v", form, form2)
		}
	})
}
