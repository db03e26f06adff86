package web

import (
	"crypto/rand"
	"encoding/base64"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"liftplan/internal/auth"
	"liftplan/internal/programs"
	"liftplan/internal/science"
	pview "liftplan/views/programs"
)

// StatusPollingDone is htmx 2's "stop polling" status code.
const StatusPollingDone = 286

// programsPage lists the user's programs, newest first.
func (s *Server) programsPage(c echo.Context) error {
	u, _ := currentUser(c)
	list, err := s.programs.List(c.Request().Context(), u.ID)
	if err != nil {
		return err
	}
	p, err := s.page(c, "My programs", false)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, pview.History(p, historyRows(list)), nil)
}

// newProgramPage is the onboarding form, pre-filled with the last answers.
func (s *Server) newProgramPage(c echo.Context) error {
	u, _ := currentUser(c)
	in, found, err := s.programs.LastAnswers(c.Request().Context(), u.ID)
	if err != nil {
		return err
	}
	if !found {
		in = science.Input{Goal: science.GoalHypertrophy, Experience: science.LevelBeginner, DaysPerWeek: 3, SessionMinutes: 60}
	}
	f := formView(in, nil)
	f.Prefilled = found
	f.IdempotencyKey = newIdempotencyKey()
	return s.renderForm(c, http.StatusOK, f)
}

func (s *Server) renderForm(c echo.Context, status int, f pview.FormView) error {
	p, err := s.page(c, "New program", true)
	if err != nil {
		return err
	}
	return render(c, status, pview.New(p, f), nil)
}

// createProgram validates the form and submits it: 303 to the (new or joined) program, or the
// form again with 422 and every bad field named. Nothing is stored for an invalid form.
func (s *Server) createProgram(c echo.Context) error {
	u, _ := currentUser(c)
	values, err := c.FormParams()
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, "The form could not be read.")
	}
	f, errs := programs.ParseForm(values)
	if errs != nil {
		fv := formView(f.Input, errs)
		fv.MinutesTyped = values.Get("session_minutes") // shown again as typed, even out of range
		fv.IdempotencyKey = newIdempotencyKey()
		return s.renderForm(c, http.StatusUnprocessableEntity, fv)
	}
	res, err := s.programs.Submit(c.Request().Context(), u, f)
	if err != nil {
		return err
	}
	return redirect(c, "/programs/"+strconv.FormatInt(res.ProgramID, 10))
}

// programID reads the :id parameter; anything but a positive integer is a 404.
func programID(c echo.Context) (int64, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, echo.NewHTTPError(http.StatusNotFound)
	}
	return id, nil
}

// loadProgram returns the program if the signed-in viewer may see it; otherwise 404.
func (s *Server) loadProgram(c echo.Context) (programs.Program, auth.User, error) {
	u, _ := currentUser(c)
	id, err := programID(c)
	if err != nil {
		return programs.Program{}, u, err
	}
	p, err := s.programs.Get(c.Request().Context(), u, id)
	return p, u, err
}

// showProgram is the program page with its live status element.
func (s *Server) showProgram(c echo.Context) error {
	prog, _, err := s.loadProgram(c)
	if err != nil {
		return err
	}
	name := programName(prog.Input, prog.CreatedAt)
	pg, err := s.page(c, name, true)
	if err != nil {
		return err
	}
	week, _ := strconv.Atoi(c.QueryParam("week"))
	sv := s.statusView(prog, pg.CSRF, week)
	owner := ""
	if !prog.Viewer.Owned {
		owner = prog.OwnerEmail
	}
	if !sv.Terminal() {
		pg.NoScriptRefresh = 3 // browsers without JavaScript reload; with it, SSE (or polling) takes over
	}
	return render(c, http.StatusOK, pview.Page(pg, sv, name, owner, prog.UserID), nil)
}

// programStatus is the status fragment for polling; 286 tells htmx to stop once it is final.
func (s *Server) programStatus(c echo.Context) error {
	prog, _, err := s.loadProgram(c)
	if err != nil {
		return err
	}
	token, err := s.csrfToken(c)
	if err != nil {
		return err
	}
	week, _ := strconv.Atoi(c.QueryParam("week"))
	sv := s.statusView(prog, token, week)
	status := http.StatusOK
	if sv.Terminal() {
		status = StatusPollingDone
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return render(c, status, pview.Status(sv), pview.Status(sv))
}

// exportJSON is the export document of DESIGN §5.
type exportJSON struct {
	ID          int64            `json:"id"`
	Status      string           `json:"status"`
	Step        string           `json:"step"`
	Error       *string          `json:"error"`
	Source      *string          `json:"source"`
	Attempt     int              `json:"attempt"`
	CreatedAt   time.Time        `json:"created_at"`
	CompletedAt *time.Time       `json:"completed_at"`
	Input       science.Input    `json:"input"`
	Program     *science.Program `json:"program"`
}

// exportProgram is the export JSON of DESIGN §5.
func (s *Server) exportProgram(c echo.Context) error {
	prog, _, err := s.loadProgram(c)
	if err != nil {
		return err
	}
	out := exportJSON{ID: prog.ID, Status: string(prog.Status), Step: string(prog.Step), Attempt: prog.Attempt,
		CreatedAt: prog.CreatedAt, CompletedAt: prog.CompletedAt, Input: prog.Input, Program: prog.Plan}
	if prog.Message != "" {
		out.Error = &prog.Message
	}
	if prog.Source != "" {
		out.Source = &prog.Source
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(http.StatusOK, out)
}

// retryProgram starts a failed program again (owner or admin): 303 back to it, 409 otherwise.
func (s *Server) retryProgram(c echo.Context) error {
	u, _ := currentUser(c)
	id, err := programID(c)
	if err != nil {
		return err
	}
	if err := s.programs.Retry(c.Request().Context(), u, id); err != nil {
		return err
	}
	return redirect(c, "/programs/"+strconv.FormatInt(id, 10))
}

// regenerateProgram makes a new program from the same answers (owner only).
func (s *Server) regenerateProgram(c echo.Context) error {
	u, _ := currentUser(c)
	id, err := programID(c)
	if err != nil {
		return err
	}
	res, err := s.programs.Regenerate(c.Request().Context(), u, id)
	if err != nil {
		return err
	}
	return redirect(c, "/programs/"+strconv.FormatInt(res.ProgramID, 10))
}

// exercisesJSON is the catalogue as data.
func (s *Server) exercisesJSON(c echo.Context) error {
	c.Response().Header().Set("Cache-Control", "private, max-age=3600")
	return c.JSON(http.StatusOK, science.Catalogue())
}

func newIdempotencyKey() string {
	b := make([]byte, 18)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
