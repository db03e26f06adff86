package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"liftplan/internal/auth"
	"liftplan/internal/browsertest"
	"liftplan/internal/config"
	"liftplan/internal/webtest"
)

// browserLogin signs in through the real form and waits for the programs page.
func browserLogin(t *testing.T, tab context.Context, base, email string) {
	t.Helper()
	browsertest.Do(t, tab, 30*time.Second,
		chromedp.Navigate(base+"/login"),
		chromedp.WaitVisible(chromedp.CSS("#email")),
		chromedp.SendKeys(chromedp.CSS("#email"), email),
		chromedp.SendKeys(chromedp.CSS("#password"), webtest.Password),
		chromedp.Click(chromedp.CSS("button[type=submit]")),
		browsertest.WaitPath("/programs"),
	)
}

// visit loads path and returns the problems it added to the browser's list. The evaluation
// after the load is a round trip on the same connection, so reports the page raised while
// loading have been delivered by the time it answers.
func visit(t *testing.T, br *browsertest.Browser, tab context.Context, base, path, wantSelector string) []string {
	t.Helper()
	before := len(br.Problems())
	browsertest.Do(t, tab, 30*time.Second,
		chromedp.Navigate(base+path),
		chromedp.WaitReady(chromedp.CSS(wantSelector)),
	)
	if _, err := chromedp.Run(tab, chromedp.Evaluate[string](`document.readyState`)); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return br.Problems()[before:]
}

// TestBrowserNoCSPViolations visits every page each role can reach in headless Chromium and
// expects no CSP violation, console error or exception. River UI (/admin/jobs/) is left out: it is
// third-party and injects inline styles our policy refuses by design.
func TestBrowserNoCSPViolations(t *testing.T) {
	st := newStack(t, stackOptions{})
	mk := func(email, role, coach string) auth.User { return st.user(t, email, role, coach) }
	mk("coach@example.com", auth.RoleCoach, "")
	mk("admin@example.com", auth.RoleAdmin, "")
	client := mk("client@example.com", auth.RoleUser, "coach@example.com")
	b := st.browser()
	b.Login("client@example.com", webtest.Password)
	b.Get("/programs/new")
	id := b.Submit(webtest.GoodForm())
	waitStatus(b, id, "completed")
	program := "/programs/" + strconv.FormatInt(id, 10)
	clientPage := "/coach/clients/" + strconv.FormatInt(client.ID, 10)

	type page struct{ path, selector string }
	roles := []struct {
		email string
		pages []page
	}{
		{"", []page{{"/", "main"}, {"/signup", "#email"}, {"/login", "#email"}}},
		{"client@example.com", []page{{"/programs", "main"}, {"/programs/new", "#generate"}, {program, `#program-status[data-status=completed]`},
			{program + "?week=2", ".program-table"}, {"/exercises", "main"}, {program + "/today", "#today"}, {program + "/log", "main"}}},
		{"coach@example.com", []page{{"/coach", "main"}, {clientPage, "main"}, {program, `#program-status[data-status=completed]`}, {"/programs", "main"},
			{program + "/today", "#today"}, {program + "/log", "main"}}},
		{"admin@example.com", []page{{"/admin", "main"}, {"/admin/programs?status=failed", "main"}, {"/admin/programs?status=completed", "main"},
			{"/admin/users", "main"}, {"/coach", "main"}, {program, `#program-status[data-status=completed]`}, {"/exercises", "main"}}},
	}
	for _, role := range roles {
		name := role.email
		if name == "" {
			name = "anonymous"
		}
		t.Run(name, func(t *testing.T) {
			br := browsertest.New(t)
			tab := br.Tab()
			if role.email != "" {
				browserLogin(t, tab, st.URL, role.email)
			}
			for _, p := range role.pages {
				if problems := visit(t, br, tab, st.URL, p.path, p.selector); len(problems) > 0 {
					t.Errorf("%s reported:\n%s", p.path, strings.Join(problems, "\n"))
				}
			}
		})
	}

	// The detector itself: an inline script must be refused and reported, or the checks above
	// prove nothing.
	t.Run("violations are seen", func(t *testing.T) {
		br := browsertest.New(t)
		tab := br.Tab()
		visit(t, br, tab, st.URL, "/login", "#email")
		ran, err := chromedp.Run(tab, chromedp.Evaluate[bool](`(() => { const s = document.createElement("script");
			s.textContent = "window.__inline = 1"; document.body.appendChild(s); return window.__inline === 1 })()`))
		if err != nil || ran {
			t.Fatalf("inline script ran = %v (%v), want refused by the CSP", ran, err)
		}
		waitFor(t, 10*time.Second, "the CSP violation report", func() bool {
			for _, p := range br.Problems() {
				if strings.Contains(p, "Content Security Policy") {
					return true
				}
			}
			return false
		})
	})
}

