package web

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"liftplan/internal/auth"
	"liftplan/internal/training"
	tview "liftplan/views/training"
)

// Training is what the training pages and the coach's next blocks need of internal/training.
type Training interface {
	Today(ctx context.Context, viewer auth.User, programID int64, week, day int) (training.Session, error)
	CanLog(ctx context.Context, viewer auth.User, programID int64) error
	LogSet(ctx context.Context, viewer auth.User, programID int64, in training.SetInput) (bool, error)
	Complete(ctx context.Context, viewer auth.User, programID int64, week, day int, f training.Feedback) error
	History(ctx context.Context, viewer auth.User, programID int64) (training.History, error)
	NextBlock(ctx context.Context, viewer auth.User, programID int64) (int64, error)
	Clients(ctx context.Context, coach auth.User) ([]training.Adherence, error)
	ClientAdherence(ctx context.Context, coach auth.User, clientID int64) (training.Adherence, error)
	CoachNextBlocks(ctx context.Context, coach auth.User, clientID int64) (int, error)
}

// sessionQuery reads ?week=&day= (both or neither); anything else is a 404.
func sessionQuery(c echo.Context) (week, day int, err error) {
	w, d := c.QueryParam("week"), c.QueryParam("day")
	if w == "" && d == "" {
		return 0, 0, nil
	}
	week, werr := strconv.Atoi(w)
	day, derr := strconv.Atoi(d)
	if werr != nil || derr != nil || week < 1 || day < 1 {
		return 0, 0, echo.NewHTTPError(http.StatusNotFound)
	}
	return week, day, nil
}

func todayURL(programID int64, week, day int) string {
	return fmt.Sprintf("/programs/%d/today?week=%d&day=%d", programID, week, day)
}

// todayPage is the session to train (the next not completed, or ?week=&day=).
func (s *Server) todayPage(c echo.Context) error {
	id, err := programID(c)
	if err != nil {
		return err
	}
	week, day, err := sessionQuery(c)
	if err != nil {
		return err
	}
	return s.renderToday(c, http.StatusOK, id, week, day, nil)
}

