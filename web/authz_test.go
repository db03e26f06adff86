package web_test

import (
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"testing"

	"liftplan/internal/auth"
	"liftplan/internal/webtest"
)

// Actors of the authorisation matrix.
const (
	asAnon = iota
	asOwner
	asOtherUser
	asOwnerCoach
	asOtherCoach
	asAdmin
	numActors
)

var actorNames = [numActors]string{"anonymous", "owner", "other user", "owner's coach", "other coach", "admin"}

// matrix is the expected status of every route for every actor, keyed "METHOD /route/pattern".
// The test walks the routes the server actually registers, so a new route without an entry
// fails here until someone decides who may use it.
var matrix = map[string][numActors]int{
	"GET /healthz":                   {200, 200, 200, 200, 200, 200},
	"GET /readyz":                    {200, 200, 200, 200, 200, 200},
	"GET /metrics":                   {200, 200, 200, 200, 200, 200},
	"GET /static/*":                  {200, 200, 200, 200, 200, 200},
	"GET /":                          {200, 303, 303, 303, 303, 303},
	"GET /signup":                    {200, 303, 303, 303, 303, 303},
	"POST /signup":                   {422, 303, 303, 303, 303, 303},
	"GET /login":                     {200, 303, 303, 303, 303, 303},
	"POST /login":                    {401, 303, 303, 303, 303, 303},
	"POST /logout":                   {303, 303, 303, 303, 303, 303},
	"GET /programs":                  {303, 200, 200, 200, 200, 200},
	"GET /programs/new":              {303, 200, 200, 200, 200, 200},
	"POST /programs":                 {303, 422, 422, 422, 422, 422},
	"GET /programs/:id":              {303, 200, 404, 200, 404, 200},
	"GET /programs/:id/status":       {401, 286, 404, 286, 404, 286},
	"GET /programs/:id/events":       {401, 200, 404, 200, 404, 200},
	"GET /programs/:id/export.json":  {401, 200, 404, 200, 404, 200},
	"GET /programs/:id/calendar.ics": {401, 422, 404, 403, 404, 403}, // owner only; 422: no ?start=
	"POST /programs/:id/retry":       {303, 409, 404, 403, 404, 409},
	"POST /programs/:id/regenerate":  {303, 303, 404, 403, 404, 403},
	"GET /programs/:id/today":        {303, 200, 404, 200, 404, 200},
	"POST /programs/:id/log":         {303, 422, 404, 403, 404, 403}, // an empty form: the owner gets the field errors
	"POST /programs/:id/sessions/:week/:day/complete": {303, 422, 404, 403, 404, 403},
	"GET /programs/:id/log":                           {303, 200, 404, 200, 404, 200},
	"GET /programs/:id/log.csv":                       {303, 200, 404, 200, 404, 200},
	"POST /programs/:id/next-block":                   {303, 303, 404, 403, 404, 403},
	"POST /coach/clients/:userID/next-block":          {303, 403, 403, 303, 404, 404}, // runs before the owner's own next block
	"POST /coach/next-blocks":                         {303, 403, 403, 303, 303, 303},
	"GET /exercises":                                  {303, 200, 200, 200, 200, 200},
	"GET /exercises.json":                             {401, 200, 200, 200, 200, 200},
	"GET /coach":                                      {303, 403, 403, 200, 200, 200},
	"GET /coach/clients/:userID":                      {303, 403, 403, 200, 404, 200},
	"GET /admin":                                      {303, 403, 403, 403, 403, 200},
	"GET /admin/programs":                             {303, 403, 403, 403, 403, 200},
	"POST /admin/programs/:id/retry":                  {303, 403, 403, 403, 403, 409},
	"POST /admin/programs/retry-failed":               {303, 403, 403, 403, 403, 303},
	"POST /admin/cache/purge":                         {303, 403, 403, 403, 403, 400}, // an empty form: scope is required
	"GET /admin/users":                                {303, 403, 403, 403, 403, 200},
	"POST /admin/users/:id":                           {303, 403, 403, 403, 403, 303},
	"GET /admin/jobs":                                 {303, 403, 403, 403, 403, 303},
	"GET /admin/jobs/*":                               {303, 403, 403, 403, 403, 200},
	"POST /admin/jobs/*":                              {403, 403, 403, 403, 403, 403}, // a form post is cross-site: refused for all
	"PUT /admin/jobs/*":                               {403, 403, 403, 403, 403, 403},
	"PATCH /admin/jobs/*":                             {403, 403, 403, 403, 403, 403},
	"DELETE /admin/jobs/*":                            {403, 403, 403, 403, 403, 403},
	"HEAD /admin/jobs/*":                              {303, 403, 403, 403, 403, 200},
	"OPTIONS /admin/jobs/*":                           {303, 403, 403, 403, 403, 405},
	"CONNECT /admin/jobs/*":                           {403, 403, 403, 403, 403, 403},
	"TRACE /admin/jobs/*":                             {403, 403, 403, 403, 403, 403},
	"PROPFIND /admin/jobs/*":                          {403, 403, 403, 403, 403, 403},
	"REPORT /admin/jobs/*":                            {403, 403, 403, 403, 403, 403},
}