// TestBrowserSessionCookie reads the session cookie as Chromium stored it: HttpOnly (scripts
// cannot read it), SameSite=Lax, Path=/, and in development neither Secure nor __Host- (the dev
// server is plain http, where a Secure cookie would never come back).
func TestBrowserSessionCookie(t *testing.T) {
	st := newStack(t, stackOptions{})
	if _, err := auth.NewUsers(st.Pool).Create(context.Background(), auth.NewUser{Email: "me@example.com", Password: webtest.Password}); err != nil {
		t.Fatal(err)
	}
	br := browsertest.New(t)
	tab := br.Tab()
	browserLogin(t, tab, st.URL, "me@example.com")
	res, err := chromedp.Call(tab, network.GetCookies, network.GetCookiesParams{URLs: []string{st.URL + "/"}})
	if err != nil {
		t.Fatal(err)
	}
	var got *network.Cookie
	for _, c := range res.Cookies {
		if strings.HasSuffix(c.Name, "liftplan_session") {
			got = c
		}
	}
	if got == nil {
		t.Fatalf("no session cookie among %d cookies", len(res.Cookies))
	}
	checks := []struct {
		what      string
		got, want any
	}{
		{"name", got.Name, "liftplan_session"},
		{"HttpOnly", got.HTTPOnly, true},
		{"SameSite", got.SameSite, network.CookieSameSiteLax},
		{"Path", got.Path, "/"},
		{"Secure (plain http in development)", got.Secure, false},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("session cookie %s = %v, want %v", c.what, c.got, c.want)
		}
	}
	if visible, err := chromedp.Run(tab, chromedp.Evaluate[string](`document.cookie`)); err != nil || strings.Contains(visible, "liftplan_session") {
		t.Errorf("document.cookie = %q (%v): the session cookie is readable by scripts", visible, err)
	}
	if p := br.Problems(); len(p) > 0 {
		t.Errorf("browser reported problems:\n%s", strings.Join(p, "\n"))
	}
}