// renderToday renders a session; edit, when set, puts a refused submission back on the page.
func (s *Server) renderToday(c echo.Context, status int, id int64, week, day int, edit func(*tview.TodayView)) error {
	u, _ := currentUser(c)
	sess, err := s.training.Today(c.Request().Context(), u, id, week, day)
	if err != nil {
		return err
	}
	p, err := s.page(c, fmt.Sprintf("Week %d, day %d", sess.Week, sess.Day), true)
	if err != nil {
		return err
	}
	v := todayView(sess, p.CSRF)
	if edit != nil {
		edit(&v)
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return render(c, status, tview.Today(p, v), nil)
}

// logSet records one set: 303 back to the session (htmx: the updated row). A replayed
// client_key changes nothing; a bad value or a set not in the program is 422 naming the field,
// with nothing written.
func (s *Server) logSet(c echo.Context) error {
	u, _ := currentUser(c)
	id, err := programID(c)
	if err != nil {
		return err
	}
	var in training.SetInput
	values, errs, err := s.trainingWrite(c, u, id, func(v url.Values) training.FieldErrors {
		var errs training.FieldErrors
		in, errs = training.ParseSet(v)
		return errs
	}, func(ctx context.Context) error {
		_, err := s.training.LogSet(ctx, u, id, in)
		return err
	})
	if err != nil {
		return err
	}
	if errs != nil {
		return s.refusedSet(c, id, values, errs)
	}
	if !isHTMX(c) {
		return redirect(c, todayURL(id, in.Week, in.Day)+"#"+setRowID(in.ExerciseID, in.SetNo))
	}
	sess, err := s.training.Today(c.Request().Context(), u, id, in.Week, in.Day)
	if err != nil {
		return err
	}
	token, err := s.csrfToken(c)
	if err != nil {
		return err
	}
	for _, ex := range todayView(sess, token).Exercises {
		for _, r := range ex.Rows {
			if r.ExerciseID == in.ExerciseID && r.SetNo == in.SetNo {
				return render(c, http.StatusOK, tview.SetRow(r), tview.SetRow(r))
			}
		}
	}
	return echo.NewHTTPError(http.StatusNotFound)
}

func setRowID(exerciseID string, setNo int) string {
	return tview.SetRowView{ExerciseID: exerciseID, SetNo: setNo}.RowID()
}

// refusedSet answers 422: htmx gets the row back with the submitted values and the errors; a
// plain browser gets the session page with them (on the row when it is on the page).
func (s *Server) refusedSet(c echo.Context, id int64, values url.Values, errs training.FieldErrors) error {
	token, err := s.csrfToken(c)
	if err != nil {
		return err
	}
	week, _ := strconv.Atoi(values.Get("week"))
	day, _ := strconv.Atoi(values.Get("day"))
	setNo, _ := strconv.Atoi(values.Get("set_no"))
	row := tview.SetRowView{ProgramID: id, Week: week, Day: day, ExerciseID: values.Get("exercise_id"), SetNo: setNo,
		ClientKey: values.Get("client_key"), WeightKg: values.Get("weight_kg"), Reps: values.Get("reps"), RIR: values.Get("rir"),
		CSRF: token, Errors: errs}
	if isHTMX(c) {
		return render(c, http.StatusUnprocessableEntity, tview.SetRow(row), tview.SetRow(row))
	}
	if errs["week"] != "" || errs["day"] != "" {
		week, day = 0, 0
	}
	return s.renderToday(c, http.StatusUnprocessableEntity, id, week, day, func(v *tview.TodayView) {
		for i := range v.Exercises {
			for j, r := range v.Exercises[i].Rows {
				if r.ExerciseID == row.ExerciseID && r.SetNo == row.SetNo {
					row.RestSeconds, row.IsHold = r.RestSeconds, r.IsHold
					v.Exercises[i].Rows[j] = row
					return
				}
			}
		}
		v.LogErrors = errs
	})
}

// trainingWrite is the shape of every log write: only the owner may log, the form is parsed,
// and the write runs only when it parsed. Field errors from either step come back as errs
// (the caller answers 422); any other failure is err.
func (s *Server) trainingWrite(c echo.Context, u auth.User, id int64, parse func(url.Values) training.FieldErrors,
	write func(context.Context) error) (values url.Values, errs training.FieldErrors, err error) {
	ctx := c.Request().Context()
	if err := s.training.CanLog(ctx, u, id); err != nil {
		return nil, nil, err
	}
	values, err = c.FormParams()
	if err != nil {
		return nil, nil, echo.NewHTTPError(http.StatusBadRequest, "The form could not be read.")
	}
	if errs = parse(values); errs != nil {
		return values, errs, nil
	}
	var fe training.FieldErrors
	switch err := write(ctx); {
	case errors.As(err, &fe):
		return values, fe, nil
	case err != nil:
		return values, nil, err
	}
	return values, nil, nil
}

// completeSession stores the session's feedback and moves Today on: 303 to today.
func (s *Server) completeSession(c echo.Context) error {
	u, _ := currentUser(c)
	id, err := programID(c)
	if err != nil {
		return err
	}
	week, werr := strconv.Atoi(c.Param("week"))
	day, derr := strconv.Atoi(c.Param("day"))
	if werr != nil || derr != nil || week < 1 || day < 1 {
		return echo.NewHTTPError(http.StatusNotFound)
	}
	var f training.Feedback
	_, errs, err := s.trainingWrite(c, u, id, func(v url.Values) training.FieldErrors {
		var errs training.FieldErrors
		f, errs = training.ParseFeedback(v)
		return errs
	}, func(ctx context.Context) error {
		return s.training.Complete(ctx, u, id, week, day, f)
	})
	if err != nil {
		return err
	}
	if errs != nil {
		return s.renderToday(c, http.StatusUnprocessableEntity, id, week, day, func(v *tview.TodayView) {
			v.FeedbackErrors = errs
			v.Feedback.Soreness, v.Feedback.Pump, v.Feedback.JointPain, v.Feedback.Painful = f.Soreness, f.Pump, f.JointPain, f.Painful
		})
	}
	return redirect(c, fmt.Sprintf("/programs/%d/today", id))
}

// logPage is the program's training history with a progress chart per exercise.
func (s *Server) logPage(c echo.Context) error {
	u, _ := currentUser(c)
	id, err := programID(c)
	if err != nil {
		return err
	}
	h, err := s.training.History(c.Request().Context(), u, id)
	if err != nil {
		return err
	}
	p, err := s.page(c, "Training log", true)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, tview.History(p, historyView(h, u, p.CSRF)), nil)
}

