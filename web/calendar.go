package web

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	ics "github.com/arran4/golang-ical"
	"github.com/labstack/echo/v4"

	"liftplan/internal/programs"
	"liftplan/internal/science"
)

// calendarWeekdays maps ?days= names to Go's weekdays.
var calendarWeekdays = map[string]time.Weekday{"mon": time.Monday, "tue": time.Tuesday, "wed": time.Wednesday,
	"thu": time.Thursday, "fri": time.Friday, "sat": time.Saturday, "sun": time.Sunday}

// calendarSearchDays bounds the walk from the start date; a block is at most a few months.
const calendarSearchDays = 400

// programCalendar is GET /programs/{id}/calendar.ics: every session of the block as an all-day
// event, laid out from ?start=YYYY-MM-DD on the weekdays of ?days=mon,wed,fri (repeated or
// comma-separated; the program's usual days when left out). Owner only; 422 names a bad field.
func (s *Server) programCalendar(c echo.Context) error {
	prog, _, err := s.loadProgram(c)
	if err != nil {
		return err
	}
	if !prog.Viewer.Owned {
		return echo.NewHTTPError(http.StatusForbidden, "Only the program's owner can download its calendar.")
	}
	if prog.Status != programs.StatusCompleted || prog.Plan == nil || len(prog.Plan.Weeks) == 0 {
		return echo.NewHTTPError(http.StatusConflict, "The program is not ready yet.")
	}
	p := *prog.Plan
	perWeek := len(p.Weeks[0].Days)
	start, days, msg := calendarParams(c, perWeek)
	if msg != "" {
		return echo.NewHTTPError(http.StatusUnprocessableEntity, msg)
	}
	stamp := prog.CreatedAt
	if prog.CompletedAt != nil {
		stamp = *prog.CompletedAt
	}
	cal := sessionCalendar(prog.ID, p, start, days, stamp, c.Scheme()+"://"+c.Request().Host)
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, "text/calendar; charset=utf-8")
	h.Set(echo.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="liftplan-program-%d.ics"`, prog.ID))
	h.Set("Cache-Control", "no-store")
	return c.String(http.StatusOK, cal.Serialize())
}

// calendarParams reads start and days; msg names the bad field for the 422.
func calendarParams(c echo.Context, perWeek int) (time.Time, []time.Weekday, string) {
	raw := strings.TrimSpace(c.QueryParam("start"))
	start, err := time.Parse(time.DateOnly, raw)
	if err != nil {
		return start, nil, "start: give the first training day as YYYY-MM-DD, e.g. ?start=2026-12-07"
	}
	var names []string
	for _, v := range c.QueryParams()["days"] {
		for _, n := range strings.Split(v, ",") {
			if n = strings.ToLower(strings.TrimSpace(n)); n != "" {
				names = append(names, n)
			}
		}
	}
	if len(names) == 0 {
		names = defaultWeekdays[perWeek]
	}
	var days []time.Weekday
	for _, n := range names {
		d, ok := calendarWeekdays[n]
		if !ok {
			return start, nil, fmt.Sprintf("days: %q is not a weekday; use mon, tue, wed, thu, fri, sat or sun", n)
		}
		if slices.Contains(days, d) {
			return start, nil, fmt.Sprintf("days: %s is given twice", n)
		}
		days = append(days, d)
	}
	if len(days) != perWeek {
		return start, nil, fmt.Sprintf("days: choose %d weekdays, one for each session of the week (got %d)", perWeek, len(days))
	}
	return start, days, ""
}

// sessionCalendar lays the sessions in order on the chosen weekdays from start: week 1's
// sessions on the first matching days, then week 2's, and so on.
func sessionCalendar(id int64, p science.Program, start time.Time, days []time.Weekday, stamp time.Time, origin string) *ics.Calendar {
	cal := ics.NewCalendar()
	cal.SetMethod(ics.MethodPublish)
	cal.SetProductId("-//liftplan//training block//EN")
	cal.SetXWRCalName("liftplan: " + p.Name)
	url := origin + "/programs/" + strconv.FormatInt(id, 10)
	date := start
	walked := 0
	for _, w := range p.Weeks {
		for _, d := range w.Days {
			for !slices.Contains(days, date.Weekday()) && walked < calendarSearchDays {
				date, walked = date.AddDate(0, 0, 1), walked+1
			}
			ev := cal.AddEvent(fmt.Sprintf("liftplan-%d-w%d-d%d", id, w.Week, d.Day))
			ev.SetDtStampTime(stamp)
			ev.SetAllDayStartAt(date)
			ev.SetAllDayEndAt(date.AddDate(0, 0, 1))
			ev.SetSummary(fmt.Sprintf("%s · week %d (liftplan)", d.Label, w.Week))
			ev.SetDescription(sessionText(w, d))
			ev.SetURL(url + "?week=" + strconv.Itoa(w.Week))
			date, walked = date.AddDate(0, 0, 1), walked+1
		}
	}
	return cal
}

// sessionText is an event's description: one line per exercise, as on the program page.
func sessionText(w science.Week, d science.Day) string {
	lines := []string{fmt.Sprintf("About %d minutes; %d reps in reserve this week.", d.EstimatedMinutes, w.TargetRIR)}
	for _, e := range d.Exercises {
		lines = append(lines, fmt.Sprintf("%s: %d × %s, RIR %d, rest %s", e.Name, e.Sets, repsLabel(e), e.TargetRIR, restLabel(e.RestSeconds)))
	}
	return strings.Join(lines, "\n")
}
