package admin

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"liftplan/internal/auth"
	"liftplan/internal/db/dbq"
	"liftplan/internal/programs"
)

// Client is one of a coach's clients with their latest program (LatestID 0: none yet).
type Client struct {
	ID            int64
	Email         string
	Paid          bool
	LatestID      int64
	LatestStatus  string
	LatestCreated time.Time
}

// Clients lists the coach's clients with their latest program.
func (s *Service) Clients(ctx context.Context, coach auth.User) ([]Client, error) {
	rows, err := s.q.ListCoachClients(ctx, &coach.ID)
	if err != nil {
		return nil, fmt.Errorf("coach clients: %w", err)
	}
	out := make([]Client, len(rows))
	for i, r := range rows {
		out[i] = Client{ID: r.ID, Email: r.Email, Paid: r.HasPaidAccess, LatestID: r.ProgramID, LatestStatus: r.ProgramStatus, LatestCreated: r.ProgramCreatedAt}
	}
	return out, nil
}

// ClientHistory is one client's program history as their coach (or an admin) sees it;
// anyone else's client is ErrNoSuchUser.
func (s *Service) ClientHistory(ctx context.Context, viewer auth.User, clientID int64) (email string, history []programs.Program, err error) {
	client, err := s.q.GetCoachClient(ctx, dbq.GetCoachClientParams{ClientID: clientID, CoachID: &viewer.ID, IsAdmin: viewer.IsAdmin()})
	if errors.Is(err, pgx.ErrNoRows) {
		return "", nil, ErrNoSuchUser
	}
	if err != nil {
		return "", nil, fmt.Errorf("coach client %d: %w", clientID, err)
	}
	history, err = s.programs.List(ctx, client.ID)
	return client.Email, history, err
}
