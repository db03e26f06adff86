// Package training is the training log: sets logged idempotently from the Today page, session
// feedback, the next session to train, load suggestions by double progression, estimated maxima,
// history, a coach's view of adherence, and the log summary a next block is built from. Loads
// are never stored as suggestions: they are computed from the log each time.
package training

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"liftplan/internal/auth"
	"liftplan/internal/db/dbq"
	"liftplan/internal/derrors"
	"liftplan/internal/programs"
	"liftplan/internal/science"
)

// Errors of the training domain; their kinds decide the HTTP status (internal/derrors).
var (
	// ErrNotFound: no such program, or not one the viewer may see (404).
	ErrNotFound = derrors.New(derrors.NotFound, "")
	// ErrForbidden: the viewer may read the program but not log into it (a coach, an admin).
	ErrForbidden = derrors.New(derrors.Forbidden, "Only the program's owner can log training or start its next block.")
	// ErrConflict: the program has no plan to train from yet (it is still being generated).
	ErrConflict = derrors.New(derrors.Conflict, "This program is not ready yet: training starts once it is generated.")
	// ErrNotCompleted: a coach asked for the next block of a client whose latest block is not completed.
	ErrNotCompleted = derrors.New(derrors.Conflict, "This client's latest block is not completed yet.")
)

// FieldErrors maps form field names to what is wrong with them (HTTP 422). Nothing is written
// when a submission has any.
type FieldErrors map[string]string

func (f FieldErrors) Error() string {
	parts := make([]string, 0, len(f))
	for k, v := range f {
		parts = append(parts, k+": "+v)
	}
	return "invalid training log: " + strings.Join(parts, "; ")
}

// Submitter starts generations; programs.Service implements it. A next block goes through the
// same submit path as POST /programs (one transaction, River job, live status, cache).
type Submitter interface {
	SubmitNext(ctx context.Context, u auth.User, in science.Input) (int64, error)
	SubmitNextBlocks(ctx context.Context, blocks []programs.NextBlock) ([]int64, error)
}

// Service is the training domain's entry point.
type Service struct {
	pool   *pgxpool.Pool
	q      *dbq.Queries
	submit Submitter
	log    *slog.Logger
	now    func() time.Time
}

// Options configures a Service.
type Options struct {
	// Pool is the database (required).
	Pool *pgxpool.Pool
	// Submitter starts next blocks (required).
	Submitter Submitter
	// Log receives warnings; nil discards them.
	Log *slog.Logger
}

// New returns the training service.
func New(o Options) (*Service, error) {
	if o.Pool == nil || o.Submitter == nil {
		return nil, errors.New("training: Pool and Submitter are required")
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	return &Service{pool: o.Pool, q: dbq.New(o.Pool), submit: o.Submitter, log: o.Log, now: time.Now}, nil
}

// Program is a program as the training log sees it: its plan decoded.
type Program struct {
	ID         int64
	UserID     int64
	OwnerEmail string
	// Ready is true once the program is completed and has a plan to train from.
	Ready bool
	Plan  science.Program
	Input science.Input
}

// Owns reports whether u owns the program (only the owner logs into it).
func (p Program) Owns(u auth.User) bool { return p.UserID == u.ID }

// Get returns program id if viewer may see it (owner, the owner's coach, an admin).
func (s *Service) Get(ctx context.Context, viewer auth.User, id int64) (Program, error) {
	row, err := s.q.GetTrainingProgram(ctx, dbq.GetTrainingProgramParams{ID: id, ViewerID: viewer.ID,
		ViewerIsCoach: viewer.IsCoach(), ViewerIsAdmin: viewer.IsAdmin()})
	if errors.Is(err, pgx.ErrNoRows) {
		return Program{}, ErrNotFound
	}
	if err != nil {
		return Program{}, fmt.Errorf("load program %d: %w", id, err)
	}
	return decodeProgram(row.ID, row.UserID, row.OwnerEmail, row.GenerationStatus, row.Program, row.Input)
}

func decodeProgram(id, userID int64, email string, status dbq.GenerationStatus, plan, input json.RawMessage) (Program, error) {
	p := Program{ID: id, UserID: userID, OwnerEmail: email}
	if err := json.Unmarshal(input, &p.Input); err != nil {
		return p, fmt.Errorf("program %d: stored input: %w", id, err)
	}
	if status == dbq.GenerationStatusCompleted && len(plan) > 0 {
		if err := json.Unmarshal(plan, &p.Plan); err != nil {
			return p, fmt.Errorf("program %d: stored plan: %w", id, err)
		}
		p.Ready = len(p.Plan.Weeks) > 0
	}
	return p, nil
}

// owned returns the program when viewer owns it and it has a plan: ErrNotFound for strangers,
// ErrForbidden for a coach or admin, ErrConflict while it is still generating.
func (s *Service) owned(ctx context.Context, viewer auth.User, id int64) (Program, error) {
	p, err := s.Get(ctx, viewer, id)
	if err != nil {
		return p, err
	}
	if !p.Owns(viewer) {
		return p, ErrForbidden
	}
	if !p.Ready {
		return p, ErrConflict
	}
	return p, nil
}

// CanLog reports whether viewer may log into the program: nil for its owner once it has a plan,
// else ErrNotFound (strangers), ErrForbidden (a coach or admin) or ErrConflict (not ready).
// Handlers ask before reading a form, so a refused form never reveals a program to a stranger.
func (s *Service) CanLog(ctx context.Context, viewer auth.User, id int64) error {
	_, err := s.owned(ctx, viewer, id)
	return err
}

// day returns the prescription of one session, or nil when the plan has no such session.
func (p *Program) day(week, day int) (*science.Week, *science.Day) {
	for w := range p.Plan.Weeks {
		if p.Plan.Weeks[w].Week != week {
			continue
		}
		for d := range p.Plan.Weeks[w].Days {
			if p.Plan.Weeks[w].Days[d].Day == day {
				return &p.Plan.Weeks[w], &p.Plan.Weeks[w].Days[d]
			}
		}
		return &p.Plan.Weeks[w], nil
	}
	return nil, nil
}

// exercise returns the prescription of an exercise on a day, or nil.
func exercise(d *science.Day, id string) *science.ProgramExercise {
	if d == nil {
		return nil
	}
	for i := range d.Exercises {
		if d.Exercises[i].ExerciseID == id {
			return &d.Exercises[i]
		}
	}
	return nil
}

// sessionCount is the number of sessions the plan prescribes.
func (p *Program) sessionCount() int {
	n := 0
	for _, w := range p.Plan.Weeks {
		n += len(w.Days)
	}
	return n
}
