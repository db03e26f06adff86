package web

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"liftplan/views/coach"
)

// coachPage lists the coach's clients with their latest program.
func (s *Server) coachPage(c echo.Context) error {
	u, _ := currentUser(c)
	list, err := s.admin.Clients(c.Request().Context(), u)
	if err != nil {
		return err
	}
	clients := make([]coach.Client, len(list))
	for i, r := range list {
		clients[i] = coach.Client{ID: r.ID, Email: r.Email, Paid: r.Paid, LatestID: r.LatestID, LatestStatus: r.LatestStatus, LatestCreated: r.LatestCreated}
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
	email, history, err := s.admin.ClientHistory(c.Request().Context(), u, id)
	if err != nil {
		return err
	}
	p, err := s.page(c, "Client "+email, false)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, coach.History(p, email, historyRows(history)), nil)
}
