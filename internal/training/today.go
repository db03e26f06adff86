package training

import (
	"context"
	"fmt"
	"time"

	"liftplan/internal/auth"
	"liftplan/internal/db/dbq"
	"liftplan/internal/science"
)

// Set is one logged set (the latest row per set number: a correction is a new row).
type Set struct {
	Week, Day  int
	ExerciseID string
	SetNo      int
	WeightKg   float64
	Reps       int
	RIR        *int
	LoggedAt   time.Time
}

// SessionLog is one completed session's feedback.
type SessionLog struct {
	Week, Day   int
	Feedback    Feedback
	CompletedAt time.Time
}

// programLog is everything logged against a program.
type programLog struct {
	sets     []Set
	sessions []SessionLog
}

func (s *Service) loadLog(ctx context.Context, programID int64) (programLog, error) {
	rows, err := s.q.ListProgramSets(ctx, programID)
	if err != nil {
		return programLog{}, fmt.Errorf("list sets: %w", err)
	}
	var l programLog
	for _, r := range rows {
		set := Set{Week: int(r.Week), Day: int(r.Day), ExerciseID: r.ExerciseID, SetNo: int(r.SetNo), WeightKg: r.WeightKg, Reps: int(r.Reps), LoggedAt: r.LoggedAt}
		if r.Rir != nil {
			n := int(*r.Rir)
			set.RIR = &n
		}
		l.sets = append(l.sets, set)
	}
	logs, err := s.q.ListSessionLogs(ctx, programID)
	if err != nil {
		return programLog{}, fmt.Errorf("list session logs: %w", err)
	}
	for _, r := range logs {
		l.sessions = append(l.sessions, sessionLogOf(r))
	}
	return l, nil
}

func sessionLogOf(r dbq.SessionLog) SessionLog {
	return SessionLog{Week: int(r.Week), Day: int(r.Day), CompletedAt: r.CompletedAt,
		Feedback: Feedback{Soreness: r.Soreness, Pump: r.Pump, JointPain: r.JointPain, Painful: r.PainfulExercises}}
}

func (l *programLog) completed(week, day int) bool {
	for _, s := range l.sessions {
		if s.Week == week && s.Day == day {
			return true
		}
	}
	return false
}

// setsOf returns the sets of one exercise in one session, by set number.
func (l *programLog) setsOf(week, day int, exerciseID string) []Set {
	var out []Set
	for _, s := range l.sets {
		if s.Week == week && s.Day == day && s.ExerciseID == exerciseID {
			out = append(out, s)
		}
	}
	return out
}

// Session is the Today page's model: one session of the plan with what is logged so far.
type Session struct {
	ProgramID  int64
	Week, Day  int
	Label      string
	Phase      string
	TargetRIR  int
	Completed  bool
	Exercises  []SessionExercise
	Weeks      int
	AllDone    bool
	Logged     int // sessions completed so far
	Sessions   int // sessions in the plan
	Previous   *SessionRef
	Next       *SessionRef
	ReadOnly   bool // a coach or admin reading
	OwnerEmail string
}

// SessionRef names another session of the plan.
type SessionRef struct{ Week, Day int }

// SessionExercise is one exercise of a session.
type SessionExercise struct {
	science.ProgramExercise
	Suggestion Suggestion
	// Logged holds one entry per planned set: nil until that set is logged.
	Logged []*Set
	// LastTime is how the exercise went the last time it was trained in this block.
	LastTime *LastSession
	// LastWhen names that session ("week 1, day 2").
	LastWhen string
	// E1RMKg is the best estimated max logged for the exercise in this block (0 when none).
	E1RMKg float64
}

// Done reports whether every planned set is logged.
func (e SessionExercise) Done() bool {
	for _, s := range e.Logged {
		if s == nil {
			return false
		}
	}
	return true
}

// Today returns the session to train: week/day when given (0 = not given), else the first
// session of the plan not yet completed (the last one once all are done). Only the owner logs;
// the owner's coach and admins get it read-only.
func (s *Service) Today(ctx context.Context, viewer auth.User, programID int64, week, day int) (Session, error) {
	p, err := s.Get(ctx, viewer, programID)
	if err != nil {
		return Session{}, err
	}
	if !p.Ready {
		return Session{}, ErrConflict
	}
	l, err := s.loadLog(ctx, p.ID)
	if err != nil {
		return Session{}, err
	}
	order := sessionOrder(&p)
	idx := -1
	if week != 0 || day != 0 {
		for i, r := range order {
			if r.Week == week && r.Day == day {
				idx = i
			}
		}
		if idx < 0 {
			return Session{}, ErrNotFound
		}
	} else {
		for i, r := range order {
			if !l.completed(r.Week, r.Day) {
				idx = i
				break
			}
		}
	}
	out := Session{ProgramID: p.ID, Weeks: len(p.Plan.Weeks), Sessions: len(order), Logged: len(l.sessions),
		ReadOnly: !p.Owns(viewer), OwnerEmail: p.OwnerEmail}
	if idx < 0 {
		out.AllDone = true
		idx = len(order) - 1
	}
	ref := order[idx]
	if idx > 0 {
		out.Previous = &order[idx-1]
	}
	if idx+1 < len(order) {
		out.Next = &order[idx+1]
	}
	w, d := p.day(ref.Week, ref.Day)
	out.Week, out.Day, out.Label, out.Phase, out.TargetRIR = ref.Week, ref.Day, d.Label, w.Phase, w.TargetRIR
	out.Completed = l.completed(ref.Week, ref.Day)
	for _, ex := range d.Exercises {
		out.Exercises = append(out.Exercises, sessionExercise(&p, &l, order[:idx], ref, ex))
	}
	return out, nil
}

// sessionOrder lists the plan's sessions in training order.
func sessionOrder(p *Program) []SessionRef {
	var out []SessionRef
	for _, w := range p.Plan.Weeks {
		for _, d := range w.Days {
			out = append(out, SessionRef{w.Week, d.Day})
		}
	}
	return out
}

// sessionExercise builds one exercise of a session: its logged sets, the last session before
// this one that trained it, and the suggestion from that.
func sessionExercise(p *Program, l *programLog, before []SessionRef, ref SessionRef, ex science.ProgramExercise) SessionExercise {
	se := SessionExercise{ProgramExercise: ex, Logged: make([]*Set, ex.Sets)}
	for _, set := range l.setsOf(ref.Week, ref.Day, ex.ExerciseID) {
		if set.SetNo >= 1 && set.SetNo <= ex.Sets {
			se.Logged[set.SetNo-1] = &set
		}
	}
	for i := len(before) - 1; i >= 0; i-- {
		prev := l.setsOf(before[i].Week, before[i].Day, ex.ExerciseID)
		if len(prev) == 0 {
			continue
		}
		_, d := p.day(before[i].Week, before[i].Day)
		pex := exercise(d, ex.ExerciseID)
		se.LastTime = &LastSession{Sets: prev, PlannedSets: pex.Sets, RepMax: pex.RepMax, TargetRIR: pex.TargetRIR}
		se.LastWhen = fmt.Sprintf("week %d, day %d", before[i].Week, before[i].Day)
		break
	}
	se.Suggestion = Suggest(ex, se.LastTime)
	if w, _ := p.day(ref.Week, ref.Day); w != nil && w.Phase == deloadPhase {
		se.Suggestion = deload(se.Suggestion, se.LastTime)
	}
	var all []Set
	for _, set := range l.sets {
		if set.ExerciseID == ex.ExerciseID {
			all = append(all, set)
		}
	}
	se.E1RMKg = E1RM(all)
	return se
}
