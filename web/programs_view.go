package web

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"liftplan/internal/programs"
	"liftplan/internal/science"
	pview "liftplan/views/programs"
)

// This file turns domain values into the view models of views/programs; views never see rows.

var (
	goalChoices = []pview.Choice{
		{Value: science.GoalHypertrophy, Label: "Build muscle (hypertrophy)", Help: "Moderate reps, more weekly sets"},
		{Value: science.GoalStrength, Label: "Get stronger", Help: "Heavier main lifts, lower reps"},
		{Value: science.GoalGeneralFitness, Label: "General fitness", Help: "Balanced, time-efficient training"},
	}
	levelChoices = []pview.Choice{
		{Value: science.LevelBeginner, Label: "Beginner"},
		{Value: science.LevelIntermediate, Label: "Intermediate"},
		{Value: science.LevelAdvanced, Label: "Advanced"},
	}
	equipmentLabels = map[string]string{"barbell": "Barbell and plates", "dumbbells": "Dumbbells", "machines": "Machines",
		"cables": "Cable station", "kettlebells": "Kettlebells", "bands": "Resistance bands", "pullup_bar": "Pull-up bar", "bench": "Bench"}
	injuryLabels = map[string]string{"shoulder": "Shoulder", "elbow": "Elbow", "wrist": "Wrist", "lower_back": "Lower back", "hip": "Hip", "knee": "Knee"}
)

func choices(values []string, labels map[string]string) []pview.Choice {
	out := make([]pview.Choice, len(values))
	for i, v := range values {
		l := labels[v]
		if l == "" {
			l = pview.Label(v)
		}
		out[i] = pview.Choice{Value: v, Label: l}
	}
	return out
}

func formView(in science.Input, errs programs.FieldErrors) pview.FormView {
	return pview.FormView{
		Goal: in.Goal, Experience: in.Experience, DaysPerWeek: in.DaysPerWeek, SessionMinutes: in.SessionMinutes,
		Equipment: in.Equipment, Injuries: in.Injuries, WeakPoints: in.WeakPoints, Notes: in.Notes,
		Errors: errs, Goals: goalChoices, Levels: levelChoices,
		EquipmentKinds: choices(science.EquipmentKinds, equipmentLabels),
		InjuryKinds:    choices(science.InjuryKinds, injuryLabels),
		MuscleKinds:    choices(science.Muscles, nil),
	}
}

func historyRows(list []programs.Program) []pview.HistoryRow {
	out := make([]pview.HistoryRow, len(list))
	for i, p := range list {
		in := p.Input
		out[i] = pview.HistoryRow{ID: p.ID, Name: programName(in, p.CreatedAt), Status: string(p.Status), Step: string(p.Step),
			Source: sourceLabel(p.Source), Goal: in.Goal, Summary: pview.Label(in.Experience),
			CreatedAt: p.CreatedAt, CompletedAt: p.CompletedAt}
	}
	return out
}

// statusView builds the live status element for the program's viewer; week selects the week shown.
func (s *Server) statusView(p programs.Program, csrf string, week int) pview.StatusView {
	sv := pview.StatusView{ID: p.ID, Status: string(p.Status), Step: string(p.Step), Attempt: p.Attempt,
		MaxAttempts: s.cfg.JobMaxAttempts, CSRF: csrf, CanRetry: p.Viewer.Retry, Message: p.Message,
		Headline: programs.StatusSentence(p.Status, p.Step), Theirs: !p.Viewer.Owned, DraftDays: p.DraftDays}
	// A cause only an administrator can fix (quota, credentials): the owner gets no Try again
	// but is told who fixes it; an admin (SeeUsage) keeps the button for after the fix.
	if sv.CanRetry && !p.Viewer.SeeUsage && p.NeedsOperator {
		sv.CanRetry = false
		sv.FixedBy = "Trying again would fail the same way until an administrator fixes this; the program starts again from here once they retry it."
	}
	if p.Status == programs.StatusCompleted && p.Plan != nil {
		meta := programs.Metadata{}
		if p.Metadata != nil {
			meta = *p.Metadata
		}
		pv := programView(p, *p.Plan, meta, week)
		pv.Regenerate = p.Viewer.Regenerate
		if pv.Regenerate {
			pv.Calendar = calendarForm(*p.Plan, time.Now())
		}
		if p.Viewer.SeeUsage && p.Usage != nil {
			u := p.Usage
			pv.Admin = &pview.AdminAccounting{ModelRequested: u.ModelRequested, ModelReturned: u.Model,
				PromptTokens: u.PromptTokens, CompletionTokens: u.CompletionTokens, LatencyMS: u.LatencyMS,
				Attempts: u.Attempts, Repairs: u.Repairs}
		}
		sv.Program = &pv
	}
	return sv
}

