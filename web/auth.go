package web

import (
	"errors"
	"math"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"liftplan/internal/auth"
	authview "liftplan/views/auth"
	"liftplan/views/home"
)

// landing is the public front page; signed-in users go straight to their programs.
func (s *Server) landing(c echo.Context) error {
	if _, ok := currentUser(c); ok {
		return redirect(c, "/programs")
	}
	p, err := s.page(c, "", false)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, home.Landing(p), nil)
}

func (s *Server) signupPage(c echo.Context) error {
	return s.renderSignup(c, http.StatusOK, authview.Form{})
}

func (s *Server) renderSignup(c echo.Context, status int, f authview.Form) error {
	p, err := s.page(c, "Create account", true)
	if err != nil {
		return err
	}
	return render(c, status, authview.Signup(p, f), nil)
}

// signup creates the account and signs it in; field problems re-render the form with 422.
func (s *Server) signup(c echo.Context) error {
	email, password := c.FormValue("email"), c.FormValue("password")
	var (
		u   auth.User
		err error
	)
	// Two values for one field are a broken or crafted form: refuse rather than guess which counts.
	if form, _ := c.FormParams(); len(form["email"]) > 1 || len(form["password"]) > 1 {
		err = auth.FieldErrors{{Field: "email", Message: "send the email and password once each"}}
	} else {
		u, err = s.users.Signup(c.Request().Context(), auth.NewUser{Email: email, Password: password, Role: auth.RoleUser}, clientIP(c))
	}
	// auth.ErrBusy (every hashing worker taken) goes to the error handler: 503 with Retry-After.
	if errors.Is(err, auth.ErrThrottled) {
		c.Response().Header().Set("Retry-After", retryAfter(err))
		return s.renderSignup(c, http.StatusTooManyRequests, authview.Form{Email: email,
			Errors: map[string]string{"email": "Too many sign-ups from your network. Wait a few minutes and try again."}})
	}
	var fe auth.FieldErrors
	if errors.As(err, &fe) {
		f := authview.Form{Email: email, Errors: map[string]string{}}
		for _, e := range fe {
			f.Errors[e.Field] = e.Message
		}
		return s.renderSignup(c, http.StatusUnprocessableEntity, f)
	}
	if err != nil {
		return err
	}
	if err := s.startSession(c, u); err != nil {
		return err
	}
	return redirect(c, "/programs/new")
}

func (s *Server) loginPage(c echo.Context) error {
	return s.renderLogin(c, http.StatusOK, authview.Form{})
}

func (s *Server) renderLogin(c echo.Context, status int, f authview.Form) error {
	p, err := s.page(c, "Sign in", true)
	if err != nil {
		return err
	}
	return render(c, status, authview.Login(p, f), nil)
}

// login signs in with one generic message for every wrong combination, and 429 when throttled.
func (s *Server) login(c echo.Context) error {
	email := c.FormValue("email")
	u, err := s.users.Authenticate(c.Request().Context(), email, c.FormValue("password"), clientIP(c))
	switch {
	case errors.Is(err, auth.ErrThrottled):
		s.metrics.LoginFailures.WithLabelValues("throttled").Inc()
		c.Response().Header().Set("Retry-After", retryAfter(err))
		return s.renderLogin(c, http.StatusTooManyRequests, authview.Form{Email: email, Message: "Too many failed sign-ins. Wait a few minutes and try again."})
	case errors.Is(err, auth.ErrBadCredentials):
		s.metrics.LoginFailures.WithLabelValues("credentials").Inc()
		return s.renderLogin(c, http.StatusUnauthorized, authview.Form{Email: email, Message: "That email and password do not match an account."})
	case err != nil:
		return err
	}
	if err := s.startSession(c, u); err != nil {
		return err
	}
	return redirect(c, "/programs")
}

// startSession signs u in on a fresh session id with a fresh CSRF token (no fixation).
func (s *Server) startSession(c echo.Context, u auth.User) error {
	sess := session(c)
	if err := s.sessions.Renew(c.Request().Context(), sess); err != nil {
		return err
	}
	for k := range sess.Values {
		delete(sess.Values, k)
	}
	auth.SetUserID(sess, u.ID)
	auth.CSRFToken(sess)
	c.Set(ctxUser, u)
	return sess.Save(c.Request(), c.Response())
}

// logout destroys the session row, so a copied cookie stops working at once, and ends the
// session's live-status streams in this process (others see the row gone at the next change).
func (s *Server) logout(c echo.Context) error {
	sess := session(c)
	s.streams.EndSession(auth.SessionKey(sess))
	sess.Options.MaxAge = -1
	if err := sess.Save(c.Request(), c.Response()); err != nil {
		return err
	}
	return redirect(c, "/login")
}

// retryAfter is a throttling error's wait in whole seconds, for the Retry-After header.
func retryAfter(err error) string {
	return strconv.Itoa(int(math.Ceil(auth.RetryAfter(err).Seconds())))
}
