package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"liftplan/internal/admin"
	"liftplan/internal/auth"
	"liftplan/internal/cache"
	"liftplan/internal/programs"
	adminview "liftplan/views/admin"
)

// maxSearch bounds the user search text (the longest email address).
const maxSearch = 254

// adminPage is the generation health overview with recent failures and the audit log.
func (s *Server) adminPage(c echo.Context) error {
	d, err := s.admin.Dashboard(c.Request().Context())
	if err != nil {
		return err
	}
	v := adminview.Dashboard{Counts: map[string]int{}, Queued: d.Queued, OldestPendingSeconds: d.OldestPendingSeconds,
		FinishedLastHour: d.FinishedLastHour, FailedLastHour: d.FailedLastHour, Failed: programRows(d.Failed), Cache: cacheView(d.Cache)}
	for st, n := range d.Counts {
		v.Counts[string(st)] = n
	}
	for _, a := range d.Audit {
		v.Audit = append(v.Audit, adminview.AuditRow{Actor: a.Actor, Action: a.Action, Target: a.Target, Detail: a.Detail, At: a.At})
	}
	p, err := s.page(c, "Admin", true)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, adminview.Overview(p, v), nil)
}

// adminPrograms lists programs of one status (default failed) with error detail and attempts.
func (s *Server) adminPrograms(c echo.Context) error {
	status := programs.Status(c.QueryParam("status"))
	if status == "" {
		status = programs.StatusFailed
	}
	if !status.Valid() {
		return echo.NewHTTPError(http.StatusBadRequest, "status must be pending, processing, completed or failed")
	}
	rows, err := s.admin.Programs(c.Request().Context(), status, admin.MaxProgramRows)
	if err != nil {
		return err
	}
	p, err := s.page(c, "Programs: "+string(status), true)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, adminview.Programs(p, string(status), programRows(rows)), nil)
}

func programRows(rows []admin.ProgramRow) []adminview.ProgramRow {
	out := make([]adminview.ProgramRow, len(rows))
	for i, r := range rows {
		out[i] = adminview.ProgramRow{ID: r.ID, Email: r.Email, Status: string(r.Status), Step: string(r.Step), Attempt: r.Attempt,
			Error: r.Error, Detail: r.Detail, UpdatedAt: r.UpdatedAt}
	}
	return out
}

// adminRetry retries one failed program: 303 back to the failed list, 409 when not failed.
func (s *Server) adminRetry(c echo.Context) error {
	u, _ := currentUser(c)
	id, err := programID(c)
	if err != nil {
		return err
	}
	if err := s.admin.RetryProgram(c.Request().Context(), u, id); err != nil {
		return err
	}
	return s.flashRedirect(c, fmt.Sprintf("Program #%d is generating again.", id), "/admin/programs?status=failed")
}

// adminRetryAll retries every failed program and reports how many.
func (s *Server) adminRetryAll(c echo.Context) error {
	u, _ := currentUser(c)
	n, err := s.admin.RetryAllFailed(c.Request().Context(), u)
	if err != nil {
		return err
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
	query := strings.TrimSpace(c.QueryParam("q"))
	if len(query) > maxSearch {
		return echo.NewHTTPError(http.StatusBadRequest, "The search text is too long.")
	}
	// PostgreSQL refuses NUL and invalid UTF-8 in text with an error, which would be a 500.
	if !utf8.ValidString(query) || strings.ContainsRune(query, 0) {
		return echo.NewHTTPError(http.StatusBadRequest, "The search text contains characters that cannot be searched for.")
	}
	rows, coachRows, err := s.admin.Users(c.Request().Context(), query)
	if err != nil {
		return err
	}
	users := make([]adminview.UserRow, len(rows))
	for i, r := range rows {
		users[i] = adminview.UserRow{ID: r.ID, Email: r.Email, Role: r.Role, CoachID: r.CoachID, CoachEmail: r.CoachEmail, Paid: r.Paid}
	}
	coaches := make([]adminview.Coach, len(coachRows))
	for i, r := range coachRows {
		coaches[i] = adminview.Coach{ID: r.ID, Email: r.Email}
	}
	p, err := s.page(c, "Users", true)
	if err != nil {
		return err
	}
	return render(c, status, adminview.Users(p, query, users, coaches, errs), nil)
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
	ch, problems := parseUserChange(form)
	if len(problems) > 0 {
		return s.renderUsers(c, http.StatusUnprocessableEntity, map[int64]string{id: strings.Join(problems, "; ")})
	}
	changed, err := s.admin.UpdateUser(c.Request().Context(), u, id, ch)
	var fe auth.FieldErrors
	if errors.As(err, &fe) {
		return s.renderUsers(c, http.StatusUnprocessableEntity, map[int64]string{id: fe.Error()})
	}
	if err != nil {
		return err
	}
	return s.flashRedirect(c, "Saved "+changed.Email+".", "/admin/users?q="+url.QueryEscape(changed.Email))
}

// parseUserChange reads the fields of a user form; each problem names its field.
func parseUserChange(form url.Values) (admin.UserChange, []string) {
	var ch admin.UserChange
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
	return ch, problems
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

// confirmYes is the value of the confirm field of a purge of every cache entry.
const confirmYes = "yes"

// purgeCache deletes expired or all cache entries (field scope; all also needs confirm=yes) and
// sends the admin back to /admin with a flash saying how many entries went.
func (s *Server) purgeCache(c echo.Context) error {
	if !s.admin.HasCache() {
		return echo.NewHTTPError(http.StatusNotFound)
	}
	scope, err := cache.ParseScope(c.FormValue("scope"))
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, "Choose which cache entries to purge: expired or all.")
	}
	// Every entry is a costly thing to lose by a slip: without JavaScript's dialog (which adds
	// confirm=yes when accepted), the admin confirms on a page of its own.
	if scope == cache.ScopeAll && c.FormValue("confirm") != confirmYes {
		p, err := s.page(c, "Purge all cache entries?", true)
		if err != nil {
			return err
		}
		return render(c, http.StatusUnprocessableEntity, adminview.ConfirmPurgeAll(p), nil)
	}
	u, _ := currentUser(c)
	n, err := s.admin.PurgeCache(c.Request().Context(), u, scope)
	if err != nil {
		return err
	}
	return s.flashRedirect(c, purgeMessage(scope, n), "/admin")
}

// purgeMessage is the flash after a purge.
func purgeMessage(scope cache.Scope, n int64) string {
	noun := "entries"
	if n == 1 {
		noun = "entry"
	}
	if scope == cache.ScopeAll {
		return fmt.Sprintf("Cache purged: deleted %d %s.", n, noun)
	}
	return fmt.Sprintf("Expired cache entries purged: deleted %d %s.", n, noun)
}

// cacheView is the cache section of /admin, or nil without a cache.
func cacheView(st *cache.Stats) *adminview.CacheStats {
	if st == nil {
		return nil
	}
	return &adminview.CacheStats{Hits: st.Hits, Misses: st.Misses, Bypasses: st.Bypasses, Errors: st.ReadErrors + st.WriteErrors,
		HitRate: st.HitRate(), LLMCallsSaved: st.LLMCallsSaved, TokensSaved: st.TokensSaved, Rows: st.Rows, Bytes: st.Bytes, SizeKnown: st.SizeKnown}
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
