package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"liftplan/views/programs"
)

// programsPage lists the user's programs.
func (s *Server) programsPage(c echo.Context) error {
	p, err := s.page(c, "My programs", false)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, programs.History(p), nil)
}

// newProgramPage is the onboarding form.
func (s *Server) newProgramPage(c echo.Context) error {
	p, err := s.page(c, "New program", true)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, programs.New(p), nil)
}