// logCSV is the log as CSV: date,week,day,exercise_id,exercise,set,weight_kg,reps,rir.
func (s *Server) logCSV(c echo.Context) error {
	u, _ := currentUser(c)
	id, err := programID(c)
	if err != nil {
		return err
	}
	h, err := s.training.History(c.Request().Context(), u, id)
	if err != nil {
		return err
	}
	res := c.Response()
	res.Header().Set(echo.HeaderContentType, "text/csv; charset=utf-8")
	res.Header().Set(echo.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="liftplan-program-%d-log.csv"`, id))
	res.Header().Set("Cache-Control", "no-store")
	res.WriteHeader(http.StatusOK)
	w := csv.NewWriter(res)
	_ = w.Write(training.CSVHeader)
	for _, sess := range h.Sessions {
		for _, set := range sess.Sets {
			rir := ""
			if set.RIR != nil {
				rir = strconv.Itoa(*set.RIR)
			}
			_ = w.Write([]string{set.LoggedAt.UTC().Format(time.DateOnly), strconv.Itoa(set.Week), strconv.Itoa(set.Day), set.ExerciseID,
				csvSafe(set.Exercise), strconv.Itoa(set.SetNo), strconv.FormatFloat(set.WeightKg, 'f', -1, 64), strconv.Itoa(set.Reps), rir})
		}
	}
	w.Flush()
	return w.Error()
}

// csvSafe keeps a spreadsheet from reading a cell as a formula.
func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@", rune(s[0])) {
		return "'" + s
	}
	return s
}

// nextBlock starts the next mesocycle from this completed block and its log → 303 to the new
// (pending) program; 409 unless completed.
func (s *Server) nextBlock(c echo.Context) error {
	u, _ := currentUser(c)
	id, err := programID(c)
	if err != nil {
		return err
	}
	newID, err := s.training.NextBlock(c.Request().Context(), u, id)
	if err != nil {
		return err
	}
	return redirect(c, "/programs/"+strconv.FormatInt(newID, 10))
}

// coachNextBlock starts the next block of one client (the coach's own) → 303 /coach.
func (s *Server) coachNextBlock(c echo.Context) error {
	u, _ := currentUser(c)
	clientID, err := strconv.ParseInt(c.Param("userID"), 10, 64)
	if err != nil || clientID <= 0 {
		return echo.NewHTTPError(http.StatusNotFound)
	}
	n, err := s.training.CoachNextBlocks(c.Request().Context(), u, clientID)
	if err != nil {
		return err
	}
	return s.flashRedirect(c, startedMessage(n), "/coach")
}

// coachNextBlocks starts the next block of every client whose latest block is completed, in one
// transaction with one job each → 303 /coach with how many started.
func (s *Server) coachNextBlocks(c echo.Context) error {
	u, _ := currentUser(c)
	n, err := s.training.CoachNextBlocks(c.Request().Context(), u, 0)
	if err != nil {
		return err
	}
	return s.flashRedirect(c, startedMessage(n), "/coach")
}

func startedMessage(n int) string {
	switch n {
	case 0:
		return "No next block started: no client has a completed block waiting."
	case 1:
		return "Started 1 next block."
	default:
		return fmt.Sprintf("Started %d next blocks.", n)
	}
}

// adherenceView is a client's adherence line.
func adherenceView(a training.Adherence) tview.AdherenceView {
	v := tview.AdherenceView{ProgramID: a.ProgramID, Logged: a.Logged, Planned: a.Planned, PainFlags: a.PainFlags, Ready: a.Ready}
	if a.LastSession != nil {
		v.Last = a.LastSession.UTC().Format("2 Jan 2006")
	}
	return v
}
