package web

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"liftplan/internal/training"
	"liftplan/views/coach"
	tview "liftplan/views/training"
)

// coachPage lists the coach's clients with their latest program and its adherence; while next
// blocks generate, the list refreshes itself.
func (s *Server) coachPage(c echo.Context) error {
	u, _ := currentUser(c)
	ctx := c.Request().Context()
	list, err := s.admin.Clients(ctx, u)
	if err != nil {
		return err
	}
	all, err := s.training.Clients(ctx, u)
	if err != nil {
		return err
	}
	adherence := map[int64]tview.AdherenceView{}
	for _, a := range all {
		adherence[a.UserID] = adherenceView(a)
	}
	clients := make([]coach.Client, len(list))
	for i, r := range list {
		clients[i] = coach.Client{ID: r.ID, Email: r.Email, Paid: r.Paid, LatestID: r.LatestID, LatestStatus: r.LatestStatus, LatestCreated: r.LatestCreated}
		if a, ok := adherence[r.ID]; ok {
			clients[i].Training = tview.Adherence(a)
		}
	}
	p, err := s.page(c, "Clients", true)
	if err != nil {
		return err
	}
	if coach.Running(clients) {
		p.NoScriptRefresh = 3
	}
	var actions templ.Component
	if len(clients) > 0 {
		actions = tview.CoachBatch(p.CSRF)
	}
	return render(c, http.StatusOK, coach.Clients(p, clients, actions), nil)
}

// coachClient is one client's program history with their adherence; another coach's client is a 404.
func (s *Server) coachClient(c echo.Context) error {
	u, _ := currentUser(c)
	id, err := strconv.ParseInt(c.Param("userID"), 10, 64)
	if err != nil || id <= 0 {
		return echo.NewHTTPError(http.StatusNotFound)
	}
	ctx := c.Request().Context()
	email, history, err := s.admin.ClientHistory(ctx, u, id)
	if err != nil {
		return err
	}
	p, err := s.page(c, "Client "+email, true)
	if err != nil {
		return err
	}
	var trainingPart templ.Component
	a, err := s.training.ClientAdherence(ctx, u, id)
	switch {
	case err == nil:
		trainingPart = tview.CoachClient(id, adherenceView(a), p.CSRF)
	case !errors.Is(err, training.ErrNotFound): // no program yet (or an admin's view): nothing to show
		return err
	}
	return render(c, http.StatusOK, coach.History(p, email, historyRows(history), trainingPart), nil)
}