func TestAuthorizationMatrix(t *testing.T) {
	st := newStack(t, stackOptions{})
	mk := func(email, role, coach string) auth.User { return st.user(t, email, role, coach) }
	mk("coach@example.com", auth.RoleCoach, "")
	mk("othercoach@example.com", auth.RoleCoach, "")
	mk("admin@example.com", auth.RoleAdmin, "")
	ownerUser := mk("owner@example.com", auth.RoleUser, "coach@example.com")
	other := mk("other@example.com", auth.RoleUser, "")
	emails := [numActors]string{"", "owner@example.com", "other@example.com", "coach@example.com", "othercoach@example.com", "admin@example.com"}

	o := st.browser()
	o.Login("owner@example.com", webtest.Password)
	o.Get("/programs/new")
	id := o.Submit(webtest.GoodForm())
	waitStatus(o, id, "completed")

	params := map[string]string{":id": strconv.FormatInt(id, 10), ":userID": strconv.FormatInt(ownerUser.ID, 10), "*": "css/app.css", ":week": "1", ":day": "1"}
	var keys []string
	seen := map[string]bool{}
	for _, r := range st.Echo.Routes() {
		k := r.Method + " " + r.Path
		if seen[k] || r.Method == "echo_route_not_found" {
			continue
		}
		seen[k] = true
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { // logout last: it ends the session
		return !strings.HasSuffix(keys[i], "/logout") && (strings.HasSuffix(keys[j], "/logout") || keys[i] < keys[j])
	})
	clients := [numActors]*browser{}
	for a := range numActors {
		clients[a] = st.browser()
		if a == asAnon {
			clients[a].Get("/login") // an anonymous visitor with a form token, like a real one
			continue
		}
		clients[a].Login(emails[a], webtest.Password)
	}
	for _, k := range keys {
		want, ok := matrix[k]
		if !ok {
			t.Errorf("route %s has no entry in the authorisation matrix", k)
			continue
		}
		method, pattern, _ := strings.Cut(k, " ")
		path := pattern
		for p, v := range params {
			path = strings.ReplaceAll(path, p, v)
		}
		if strings.HasPrefix(pattern, "/admin/jobs/") {
			path = "/admin/jobs/"
		}
		if pattern == "/admin/users/:id" {
			path = "/admin/users/" + strconv.FormatInt(other.ID, 10)
		}
		for a := range numActors {
			c := clients[a]
			var req *http.Request
			form := url.Values{"_csrf": {c.Token}}
			if method == http.MethodGet || method == http.MethodHead {
				req, _ = http.NewRequest(method, st.URL+path, nil)
			} else {
				req, _ = http.NewRequest(method, st.URL+path, strings.NewReader(form.Encode()))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			}
			req.Header.Set("Accept", "text/html")
			r := c.Do(req)
			if r.Status != want[a] {
				t.Errorf("%s %s as %s = %d, want %d", method, path, actorNames[a], r.Status, want[a])
			}
		}
	}
	for k := range matrix {
		if !seen[k] {
			t.Errorf("matrix entry %s matches no route (stale entry)", k)
		}
	}
}