func programView(row programs.Program, p science.Program, meta programs.Metadata, week int) pview.ProgramView {
	v := pview.ProgramView{ID: row.ID, Name: p.Name, Rationale: plainWords(p.Science.Rationale),
		Summary: fmt.Sprintf("%s · %s · %d days a week · %d weeks with a deload in week %d · progression: %s.",
			pview.Label(p.Goal), pview.Label(p.Experience), p.Split.DaysPerWeek, p.Mesocycle.Weeks, p.Mesocycle.DeloadWeek,
			progressionWords[p.Mesocycle.Progression]),
		Warnings: p.Science.Warnings, Fixes: p.Science.Fixes,
		LandmarkNote: landmarkNote(p.Science.LandmarkTable),
	}
	model := ""
	if row.Usage != nil {
		model = row.Usage.Model
	}
	v.SourceNote = sourceNote(row.Source, model)
	if week < 1 || week > len(p.Weeks) {
		week = 1
	}
	base := "/programs/" + strconv.FormatInt(row.ID, 10)
	for _, w := range p.Weeks {
		label := "Week " + strconv.Itoa(w.Week)
		if w.Phase == science.PhaseDeload {
			label = "Deload" // the last week; short, so four tabs fit one row on a phone
		}
		v.Weeks = append(v.Weeks, pview.WeekTab{Number: w.Week, Label: label, Selected: w.Week == week, URL: base + "?week=" + strconv.Itoa(w.Week) + "#program"})
		v.AllWeeks = append(v.AllWeeks, weekView(w, w.Week == week))
	}
	if len(p.Weeks) == 0 {
		return v
	}
	v.Chart = volumeChart(p, week)
	return v
}

// weekView is one week's sessions as the page lists them.
func weekView(w science.Week, selected bool) pview.WeekView {
	wv := pview.WeekView{Number: w.Week, Phase: w.Phase, TargetRIR: w.TargetRIR, Selected: selected}
	for _, d := range w.Days {
		dv := pview.DayView{Label: d.Label, Minutes: d.EstimatedMinutes}
		for _, e := range d.Exercises {
			muscles := strings.Join(labels(e.PrimaryMuscles), ", ")
			if len(e.SecondaryMuscles) > 0 {
				muscles += " (also " + strings.Join(labels(e.SecondaryMuscles), ", ") + ")"
			}
			dv.Exercises = append(dv.Exercises, pview.ExerciseView{ID: e.ExerciseID, Name: e.Name, Muscles: pview.Label(muscles), Sets: e.Sets,
				Reps: repsLabel(e), Hold: exerciseUnit(e) == "seconds", RIR: e.TargetRIR, Rest: restLabel(e.RestSeconds), Notes: e.Notes, Rationale: e.Rationale})
		}
		wv.Days = append(wv.Days, dv)
	}
	return wv
}

// calendarForm is the owner's default for the calendar download: next Monday, the usual
// weekdays for the program's day count.
func calendarForm(p science.Program, now time.Time) *pview.CalendarForm {
	start := now.UTC().AddDate(0, 0, (8-int(now.UTC().Weekday()))%7)
	if start.YearDay() == now.UTC().YearDay() {
		start = start.AddDate(0, 0, 7)
	}
	return &pview.CalendarForm{Start: start.Format(time.DateOnly), Weekdays: weekdays, Days: defaultWeekdays[p.Split.DaysPerWeek]}
}

// volumeChart lays out the SVG for a 360-unit width (a phone's): per muscle a text line with
// its numbers, then the MEV–MRV band with the MAV range and this week's bar.
func volumeChart(p science.Program, week int) pview.Chart {
	const left, width, right, top, rowH, axisH, tickEvery = 8, 360, 12, 6, 44, 22, 5
	var vols []science.WeeklyVolume
	maxV := 10
	for _, wv := range p.WeeklyVolume {
		if wv.Week == week {
			vols = append(vols, wv)
			maxV = max(maxV, wv.Sets, wv.Landmarks.MRV)
		}
	}
	scale := float64(width-left-right) / float64(maxV)
	x := func(n int) int { return left + int(float64(n)*scale) }
	c := pview.Chart{Width: width, Height: top + len(vols)*rowH + axisH, AxisY: top + len(vols)*rowH + axisH - 6,
		Title: fmt.Sprintf("Direct sets per muscle in week %d against each muscle's MEV–MRV band", week)}
	for i, wv := range vols {
		l := wv.Landmarks
		c.Rows = append(c.Rows, pview.ChartRow{Muscle: wv.Muscle, Label: pview.Label(wv.Muscle), Y: top + i*rowH,
			BandX: x(l.MEV), BandW: max(x(l.MRV)-x(l.MEV), 1), MAVX: x(l.MAVLow), MAVW: max(x(l.MAVHigh)-x(l.MAVLow), 1),
			BarX: left, BarW: max(x(wv.Sets)-left, 1), Sets: wv.Sets, Priority: wv.Priority, MEV: l.MEV, MAVLow: l.MAVLow, MAVHi: l.MAVHigh, MRV: l.MRV})
	}
	for t := 0; t <= maxV; t += tickEvery {
		c.Ticks = append(c.Ticks, pview.ChartTick{X: max(x(t), left+4), Label: strconv.Itoa(t)})
	}
	return c
}

func labels(ms []string) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = strings.ReplaceAll(m, "_", " ")
	}
	return out
}

// repsLabel is the range with its unit: "8–12" for reps, "20–40 s" for holds.
func repsLabel(e science.ProgramExercise) string {
	if exerciseUnit(e) == "seconds" {
		return fmt.Sprintf("%d–%d s", e.RepMin, e.RepMax)
	}
	return fmt.Sprintf("%d–%d", e.RepMin, e.RepMax)
}

func restLabel(sec int) string {
	if sec%60 == 0 {
		return fmt.Sprintf("%d min", sec/60)
	}
	if sec > 60 {
		return fmt.Sprintf("%d:%02d min", sec/60, sec%60)
	}
	return fmt.Sprintf("%d s", sec)
}
