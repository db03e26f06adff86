package training

import (
	"context"
	"fmt"
	"time"

	"liftplan/internal/auth"
	"liftplan/internal/programs"
	"liftplan/internal/science"
)

// nextInput is the input of the block after p: the same answers, the block it follows and what
// its log said. The paid tier is the user's today (Submit sets it).
func (s *Service) nextInput(ctx context.Context, p Program) (science.Input, error) {
	sum, err := s.Summary(ctx, p)
	if err != nil {
		return science.Input{}, err
	}
	in := p.Input
	in.PreviousProgramID = p.ID
	in.LogSummary = &sum
	return in, nil
}

// NextBlock starts the next mesocycle from a completed block and its log (owner only;
// ErrConflict unless completed). It returns the new (pending, or cached) program's id.
func (s *Service) NextBlock(ctx context.Context, viewer auth.User, programID int64) (int64, error) {
	p, err := s.owned(ctx, viewer, programID)
	if err != nil {
		return 0, err
	}
	in, err := s.nextInput(ctx, p)
	if err != nil {
		return 0, err
	}
	id, err := s.submit.SubmitNext(ctx, viewer, in)
	if err != nil {
		return 0, fmt.Errorf("next block of %d: %w", programID, err)
	}
	return id, nil
}

// Adherence is one client's training at a glance, for the coach.
type Adherence struct {
	UserID      int64
	Email       string
	ProgramID   int64
	Status      string
	Planned     int
	Logged      int
	LastSession *time.Time
	PainFlags   int
	// Ready is true when the latest block is completed, so a next block can follow it.
	Ready   bool
	program Program
	paid    bool
}

// noSession is the query's stand-in for "never": the epoch.
var noSession = time.Unix(0, 0)

// Clients returns each of coach's clients that has a program, with the adherence of the latest.
func (s *Service) Clients(ctx context.Context, coach auth.User) ([]Adherence, error) {
	rows, err := s.q.LatestProgramsOfClients(ctx, &coach.ID)
	if err != nil {
		return nil, fmt.Errorf("coach clients: %w", err)
	}
	out := make([]Adherence, 0, len(rows))
	for _, r := range rows {
		a := Adherence{UserID: r.UserID, Email: r.Email, ProgramID: r.ProgramID, Status: string(r.GenerationStatus),
			Logged: int(r.SessionsLogged), PainFlags: int(r.PainFlags), paid: r.HasPaidAccess}
		if r.LastSession.After(noSession) {
			t := r.LastSession
			a.LastSession = &t
		}
		p, err := decodeProgram(r.ProgramID, r.UserID, r.Email, r.GenerationStatus, r.Program, r.Input)
		if err != nil {
			s.log.Warn("coach clients: unreadable program", "program_id", r.ProgramID, "error", err)
			continue
		}
		a.program, a.Ready = p, p.Ready
		a.Planned = p.sessionCount()
		out = append(out, a)
	}
	return out, nil
}

// ClientAdherence is one client's adherence; ErrNotFound when not coach's client or without a program.
func (s *Service) ClientAdherence(ctx context.Context, coach auth.User, clientID int64) (Adherence, error) {
	all, err := s.Clients(ctx, coach)
	if err != nil {
		return Adherence{}, err
	}
	for _, a := range all {
		if a.UserID == clientID {
			return a, nil
		}
	}
	return Adherence{}, ErrNotFound
}

// CoachNextBlocks starts next blocks for coach's clients whose latest block is completed: only
// clientID when it is not 0 (ErrNotFound if not theirs), else
// every such client. All are submitted in one transaction with one River job each. It returns
// how many started; ErrNotCompleted for one client whose latest block is not completed.
func (s *Service) CoachNextBlocks(ctx context.Context, coach auth.User, clientID int64) (int, error) {
	all, err := s.Clients(ctx, coach)
	if err != nil {
		return 0, err
	}
	var blocks []programs.NextBlock
	found := false
	for _, a := range all {
		if clientID != 0 && a.UserID != clientID {
			continue
		}
		found = true
		if !a.Ready {
			continue
		}
		in, err := s.nextInput(ctx, a.program)
		if err != nil {
			return 0, err
		}
		blocks = append(blocks, programs.NextBlock{User: auth.User{ID: a.UserID, Email: a.Email, HasPaidAccess: a.paid}, Input: in})
	}
	switch {
	case clientID != 0 && !found:
		return 0, ErrNotFound
	case clientID != 0 && len(blocks) == 0:
		return 0, ErrNotCompleted
	case len(blocks) == 0:
		return 0, nil
	}
	ids, err := s.submit.SubmitNextBlocks(ctx, blocks)
	if err != nil {
		return 0, fmt.Errorf("coach next blocks: %w", err)
	}
	return len(ids), nil
}
