package web_test

import (
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"

	"liftplan/internal/auth"
	"liftplan/internal/webtest"
)

// TestCalendarICS downloads a completed block as iCalendar, parses it with the library that
// wrote it, and expects one all-day event per session, on the chosen weekdays, in order.
func TestCalendarICS(t *testing.T) {
	st := newStack(t, stackOptions{})
	st.user(t, "coach@example.com", auth.RoleCoach, "")
	st.user(t, "client@example.com", auth.RoleUser, "coach@example.com")
	owner := st.browser()
	owner.Login("client@example.com", webtest.Password)
	owner.Get("/programs/new")
	id := owner.Submit(webtest.GoodForm()) // 4 days a week
	e := waitStatus(owner, id, "completed")
	base := "/programs/" + strconv.FormatInt(id, 10) + "/calendar.ics"

	r := owner.Get(base + "?start=2026-12-07&days=mon,tue,thu&days=sat")
	if r.Status != http.StatusOK || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/calendar") {
		t.Fatalf("calendar = %d %q, want 200 text/calendar:\n%.300s", r.Status, r.Header.Get("Content-Type"), r.Body)
	}
	cal, err := ics.ParseCalendar(strings.NewReader(r.Body))
	if err != nil {
		t.Fatalf("the calendar does not parse: %v", err)
	}
	sessions := 0
	for _, w := range e.Program.Weeks {
		sessions += len(w.Days)
	}
	events := cal.Events()
	if len(events) != sessions || sessions == 0 {
		t.Fatalf("%d events, want one per session (%d)", len(events), sessions)
	}
	want := []time.Weekday{time.Monday, time.Tuesday, time.Thursday, time.Saturday}
	var prev time.Time
	uids := map[string]bool{}
	for i, ev := range events {
		day, err := ev.GetAllDayStartAt()
		if err != nil {
			t.Fatalf("event %d has no all-day start: %v", i, err)
		}
		if i == 0 && day.Format(time.DateOnly) != "2026-12-07" {
			t.Errorf("first session on %s, want the start date 2026-12-07", day.Format(time.DateOnly))
		}
		if !slices.Contains(want, day.Weekday()) || (i > 0 && !day.After(prev)) {
			t.Errorf("event %d on %s (%s), want a later chosen weekday", i, day.Format(time.DateOnly), day.Weekday())
		}
		prev = day
		uids[ev.Id()] = true
		if s := ev.GetProperty(ics.ComponentPropertySummary); s == nil || !strings.Contains(s.Value, "week") {
			t.Errorf("event %d summary %v, want the day and week", i, s)
		}
	}
	if len(uids) != sessions {
		t.Errorf("%d distinct UIDs for %d sessions", len(uids), sessions)
	}
	// The last session of a 4-session week starting on Monday 7 Dec lands on a Saturday.
	if last, _ := events[len(events)-1].GetAllDayStartAt(); last.Weekday() != time.Saturday {
		t.Errorf("last session on %s, want Saturday", last.Weekday())
	}

	for _, bad := range []struct{ query, field string }{
		{"", "start"}, {"?start=7.12.2026", "start"}, {"?start=2026-02-30", "start"},
		{"?start=2026-12-07&days=mon,wed,fri", "days"}, {"?start=2026-12-07&days=mon,tue,thu,funday", "days"},
		{"?start=2026-12-07&days=mon,mon,thu,fri", "days"},
	} {
		r := owner.Get(base + bad.query)
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, bad.field) {
			t.Errorf("%q = %d, want 422 naming %s:\n%.200s", bad.query, r.Status, bad.field, r.Body)
		}
	}
	// Without days the program's usual weekdays apply.
	if r := owner.Get(base + "?start=2026-12-07"); r.Status != http.StatusOK {
		t.Errorf("without days = %d, want 200", r.Status)
	}

	// The program page's form, as rendered for the owner, asks for a file that downloads.
	page := owner.Get("/programs/" + strconv.FormatInt(id, 10)).Body
	start := regexp.MustCompile(`id="start" name="start" value="(\d{4}-\d\d-\d\d)"`).FindStringSubmatch(page)
	var days []string
	for _, m := range regexp.MustCompile(`name="days" value="([a-z]{3})" checked`).FindAllStringSubmatch(page, -1) {
		days = append(days, m[1])
	}
	if start == nil || len(days) != 4 {
		t.Fatalf("calendar form defaults: start %v, days %v; want a date and the program's 4 weekdays", start, days)
	}
	if r := owner.Get(base + "?start=" + start[1] + "&days=" + strings.Join(days, "&days=")); r.Status != http.StatusOK {
		t.Errorf("the form's defaults = %d, want 200", r.Status)
	}

	coach := st.browser()
	coach.Login("coach@example.com", webtest.Password)
	if r := coach.Get(base + "?start=2026-12-07"); r.Status != http.StatusForbidden {
		t.Errorf("coach = %d, want 403 (the calendar is the owner's)", r.Status)
	}
	stranger := st.browser()
	stranger.Signup("stranger@example.com")
	if r := stranger.Get(base + "?start=2026-12-07"); r.Status != http.StatusNotFound {
		t.Errorf("stranger = %d, want 404", r.Status)
	}
}
