package web

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"liftplan/internal/auth"
	"liftplan/internal/science"
	"liftplan/internal/training"
	tview "liftplan/views/training"
)

// kg formats a load without trailing zeros ("62.5", "60").
func kg(f float64) string { return strconv.FormatFloat(math.Round(f*100)/100, 'f', -1, 64) }

// todayView turns a session into the Today page's view model.
func todayView(s training.Session, csrf string) tview.TodayView {
	v := tview.TodayView{ProgramID: s.ProgramID, Week: s.Week, Day: s.Day, Label: s.Label, Phase: s.Phase, TargetRIR: s.TargetRIR,
		Completed: s.Completed, AllDone: s.AllDone, ReadOnly: s.ReadOnly, CSRF: csrf,
		Progress: fmt.Sprintf("%d of %d sessions completed · target RIR %d this week", s.Logged, s.Sessions, s.TargetRIR)}
	if s.ReadOnly {
		v.Owner = s.OwnerEmail
	}
	if s.Previous != nil {
		v.PrevURL = todayURL(s.ProgramID, s.Previous.Week, s.Previous.Day)
	}
	if s.Next != nil {
		v.NextURL = todayURL(s.ProgramID, s.Next.Week, s.Next.Day)
	}
	active := false
	for i, ex := range s.Exercises {
		ev := exerciseView(s, ex, csrf)
		ev.Index, ev.Count = i+1, len(s.Exercises)
		if !active && !ev.Done {
			ev.Active, active = true, true
		}
		v.Exercises = append(v.Exercises, ev)
		v.Feedback.Exercises = append(v.Feedback.Exercises, tview.Choice{Value: ex.ExerciseID, Label: ex.Name})
	}
	if !active && len(v.Exercises) > 0 {
		v.Exercises[len(v.Exercises)-1].Active = true
	}
	return v
}

func exerciseView(s training.Session, ex training.SessionExercise, csrf string) tview.ExerciseView {
	hold := ex.Unit == science.UnitSeconds
	unit := "reps"
	if hold {
		unit = "s"
	}
	ev := tview.ExerciseView{ID: ex.ExerciseID, Name: ex.Name, Notes: ex.Notes, RestSeconds: ex.RestSeconds, IsHold: hold, Done: ex.Done(),
		Prescription: fmt.Sprintf("%d × %d–%d %s at RIR %d · rest %d:%02d", ex.Sets, ex.RepMin, ex.RepMax, unit, ex.TargetRIR,
			ex.RestSeconds/60, ex.RestSeconds%60),
		SuggestionWhy: ex.Suggestion.Why}
	if ex.Suggestion.Kg != nil {
		ev.SuggestedKg = kg(*ex.Suggestion.Kg)
	}
	if ex.LastTime != nil {
		parts := make([]string, len(ex.LastTime.Sets))
		for i, set := range ex.LastTime.Sets {
			parts[i] = fmt.Sprintf("%s kg × %d", kg(set.WeightKg), set.Reps)
		}
		ev.LastTime = ex.LastWhen + ": " + strings.Join(parts, ", ")
	}
	if ex.E1RMKg > 0 {
		ev.E1RM = kg(math.Round(ex.E1RMKg*10) / 10)
	}
	prevKg := ev.SuggestedKg
	if prevKg == "" && training.Bodyweight(ex.Equipment) {
		prevKg = "0" // the load is the lifter; kg is what is added
	}
	for i, logged := range ex.Logged {
		r := tview.SetRowView{ProgramID: s.ProgramID, Week: s.Week, Day: s.Day, ExerciseID: ex.ExerciseID, SetNo: i + 1,
			ClientKey: newIdempotencyKey(), RestSeconds: ex.RestSeconds, IsHold: hold, ReadOnly: s.ReadOnly, CSRF: csrf,
			RIR: strconv.Itoa(ex.TargetRIR)}
		if logged != nil {
			r.Logged, r.WeightKg, r.Reps, r.RIR = true, kg(logged.WeightKg), strconv.Itoa(logged.Reps), ""
			if logged.RIR != nil {
				r.RIR = strconv.Itoa(*logged.RIR)
			}
			prevKg = r.WeightKg // the next set starts from the load just used
		} else {
			r.WeightKg, r.Reps = prevKg, strconv.Itoa(plannedReps(ex, i))
		}
		ev.Rows = append(ev.Rows, r)
	}
	return ev
}

// plannedReps pre-fills a set's reps: last time's reps for that set when the load holds, the
// bottom of the range after a step up or the first time.
func plannedReps(ex training.SessionExercise, i int) int {
	if ex.LastTime == nil || ex.Suggestion.Kg == nil || i >= len(ex.LastTime.Sets) {
		return ex.RepMin
	}
	last := ex.LastTime.Sets[i]
	if last.WeightKg != *ex.Suggestion.Kg {
		return ex.RepMin
	}
	return min(max(last.Reps, ex.RepMin), ex.RepMax)
}

// historyView turns a program's log into the history page's view model.
func historyView(h training.History, viewer auth.User, csrf string) tview.HistoryView {
	v := tview.HistoryView{ProgramID: h.Program.ID, CanLog: h.CanLog, CSRF: csrf}
	if !h.Program.Owns(viewer) {
		v.Owner = h.Program.OwnerEmail
	}
	for _, s := range h.Sessions {
		hs := tview.HistorySession{Title: fmt.Sprintf("Week %d, day %d: %s", s.Week, s.Day, s.Label)}
		if !s.Date.IsZero() {
			hs.Date = s.Date.UTC().Format("Mon 2 Jan 2006")
		}
		if f := s.Feedback; f != nil {
			hs.Feedback = fmt.Sprintf("soreness %s, pump %s, joint pain %s", f.Soreness, f.Pump, f.JointPain)
			if len(f.Painful) > 0 {
				hs.Feedback += " (" + strings.Join(f.Painful, ", ") + ")"
			}
		} else {
			hs.Feedback = "not completed"
		}
		for _, set := range s.Sets {
			r := tview.HistoryRow{Exercise: set.Exercise, Set: strconv.Itoa(set.SetNo), Load: kg(set.WeightKg), Reps: strconv.Itoa(set.Reps)}
			if set.RIR != nil {
				r.RIR = strconv.Itoa(*set.RIR)
			}
			hs.Rows = append(hs.Rows, r)
		}
		v.Sessions = append(v.Sessions, hs)
	}
	for _, p := range h.Progress {
		ch := tview.Chart{ExerciseID: p.ExerciseID, Name: p.Name}
		for _, pt := range p.Points {
			ch.Points = append(ch.Points, tview.ChartPoint{Label: fmt.Sprintf("week %d, day %d", pt.Week, pt.Day), Kg: pt.Kg})
		}
		ch.Latest = kg(math.Round(p.Points[len(p.Points)-1].Kg*10) / 10)
		v.Charts = append(v.Charts, ch)
	}
	return v
}
