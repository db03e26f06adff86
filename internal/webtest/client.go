// Package webtest is a cookie-keeping HTTP client that uses liftplan the way a browser without
// JavaScript does (and the way ../shared/contract-check does): it follows no redirects, keeps
// the CSRF token of the last page, posts forms and reads SSE streams. Tests and the benchmark
// harness share it.
package webtest

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// TB is the part of testing.TB the client needs; the benchmark harness passes its own.
type TB interface {
	Helper()
	Fatalf(format string, args ...any)
}

// Client is one browser session against BaseURL.
type Client struct {
	T       TB
	BaseURL string
	HTTP    *http.Client
	// Token is the CSRF token of the last page that carried one.
	Token string
}

// New returns a client with an empty cookie jar.
func New(t TB, baseURL string) *Client {
	jar, _ := cookiejar.New(nil)
	return &Client{T: t, BaseURL: baseURL, HTTP: &http.Client{Jar: jar, Timeout: 60 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// Response is a read response.
type Response struct {
	Status int
	Header http.Header
	Body   string
}

var csrfMeta = regexp.MustCompile(`<meta name="csrf-token" content="([^"]+)"`)

// Do sends req, reads the whole body and remembers the page's CSRF token.
func (c *Client) Do(req *http.Request) Response {
	c.T.Helper()
	res, err := c.HTTP.Do(req)
	if err != nil {
		c.T.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if m := csrfMeta.FindSubmatch(body); m != nil {
		c.Token = string(m[1])
	}
	return Response{res.StatusCode, res.Header, string(body)}
}

// Get fetches path.
func (c *Client) Get(path string) Response {
	c.T.Helper()
	req, _ := http.NewRequest(http.MethodGet, c.BaseURL+path, nil)
	return c.Do(req)
}

// Post submits a form, with the page's CSRF token unless withToken is false.
func (c *Client) Post(path string, form url.Values, withToken bool) Response {
	c.T.Helper()
	if form == nil {
		form = url.Values{}
	}
	if withToken {
		form.Set("_csrf", c.Token)
	}
	req, _ := http.NewRequest(http.MethodPost, c.BaseURL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.Do(req)
}

// Password is the password Signup uses.
const Password = "a long enough password"

// Signup creates an account through the form and leaves the client signed in.
func (c *Client) Signup(email string) {
	c.T.Helper()
	c.Get("/signup")
	r := c.Post("/signup", url.Values{"email": {email}, "password": {Password}}, true)
	if r.Status != http.StatusSeeOther {
		c.T.Fatalf("signup %s: status %d, body %.300s", email, r.Status, r.Body)
	}
	c.Get("/programs") // the session got a new CSRF token at sign-in; pick it up like a browser would
}

// Login signs in through the form.
func (c *Client) Login(email, password string) {
	c.T.Helper()
	c.Get("/login")
	r := c.Post("/login", url.Values{"email": {email}, "password": {password}}, true)
	if r.Status != http.StatusSeeOther {
		c.T.Fatalf("login %s: status %d", email, r.Status)
	}
	c.Get("/programs")
}

// GoodForm is a valid onboarding form.
func GoodForm() url.Values {
	return url.Values{
		"goal": {"hypertrophy"}, "experience": {"intermediate"}, "days_per_week": {"4"}, "session_minutes": {"60"},
		"equipment": {"barbell", "dumbbells", "bench", "pullup_bar"}, "weak_points": {"back"}, "notes": {"mornings only"},
	}
}

var programPath = regexp.MustCompile(`^/programs/(\d+)$`)

// ProgramID returns the id of a /programs/{id} location, or 0.
func ProgramID(location string) int64 {
	m := programPath.FindStringSubmatch(location)
	if m == nil {
		return 0
	}
	id, _ := strconv.ParseInt(m[1], 10, 64)
	return id
}

// Submit posts the onboarding form and returns the program id it redirected to.
func (c *Client) Submit(form url.Values) int64 {
	c.T.Helper()
	r := c.Post("/programs", form, true)
	id := ProgramID(r.Header.Get("Location"))
	if r.Status != http.StatusSeeOther || id == 0 {
		c.T.Fatalf("POST /programs = %d %q, want 303 /programs/{id}; body %.400s", r.Status, r.Header.Get("Location"), r.Body)
	}
	return id
}

// Event is one server-sent event.
type Event struct {
	Name, Data string
}

// Stream opens the program's SSE stream and delivers events as they arrive; the channel closes
// after `done`, at the end of the stream, or when timeout passes.
func (c *Client) Stream(id int64, timeout time.Duration) <-chan Event {
	c.T.Helper()
	req, _ := http.NewRequest(http.MethodGet, c.BaseURL+"/programs/"+strconv.FormatInt(id, 10)+"/events", nil)
	req.Header.Set("Accept", "text/event-stream")
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	stream := &http.Client{Jar: c.HTTP.Jar} // no client timeout: the context bounds the stream
	res, err := stream.Do(req.WithContext(ctx))
	if err != nil {
		cancel()
		c.T.Fatalf("SSE: %v", err)
	}
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "text/event-stream" {
		res.Body.Close()
		cancel()
		c.T.Fatalf("SSE = %d %q", res.StatusCode, res.Header.Get("Content-Type"))
	}
	out := make(chan Event, 100)
	go func() {
		defer cancel()
		defer close(out)
		defer res.Body.Close()
		sc := bufio.NewScanner(res.Body)
		sc.Buffer(make([]byte, 1<<20), 1<<22)
		var ev Event
		for sc.Scan() {
			line := sc.Text()
			switch {
			case line == "":
				if ev.Name != "" {
					out <- ev
					if ev.Name == "done" {
						return
					}
				}
				ev = Event{}
			case strings.HasPrefix(line, "event: "):
				ev.Name = line[7:]
			case strings.HasPrefix(line, "data: "):
				ev.Data += line[6:] + "\n"
			}
		}
	}()
	return out
}

var statusAttrs = regexp.MustCompile(`data-status="([a-z]+)" data-step="([a-z_]+)"`)

// StatusOf extracts "status/step" from a status fragment, or "".
func StatusOf(html string) string {
	m := statusAttrs.FindStringSubmatch(html)
	if m == nil {
		return ""
	}
	return m[1] + "/" + m[2]
}
