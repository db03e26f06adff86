package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"liftplan/internal/derrors"
	"liftplan/views/errorpage"
)

// kindStatus is the one table from domain errors to HTTP statuses: handlers return the
// service's error as it is, and never choose a status for a domain error themselves.
var kindStatus = map[derrors.Kind]int{
	derrors.NotFound:    http.StatusNotFound,
	derrors.Forbidden:   http.StatusForbidden,
	derrors.Conflict:    http.StatusConflict,
	derrors.Invalid:     http.StatusBadRequest,
	derrors.Unavailable: http.StatusServiceUnavailable,
}

// shedRetryAfter is the Retry-After of a shed request: a hashing worker waits at most a second
// for its turn, so a second later one is usually free.
const shedRetryAfter = "1"

// shed reports whether err is load shedding (derrors.Unavailable: every password-hashing worker
// busy): a 503 a flood is expected to cause, logged as a warning rather than an error.
func shed(err error) bool {
	var he *echo.HTTPError
	return !errors.As(err, &he) && derrors.KindOf(err) == derrors.Unavailable
}

// handleError is the one place errors become responses: a friendly page, an htmx fragment or a
// small JSON body, with the status the error carries. Unexpected errors are logged once, here.
func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	status := http.StatusInternalServerError
	msg := ""
	var he *echo.HTTPError
	if errors.As(err, &he) {
		status = he.Code
		if m, ok := he.Message.(string); ok {
			msg = m
		}
	} else if st, ok := kindStatus[derrors.KindOf(err)]; ok {
		status, msg = st, derrors.UserMessage(err)
	}
	reqID := c.Response().Header().Get(echo.HeaderXRequestID)
	switch {
	case shed(err):
		// Logged once, by the request log, at warn (see requestLog).
		c.Response().Header().Set("Retry-After", shedRetryAfter)
	case status >= 500:
		s.log.ErrorContext(c.Request().Context(), "request failed", "error", err, "path", c.Request().URL.Path, "request_id", reqID)
		msg = "" // never show internals
	}
	pr := problem(status, msg)
	pr.RequestID = reqID

	if wantsJSON(c) {
		_ = c.JSON(status, map[string]any{"error": pr.Message, "status": status})
		return
	}
	if c.Request().Method == http.MethodHead {
		_ = c.NoContent(status)
		return
	}
	p, perr := s.page(c, pr.Title, false)
	if perr != nil {
		p.Title = pr.Title
	}
	_ = render(c, status, errorpage.Page(p, pr), errorpage.Fragment(pr))
}

func wantsJSON(c echo.Context) bool {
	r := c.Request()
	return strings.HasSuffix(r.URL.Path, ".json") || strings.HasPrefix(r.Header.Get("Accept"), "application/json") ||
		strings.HasPrefix(r.Header.Get("Accept"), "text/event-stream")
}

// problem turns a status into words a person understands.
func problem(status int, msg string) errorpage.Problem {
	pr := errorpage.Problem{Status: status, Message: msg}
	switch status {
	case http.StatusNotFound:
		pr.Title = "Page not found"
		if msg == "" || msg == "Not Found" {
			pr.Message = "There is nothing at this address, or it is not yours to see."
		}
	case http.StatusForbidden:
		pr.Title = "Not allowed"
	case http.StatusUnauthorized:
		pr.Title = "Please sign in"
	case http.StatusRequestEntityTooLarge:
		pr.Title = "Too much data"
		pr.Message = "The request was larger than liftplan accepts. Shorten the text and try again."
	case http.StatusTooManyRequests:
		pr.Title = "Slow down"
	case http.StatusMethodNotAllowed:
		pr.Title = "Not possible here"
		pr.Message = "This address does not accept that kind of request."
	case http.StatusConflict:
		pr.Title = "Not possible right now"
	case http.StatusBadRequest, http.StatusUnprocessableEntity:
		pr.Title = "Please check your input"
	case http.StatusServiceUnavailable:
		pr.Title = "Busy right now"
		if msg == "" {
			pr.Message = "liftplan is busy right now. Try again in a moment."
		}
	default:
		if status >= 500 {
			pr.Title = "Something went wrong on our side"
			pr.Message = "The error has been logged. Please try again in a moment."
		} else {
			pr.Title = http.StatusText(status)
		}
	}
	if pr.Message == "" {
		pr.Message = http.StatusText(status)
	}
	return pr
}
