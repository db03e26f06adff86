package web

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/jackc/pgx/v5"
	"github.com/labstack/echo/v4"

	"liftplan/internal/db/dbq"
	"liftplan/views/admin"
	"liftplan/views/coach"
)

// coachPage lists the coach's clients with their latest program.
func (s *Server) coachPage(c echo.Context) error {
	u, _ := currentUser(c)
	rows, err := s.q.ListCoachClients(c.Request().Context(), &u.ID)
	if err != nil {
		return err
	}
	clients := make([]coach.Client, len(rows))
	for i, r := range rows {
		clients[i] = coach.Client{ID: r.ID, Email: r.Email, Paid: r.HasPaidAccess, LatestID: r.ProgramID, LatestStatus: r.ProgramStatus, LatestCreated: r.ProgramCreatedAt}
	}
	p, err := s.page(c, "Clients", false)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, coach.Clients(p, clients), nil)
}

// coachClient is one client's program history; another coach's client is a 404.
func (s *Server) coachClient(c echo.Context) error {
	u, _ := currentUser(c)
	id, err := strconv.ParseInt(c.Param("userID"), 10, 64)
	if err != nil || id <= 0 {
		return echo.NewHTTPError(http.StatusNotFound)
	}
	ctx := c.Request().Context()
	client, err := s.q.GetCoachClient(ctx, dbq.GetCoachClientParams{ClientID: id, CoachID: &u.ID, IsAdmin: u.IsAdmin()})
	if errors.Is(err, pgx.ErrNoRows) {
		return echo.NewHTTPError(http.StatusNotFound)
	}
	if err != nil {
		return err
	}
	rows, err := s.programs.List(ctx, client.ID)
	if err != nil {
		return err
	}
	p, err := s.page(c, "Client "+client.Email, false)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, coach.History(p, client.Email, historyRows(rows)), nil)
}

// adminPage is the generation health overview.
func (s *Server) adminPage(c echo.Context) error {
	ctx := c.Request().Context()
	counts, err := s.q.CountProgramsByStatus(ctx)
	if err != nil {
		return err
	}
	qs, err := s.q.QueueStats(ctx)
	if err != nil {
		return err
	}
	failed, err := s.adminRows(c, dbq.GenerationStatusFailed, 20)
	if err != nil {
		return err
	}
	d := admin.Dashboard{Counts: map[string]int{}, Queued: int(qs.Queued), OldestPendingSeconds: qs.OldestPendingSeconds, Failed: failed}
	for _, r := range counts {
		d.Counts[string(r.GenerationStatus)] = int(r.N)
	}
	d.Cache = s.cacheStats(c)
	p, err := s.page(c, "Admin", false)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, admin.Overview(p, d), nil)
}

// adminPrograms lists programs of one status (default failed) with error detail and attempts.
func (s *Server) adminPrograms(c echo.Context) error {
	status := dbq.GenerationStatus(c.QueryParam("status"))
	if status == "" {
		status = dbq.GenerationStatusFailed
	}
	if !status.Valid() {
		return echo.NewHTTPError(http.StatusBadRequest, "status must be pending, processing, completed or failed")
	}
	rows, err := s.adminRows(c, status, 200)
	if err != nil {
		return err
	}
	p, err := s.page(c, "Programs: "+string(status), false)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, admin.Programs(p, string(status), rows), nil)
}

func (s *Server) adminRows(c echo.Context, status dbq.GenerationStatus, limit int32) ([]admin.ProgramRow, error) {
	rows, err := s.q.ListProgramsByStatus(c.Request().Context(), dbq.ListProgramsByStatusParams{Status: status, MaxRows: limit})
	if err != nil {
		return nil, err
	}
	out := make([]admin.ProgramRow, len(rows))
	for i, r := range rows {
		out[i] = admin.ProgramRow{ID: r.ID, Email: r.Email, Status: string(r.GenerationStatus), Step: r.ProgressStep, Attempt: int(r.Attempt), UpdatedAt: r.UpdatedAt}
		if r.GenerationError != nil {
			out[i].Error = *r.GenerationError
		}
		if r.ErrorDetail != nil {
			out[i].Detail = *r.ErrorDetail
		}
	}
	return out, nil
}
