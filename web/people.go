package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/a-h/templ"
	"github.com/jackc/pgx/v5"
	"github.com/labstack/echo/v4"

	"liftplan/internal/auth"
	"liftplan/internal/db/dbq"
	"liftplan/internal/training"
	"liftplan/views/admin"
	"liftplan/views/coach"
	tview "liftplan/views/training"
)

// coachPage lists the coach's clients with their latest program.
func (s *Server) coachPage(c echo.Context) error {
	u, _ := currentUser(c)
	rows, err := s.q.ListCoachClients(c.Request().Context(), &u.ID)
	if err != nil {
		return err
	}
	adherence := map[int64]tview.AdherenceView{}
	if s.training != nil {
		all, err := s.training.Clients(c.Request().Context(), u)
		if err != nil {
			return err
		}
		for _, a := range all {
			adherence[a.UserID] = adherenceView(a)
		}
	}
	clients := make([]coach.Client, len(rows))
	for i, r := range rows {
		clients[i] = coach.Client{ID: r.ID, Email: r.Email, Paid: r.HasPaidAccess, LatestID: r.ProgramID, LatestStatus: r.ProgramStatus, LatestCreated: r.ProgramCreatedAt}
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
	if s.training != nil && len(clients) > 0 {
		actions = tview.CoachBatch(p.CSRF)
	}
	return render(c, http.StatusOK, coach.Clients(p, clients, actions), nil)
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
	p, err := s.page(c, "Client "+client.Email, true)
	if err != nil {
		return err
	}
	var trainingPart templ.Component
	if s.training != nil {
		a, err := s.training.ClientAdherence(ctx, u, client.ID)
		switch {
		case err == nil:
			trainingPart = tview.CoachClient(client.ID, adherenceView(a), p.CSRF)
		case !errors.Is(err, training.ErrNotFound): // no program yet: nothing to show
			return err
		}
	}
	return render(c, http.StatusOK, coach.History(p, client.Email, historyRows(rows), trainingPart), nil)
}

// adminPage is the generation health overview with recent failures and the audit log.
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
	hour, err := s.q.ProgramStatsSince(ctx, time.Now().Add(-time.Hour))
	if err != nil {
		return err
	}
	failed, err := s.adminRows(c, dbq.GenerationStatusFailed, 20)
	if err != nil {
		return err
	}
	auditRows, err := s.q.ListAudit(ctx, 50)
	if err != nil {
		return err
	}
	d := admin.Dashboard{Counts: map[string]int{}, Queued: int(qs.Queued), OldestPendingSeconds: qs.OldestPendingSeconds,
		FinishedLastHour: int(hour.Finished), FailedLastHour: int(hour.Failed), Failed: failed}
	for _, r := range counts {
		d.Counts[string(r.GenerationStatus)] = int(r.N)
	}
	for _, a := range auditRows {
		d.Audit = append(d.Audit, admin.AuditRow{Actor: a.ActorEmail, Action: a.Action, Target: a.Target, Detail: string(a.Detail), At: a.At})
	}
	d.Cache = s.cacheStats(c)
	p, err := s.page(c, "Admin", true)
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
	p, err := s.page(c, "Programs: "+string(status), true)
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

// adminRetry retries one failed program: 303 back to the failed list, 409 when not failed.
func (s *Server) adminRetry(c echo.Context) error {
	u, _ := currentUser(c)
	id, err := programID(c)
	if err != nil {
		return err
	}
	if err := s.programs.AdminRetry(c.Request().Context(), u, id); err != nil {
		return programError(err)
	}
	return s.flashRedirect(c, fmt.Sprintf("Program #%d is generating again.", id), "/admin/programs?status=failed")
}

// adminRetryAll retries every failed program and reports how many.
func (s *Server) adminRetryAll(c echo.Context) error {
	u, _ := currentUser(c)
	n, err := s.programs.AdminRetryAll(c.Request().Context(), u)
	if err != nil {
		return programError(err)
	}
	msg := fmt.Sprintf("Retried %d failed programs.", n)
	if n == 1 {
		msg = "Retried 1 failed program."
	}
	return s.flashRedirect(c, msg, "/admin/programs?status=failed")
}

// adminUsers lists accounts matching ?q= with forms to change role, coach and tier.
func (s *Server) adminUsers(c echo.Context) error {
	return s.renderUsers(c, http.StatusOK, nil)
}

func (s *Server) renderUsers(c echo.Context, status int, errs map[int64]string) error {
	ctx := c.Request().Context()
	query := strings.TrimSpace(c.QueryParam("q"))
	if len(query) > 254 {
		return echo.NewHTTPError(http.StatusBadRequest, "The search text is too long.")
	}
	// PostgreSQL refuses NUL and invalid UTF-8 in text with an error, which would be a 500.
	if !utf8.ValidString(query) || strings.ContainsRune(query, 0) {
		return echo.NewHTTPError(http.StatusBadRequest, "The search text contains characters that cannot be searched for.")
	}
	rows, err := s.q.SearchUsers(ctx, dbq.SearchUsersParams{Query: query, MaxRows: 200})
	if err != nil {
		return err
	}
	coachRows, err := s.q.ListCoaches(ctx)
	if err != nil {
		return err
	}
	users := make([]admin.UserRow, len(rows))
	for i, r := range rows {
		users[i] = admin.UserRow{ID: r.ID, Email: r.Email, Role: string(r.Role), CoachEmail: r.CoachEmail, Paid: r.HasPaidAccess}
		if r.CoachID != nil {
			users[i].CoachID = *r.CoachID
		}
	}
	coaches := make([]admin.Coach, len(coachRows))
	for i, r := range coachRows {
		coaches[i] = admin.Coach{ID: r.ID, Email: r.Email}
	}
	p, err := s.page(c, "Users", true)
	if err != nil {
		return err
	}
	return render(c, status, admin.Users(p, query, users, coaches, errs), nil)
}

// adminUpdateUser changes role, coach and paid access (fields left out stay as they are).
func (s *Server) adminUpdateUser(c echo.Context) error {
	u, _ := currentUser(c)
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return echo.NewHTTPError(http.StatusNotFound)
	}
	form, err := c.FormParams()
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, "The form could not be read.")
	}
	var ch auth.UserChange
	var problems []string
	if v, ok := form["role"]; ok {
		if len(v) != 1 {
			problems = append(problems, "role: send one value")
		} else {
			ch.Role = &v[0]
		}
	}
	if v, ok := form["coach_id"]; ok {
		ch.SetCoach = true
		if len(v) != 1 {
			problems = append(problems, "coach_id: send one value")
		} else if v[0] != "" {
			cid, err := strconv.ParseInt(v[0], 10, 64)
			if err != nil || cid <= 0 {
				problems = append(problems, "coach_id: choose a coach from the list")
			}
			ch.CoachID = &cid
		}
	}
	if v, ok := form["has_paid_access"]; ok {
		paid, valid := parseBool(v)
		if !valid {
			problems = append(problems, "has_paid_access: use true or false")
		}
		ch.HasPaidAccess = &paid
	}
	if len(problems) > 0 {
		return s.renderUsers(c, http.StatusUnprocessableEntity, map[int64]string{id: strings.Join(problems, "; ")})
	}
	changed, err := s.users.AdminUpdate(c.Request().Context(), u, id, ch)
	var fe auth.FieldErrors
	switch {
	case errors.Is(err, auth.ErrNoSuchUser):
		return echo.NewHTTPError(http.StatusNotFound)
	case errors.As(err, &fe):
		return s.renderUsers(c, http.StatusUnprocessableEntity, map[int64]string{id: fe.Error()})
	case err != nil:
		return err
	}
	return s.flashRedirect(c, "Saved "+changed.Email+".", "/admin/users?q="+url.QueryEscape(changed.Email))
}

func parseBool(v []string) (value, valid bool) {
	if len(v) != 1 {
		return false, false
	}
	switch strings.ToLower(v[0]) {
	case "true", "on", "1", "yes":
		return true, true
	case "false", "off", "0", "no", "":
		return false, true
	}
	return false, false
}

// flashRedirect shows msg on the next page and answers 303 to target.
func (s *Server) flashRedirect(c echo.Context, msg, target string) error {
	if sess := session(c); sess != nil {
		auth.SetFlash(sess, msg)
		if err := sess.Save(c.Request(), c.Response()); err != nil {
			return err
		}
	}
	return redirect(c, target)
}