// TestProductionSessionCookie runs the server with APP_ENV=production settings: the visitor's
// CSRF cookie must be __Host-liftplan_csrf and the session cookie __Host-liftplan_session, both
// Secure, HttpOnly, SameSite=Lax, Path=/ and without Domain, and HSTS must be on. Chromium would drop a Secure cookie from this plain-http test server, so the
// Set-Cookie header is read directly.
func TestProductionSessionCookie(t *testing.T) {
	st := newStack(t, stackOptions{configure: func(c *config.Config) { c.Env = "production" }})
	if _, err := auth.NewUsers(st.Pool).Create(context.Background(), auth.NewUser{Email: "me@example.com", Password: webtest.Password}); err != nil {
		t.Fatal(err)
	}
	b := st.browser()
	page := b.Get("/login")
	// The jar does not send a Secure cookie over http; carry it by hand as a TLS proxy would.
	var sessionCookie *http.Cookie // a visitor has no session: the sign-in form's CSRF cookie
	for _, line := range page.Header.Values("Set-Cookie") {
		if c, err := http.ParseSetCookie(line); err == nil && strings.HasSuffix(c.Name, "liftplan_csrf") {
			sessionCookie = c
		} else if err == nil && strings.HasSuffix(c.Name, "liftplan_session") {
			t.Errorf("GET /login set a session cookie for a visitor: %s", line)
		}
	}
	if sessionCookie == nil {
		t.Fatalf("GET /login set no CSRF cookie: %q", page.Header.Values("Set-Cookie"))
	}
	form := url.Values{"email": {"me@example.com"}, "password": {webtest.Password}, "_csrf": {b.Token}}
	req, _ := http.NewRequest(http.MethodPost, st.URL+"/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(&http.Cookie{Name: sessionCookie.Name, Value: sessionCookie.Value})
	r := b.Do(req)
	if r.Status != http.StatusSeeOther {
		t.Fatalf("production sign-in = %d, want 303", r.Status)
	}
	var signedIn *http.Cookie
	for _, line := range r.Header.Values("Set-Cookie") {
		if c, err := http.ParseSetCookie(line); err == nil && strings.HasSuffix(c.Name, "liftplan_session") {
			signedIn = c
		}
	}
	if signedIn == nil {
		t.Fatal("sign-in set no session cookie")
	}
	for c, name := range map[*http.Cookie]string{sessionCookie: "__Host-liftplan_csrf", signedIn: "__Host-liftplan_session"} {
		checks := []struct {
			what      string
			got, want any
		}{
			{"name", c.Name, name},
			{"Secure", c.Secure, true},
			{"HttpOnly", c.HttpOnly, true},
			{"SameSite", c.SameSite, http.SameSiteLaxMode},
			{"Path", c.Path, "/"},
			{"Domain", c.Domain, ""},
		}
		for _, ck := range checks {
			if ck.got != ck.want {
				t.Errorf("production cookie %s = %v, want %v (%s)", ck.what, ck.got, ck.want, c.Raw)
			}
		}
	}
	if signedIn.Value == sessionCookie.Value {
		t.Error("sign-in kept the anonymous session id (fixation)")
	}
	if hsts := r.Header.Get("Strict-Transport-Security"); !strings.Contains(hsts, "max-age=") {
		t.Errorf("Strict-Transport-Security = %q in production", hsts)
	}
}

// TestBrowserLoginThrottled guesses a password through the real form until liftplan refuses,
// and expects the throttling message in the page, even for the right password.
func TestBrowserLoginThrottled(t *testing.T) {
	st := newStack(t, stackOptions{})
	if _, err := auth.NewUsers(st.Pool).Create(context.Background(), auth.NewUser{Email: "victim@example.com", Password: webtest.Password}); err != nil {
		t.Fatal(err)
	}
	br := browsertest.New(t)
	tab := br.Tab()
	browsertest.Do(t, tab, 30*time.Second, chromedp.Navigate(st.URL+"/login"), chromedp.WaitVisible(chromedp.CSS("#email")))
	attempt := func(password string) string {
		t.Helper()
		// The marker is on the old form: once it is gone, the answer has been swapped in.
		browsertest.Do(t, tab, 30*time.Second,
			chromedp.SetValue(chromedp.CSS("#email"), "victim@example.com"),
			chromedp.SetValue(chromedp.CSS("#password"), password),
			chromedp.Evaluate[chromedp.Void](`document.querySelector("form[action='/login']").dataset.sent = "1"; undefined`),
			chromedp.Click(chromedp.CSS("button[type=submit]")),
			chromedp.Poll[chromedp.Void](`!document.querySelector("form[data-sent]") && !!document.querySelector(".alert")`,
				chromedp.WithPollingInterval(50*time.Millisecond)),
		)
		msg, err := chromedp.Run(tab, chromedp.Text(chromedp.CSS(".alert")))
		if err != nil {
			t.Fatal(err)
		}
		return msg
	}
	for i := range 5 {
		if msg := attempt("wrong guess " + strconv.Itoa(i)); !strings.Contains(msg, "do not match") {
			t.Fatalf("attempt %d shows %q, want the generic wrong-credentials message", i+1, msg)
		}
	}
	if msg := attempt(webtest.Password); !strings.Contains(msg, "Too many failed sign-ins") {
		t.Errorf("after 5 failures the right password shows %q, want the throttling message", msg)
	}
	if path, _ := chromedp.Run(tab, chromedp.Evaluate[string](`location.pathname`)); path != "/login" {
		t.Errorf("throttled sign-in ended on %q, want to stay on /login", path)
	}
	// The 401s and the 429 are logged by Chromium as failed loads; nothing else may be.
	if p := br.Problems("401", "429"); len(p) > 0 {
		t.Errorf("browser reported problems:\n%s", strings.Join(p, "\n"))
	}
}

// TestBrowserNotesAreText stores notes full of markup and expects them back as text: the form
// pre-filled with them shows exactly what was typed, no element is injected, no script runs.
func TestBrowserNotesAreText(t *testing.T) {
	st := newStack(t, stackOptions{})
	// </textarea> first: escaping is what keeps the rest inside the pre-filled textarea.
	notes := `</textarea>` + scriptNotes
	b := st.browser()
	b.Signup("me@example.com")
	b.Get("/programs/new")
	id := b.Submit(form(map[string][]string{"notes": {notes}}))
	waitStatus(b, id, "completed")

	br := browsertest.New(t)
	tab := br.Tab()
	browserLogin(t, tab, st.URL, "me@example.com")
	for _, path := range []string{"/programs/" + strconv.FormatInt(id, 10), "/programs", "/programs/new"} {
		visit(t, br, tab, st.URL, path, "main")
		for _, check := range []struct{ what, js string }{
			{"window.__pwned is undefined", `typeof window.__pwned === "undefined"`},
			{"no injected image", `document.querySelectorAll("img[src=x]").length === 0`},
			{"no injected script", `![...document.scripts].some(s => s.textContent.includes("__pwned"))`},
		} {
			if ok, err := chromedp.Run(tab, chromedp.Evaluate[bool](check.js)); err != nil || !ok {
				t.Errorf("%s: want %s (%v)", path, check.what, err)
			}
		}
	}
	shown, err := chromedp.Run(tab, chromedp.Evaluate[string](`document.getElementById("notes").value`))
	if err != nil || shown != notes {
		t.Errorf("pre-filled notes = %q (%v), want exactly %q", shown, err, notes)
	}
	if p := br.Problems(); len(p) > 0 {
		t.Errorf("browser reported problems:\n%s", strings.Join(p, "\n"))
	}
}
