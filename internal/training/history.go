package training

import (
	"context"
	"sort"
	"time"

	"liftplan/internal/auth"
	"liftplan/internal/science"
)

// History is a program's log: every session with its sets and feedback, and per exercise the
// estimated max over time.
type History struct {
	Program  Program
	Sessions []HistorySession
	Progress []ExerciseProgress
	// CanLog is true for the owner (the page then links back to Today).
	CanLog bool
}

// HistorySession is one session that has sets or feedback.
type HistorySession struct {
	Week, Day int
	Label     string
	Date      time.Time // completion time, else the last set's
	Sets      []HistorySet
	Feedback  *Feedback
}

// HistorySet is one set with its exercise's name.
type HistorySet struct {
	Set
	Exercise string
}

// ExerciseProgress is one exercise's estimated max per session, in training order.
type ExerciseProgress struct {
	ExerciseID string
	Name       string
	Points     []E1RMPoint
}

// E1RMPoint is one session's best estimated max of an exercise.
type E1RMPoint struct {
	Week, Day int
	Date      time.Time
	Kg        float64
}

// History returns the log of a program the viewer may see (owner, coach, admin).
func (s *Service) History(ctx context.Context, viewer auth.User, programID int64) (History, error) {
	p, err := s.Get(ctx, viewer, programID)
	if err != nil {
		return History{}, err
	}
	h := History{Program: p, CanLog: p.Owns(viewer) && p.Ready}
	if !p.Ready {
		return h, nil
	}
	l, err := s.loadLog(ctx, p.ID)
	if err != nil {
		return History{}, err
	}
	progress := map[string]*ExerciseProgress{}
	for _, ref := range sessionOrder(&p) {
		hs := HistorySession{Week: ref.Week, Day: ref.Day}
		_, d := p.day(ref.Week, ref.Day)
		hs.Label = d.Label
		for _, sl := range l.sessions {
			if sl.Week == ref.Week && sl.Day == ref.Day {
				fb := sl.Feedback
				hs.Feedback, hs.Date = &fb, sl.CompletedAt
			}
		}
		for _, ex := range d.Exercises {
			sets := l.setsOf(ref.Week, ref.Day, ex.ExerciseID)
			for _, set := range sets {
				hs.Sets = append(hs.Sets, HistorySet{Set: set, Exercise: ex.Name})
				if hs.Feedback == nil && set.LoggedAt.After(hs.Date) {
					hs.Date = set.LoggedAt
				}
			}
			if e := E1RM(sets); e > 0 {
				ep := progress[ex.ExerciseID]
				if ep == nil {
					ep = &ExerciseProgress{ExerciseID: ex.ExerciseID, Name: ex.Name}
					progress[ex.ExerciseID] = ep
				}
				ep.Points = append(ep.Points, E1RMPoint{Week: ref.Week, Day: ref.Day, Date: sets[len(sets)-1].LoggedAt, Kg: e})
			}
		}
		if len(hs.Sets) > 0 || hs.Feedback != nil {
			h.Sessions = append(h.Sessions, hs)
		}
	}
	for _, ep := range progress {
		h.Progress = append(h.Progress, *ep)
	}
	sort.Slice(h.Progress, func(i, j int) bool { return h.Progress[i].Name < h.Progress[j].Name })
	return h, nil
}

// CSVHeader is the header of log.csv (DESIGN §5).
var CSVHeader = []string{"date", "week", "day", "exercise_id", "exercise", "set", "weight_kg", "reps", "rir"}

// exerciseName is the catalogue name of an id, the id itself when unknown.
func exerciseName(id string) string {
	if e, ok := science.LookupExercise(id); ok {
		return e.Name
	}
	return id
}
