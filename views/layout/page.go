// Package layout is the page frame every full page shares: head, navigation by role, flash, footer.
package layout

import (
	"strings"

	"github.com/a-h/templ"
)

// Viewer is who is looking at the page, as the navigation needs it.
type Viewer struct {
	Email   string
	IsCoach bool
	IsAdmin bool
}

// Page is what the frame needs from a handler.
type Page struct {
	// Title goes into <title> after "liftplan · ".
	Title string
	// Viewer is nil for anonymous visitors.
	Viewer *Viewer
	// CSRF is the session's token, exposed in <meta name="csrf-token"> and the logout form.
	CSRF string
	// Flash is a one-time message from the previous request.
	Flash string
	// Path is the current URL path, to mark the active navigation link.
	Path string
	// NoScriptRefresh, when > 0, makes browsers without JavaScript reload the page after that
	// many seconds (a running generation); JavaScript browsers get live updates instead.
	NoScriptRefresh int
}

// Current reports whether the navigation link href is the current section: the page itself, or
// one of its sub-pages (/admin/users under /admin). /programs/new is its own section.
func Current(path, href string) bool {
	if path == href {
		return true
	}
	switch href {
	case "/programs":
		return strings.HasPrefix(path, "/programs/") && path != "/programs/new"
	case "/programs/new", "/exercises":
		return false
	}
	return strings.HasPrefix(path, href+"/")
}

// CurrentAttr is aria-current="page" when on is true (an empty aria-current would mean false).
func CurrentAttr(on bool) templ.Attributes {
	if !on {
		return templ.Attributes{}
	}
	return templ.Attributes{"aria-current": "page"}
}
