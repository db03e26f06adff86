package web

import (
	"fmt"
	"strconv"
	"strings"

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
		out[i] = pview.HistoryRow{ID: p.ID, Status: string(p.Status), Step: string(p.Step), Source: p.Source, Goal: in.Goal,
			Summary:   fmt.Sprintf("%d days × %d min, %s", in.DaysPerWeek, in.SessionMinutes, in.Experience),
			CreatedAt: p.CreatedAt, CompletedAt: p.CompletedAt}
	}
	return out
}

// statusView builds the live status element for the program's viewer; week selects the week shown.
func (s *Server) statusView(p programs.Program, csrf string, week int) pview.StatusView {
	sv := pview.StatusView{ID: p.ID, Status: string(p.Status), Step: string(p.Step), Attempt: p.Attempt,
		MaxAttempts: s.cfg.JobMaxAttempts, CSRF: csrf, CanRetry: p.Viewer.Retry, Message: p.Message,
		Headline: programs.StatusSentence(p.Status, p.Step), DraftDays: p.DraftDays}
	if p.Status == programs.StatusCompleted && p.Plan != nil {
		meta := programs.Metadata{}
		if p.Metadata != nil {
			meta = *p.Metadata
		}
		pv := programView(p, *p.Plan, meta, week)
		pv.Regenerate = p.Viewer.Regenerate
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
	v := pview.ProgramView{ID: row.ID, Name: p.Name, Rationale: p.Science.Rationale,
		Summary: fmt.Sprintf("%s · %s · %d days a week · %d weeks with a deload in week %d · progression: %s.",
			pview.Label(p.Goal), pview.Label(p.Experience), p.Split.DaysPerWeek, p.Mesocycle.Weeks, p.Mesocycle.DeloadWeek,
			strings.ReplaceAll(p.Mesocycle.Progression, "_", " ")),
		Warnings: p.Science.Warnings, Fixes: p.Science.Fixes,
		LandmarkNote: "Volume landmarks: " + p.Science.LandmarkTable + ".",
	}
	v.Source = row.Source
	if row.Usage != nil {
		v.Model = row.Usage.Model
	}
	if week < 1 || week > len(p.Weeks) {
		week = 1
	}
	base := "/programs/" + strconv.FormatInt(row.ID, 10)
	for _, w := range p.Weeks {
		label := "Week " + strconv.Itoa(w.Week)
		if w.Phase == science.PhaseDeload {
			label += " (deload)"
		}
		v.Weeks = append(v.Weeks, pview.WeekTab{Number: w.Week, Label: label, Selected: w.Week == week, URL: base + "?week=" + strconv.Itoa(w.Week) + "#program"})
	}
	if len(p.Weeks) == 0 {
		return v
	}
	w := p.Weeks[week-1]
	v.Week = pview.WeekView{Number: w.Week, Phase: w.Phase, TargetRIR: w.TargetRIR}
	for _, d := range w.Days {
		dv := pview.DayView{Label: d.Label, Minutes: d.EstimatedMinutes}
		for _, e := range d.Exercises {
			muscles := strings.Join(labels(e.PrimaryMuscles), ", ")
			if len(e.SecondaryMuscles) > 0 {
				muscles += " (also " + strings.Join(labels(e.SecondaryMuscles), ", ") + ")"
			}
			dv.Exercises = append(dv.Exercises, pview.ExerciseView{Name: e.Name, Muscles: muscles, Sets: e.Sets,
				Reps: fmt.Sprintf("%d–%d", e.RepMin, e.RepMax), RIR: e.TargetRIR, Rest: restLabel(e.RestSeconds),
				Notes: e.Notes, Rationale: e.Rationale})
		}
		v.Week.Days = append(v.Week.Days, dv)
	}
	v.Chart = volumeChart(p, week)
	return v
}

// volumeChart lays out the SVG: a label column, then one row per muscle trained or planned.
func volumeChart(p science.Program, week int) pview.Chart {
	const left, width, rowH = 124, 640, 22
	var vols []science.WeeklyVolume
	maxV := 10
	for _, wv := range p.WeeklyVolume {
		if wv.Week == week {
			vols = append(vols, wv)
			maxV = max(maxV, wv.Sets, wv.Landmarks.MRV)
		}
	}
	scale := float64(width-left-30) / float64(maxV)
	x := func(n int) int { return left + int(float64(n)*scale) }
	c := pview.Chart{Width: width, Height: len(vols)*rowH + 20, Title: fmt.Sprintf("Direct sets per muscle in week %d against each muscle's MEV–MRV band", week)}
	for i, wv := range vols {
		l := wv.Landmarks
		c.Rows = append(c.Rows, pview.ChartRow{Muscle: wv.Muscle, Label: pview.Label(wv.Muscle), Y: i * rowH,
			BandX: x(l.MEV), BandW: max(x(l.MRV)-x(l.MEV), 1), MAVX: x(l.MAVLow), MAVW: max(x(l.MAVHigh)-x(l.MAVLow), 1),
			BarW: x(wv.Sets) - left, Sets: wv.Sets, Priority: wv.Priority, MEV: l.MEV, MAVLow: l.MAVLow, MAVHi: l.MAVHigh, MRV: l.MRV})
	}
	for t := 0; t <= maxV; t += 5 {
		c.Ticks = append(c.Ticks, pview.ChartTick{X: x(t), Label: strconv.Itoa(t)})
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

func restLabel(sec int) string {
	if sec%60 == 0 {
		return fmt.Sprintf("%d min", sec/60)
	}
	if sec > 60 {
		return fmt.Sprintf("%d:%02d min", sec/60, sec%60)
	}
	return fmt.Sprintf("%d s", sec)
}

func exerciseRows() []pview.ExerciseRow {
	cat := science.Catalogue()
	out := make([]pview.ExerciseRow, len(cat))
	for i, e := range cat {
		eq := "bodyweight"
		if len(e.Equipment) > 0 {
			eq = strings.Join(labels(e.Equipment), ", ")
		}
		out[i] = pview.ExerciseRow{ID: e.ID, Name: e.Name, Pattern: strings.ReplaceAll(e.Pattern, "_", " "), Mechanic: e.Mechanic, Level: e.Level,
			Equipment: eq, Primary: strings.Join(labels(e.PrimaryMuscles), ", "), Secondary: strings.Join(labels(e.SecondaryMuscles), ", "),
			Contraindications: strings.Join(labels(e.Contraindications), ", ")}
	}
	return out
}
