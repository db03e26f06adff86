package web

import (
	"net/http"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"liftplan/internal/auth"
	"liftplan/views/layout"
)

// render writes a full page, or only fragment when htmx asks for one (HX-Request without
// HX-Boosted). fragment may be nil when the page has no fragment form.
func render(c echo.Context, status int, page, fragment templ.Component) error {
	c.Response().Header().Add("Vary", "HX-Request")
	comp := page
	if fragment != nil && isHTMX(c) {
		comp = fragment
	}
	c.Response().Header().Set(echo.HeaderContentType, echo.MIMETextHTMLCharsetUTF8)
	c.Response().WriteHeader(status)
	return comp.Render(c.Request().Context(), c.Response())
}

// page builds the frame's view model. Signed-in pages always carry the session's CSRF token (the
// logout form needs one); anonymous pages with a form (withForm) get a signed double-submit
// token instead, so no visitor ever creates a session row before signing in.
func (s *Server) page(c echo.Context, title string, withForm bool) (layout.Page, error) {
	p := layout.Page{Title: title, Path: c.Request().URL.Path}
	u, signedIn := currentUser(c)
	if signedIn {
		p.Viewer = &layout.Viewer{Email: u.Email, IsCoach: u.IsCoach(), IsAdmin: u.IsAdmin()}
	}
	sess := session(c)
	if sess == nil {
		return p, nil
	}
	dirty := false
	if signedIn {
		token, created := auth.CSRFToken(sess)
		p.CSRF, dirty = token, created
	} else if withForm {
		p.CSRF = s.sessions.AnonCSRFToken(c.Response(), c.Request())
	}
	if msg, changed := auth.TakeFlash(sess); changed {
		p.Flash, dirty = msg, true
	}
	if dirty {
		if err := sess.Save(c.Request(), c.Response()); err != nil {
			return p, err
		}
	}
	return p, nil
}

// redirect answers 303 to url; an htmx request gets the same navigation.
func redirect(c echo.Context, url string) error {
	return c.Redirect(http.StatusSeeOther, url)
}

// csrfToken returns the session's CSRF token for a fragment's forms, saving the session first if
// the token had to be created (a token never stored would make the form answer 403).
func (s *Server) csrfToken(c echo.Context) (string, error) {
	sess := session(c)
	if sess == nil {
		return "", nil
	}
	if _, signedIn := currentUser(c); !signedIn {
		return s.sessions.AnonCSRFToken(c.Response(), c.Request()), nil
	}
	token, created := auth.CSRFToken(sess)
	if created {
		if err := sess.Save(c.Request(), c.Response()); err != nil {
			return "", err
		}
	}
	return token, nil
}
