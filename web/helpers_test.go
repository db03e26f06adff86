package web

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
)

// testSecret signs session cookies in tests.
const testSecret = "test-secret-test-secret-test-secret-0123"

type testEnv struct {
	t    *testing.T
	URL  string
	Pool *pgxpool.Pool
}

// newTestEnv starts the whole product (HTTP, River workers, events hub) on a fresh database.
func newTestEnv(t *testing.T, mutate ...func(*Deps)) *testEnv {
	t.Helper()
	return newStack(t, stackOptions{mutate: mutate}).testEnv
}

// browser is a cookie-keeping client that does not follow redirects, like contract-check.
type browser struct {
	t     *testing.T
	env   *testEnv
	c     *http.Client
	token string
}

func (e *testEnv) browser() *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: e.t, env: e, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

var csrfMeta = regexp.MustCompile(`<meta name="csrf-token" content="([^"]+)"`)

type response struct {
	Status int
	Header http.Header
	Body   string
}

func (b *browser) do(req *http.Request) response {
	b.t.Helper()
	res, err := b.c.Do(req)
	if err != nil {
		b.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if m := csrfMeta.FindSubmatch(body); m != nil {
		b.token = string(m[1])
	}
	return response{res.StatusCode, res.Header, string(body)}
}

func (b *browser) get(path string) response {
	b.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, b.env.URL+path, nil)
	return b.do(req)
}

// post submits a form with the page's CSRF token (unless withToken is false).
func (b *browser) post(path string, form url.Values, withToken bool) response {
	b.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if withToken {
		form.Set("_csrf", b.token)
	}
	req, _ := http.NewRequest(http.MethodPost, b.env.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(req)
}

// signup creates an account through the form and leaves the browser signed in.
func (b *browser) signup(email string) {
	b.t.Helper()
	b.get("/signup")
	r := b.post("/signup", url.Values{"email": {email}, "password": {"a long enough password"}}, true)
	if r.Status != http.StatusSeeOther {
		b.t.Fatalf("signup %s: status %d, body %.300s", email, r.Status, r.Body)
	}
	b.get("/programs") // the session got a new CSRF token at sign-in; pick it up like a browser would
}
