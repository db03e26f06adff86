package web_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/gorilla/securecookie"

	"liftplan/internal/auth"
	"liftplan/internal/webtest"
)

// Who sends a hostile request.
const (
	hMe        = iota // a signed-in user (the attacker, with programs of their own)
	hAnon             // a visitor with an anonymous session and its sign-in form token
	hForged           // a cookie nobody issued
	hResigned         // a well-formed cookie signed with another secret
	hExpired          // a real session whose row has expired
	hLoggedOut        // a cookie copied before its owner signed out
	hCoach            // a coach who is not the victim's coach
	hAdmin            // an admin (hostile input can come from a careless admin too)
)

// How the CSRF token travels.
const (
	csrfOwn     = iota // the session's own token in the _csrf field
	csrfNone           // no token at all
	csrfForged         // a random token of the right shape
	csrfForeign        // another signed-in session's real token, in the field
	csrfHeader         // another session's real token, in X-CSRF-Token
	csrfOwnHdr         // the session's own token, in X-CSRF-Token (body left untouched)
)

// hostileCase is one request an attacker or a broken client might send. Paths may name
// {mine} (the attacker's completed program), {theirs} (the victim's) and {me} (the attacker's
// user id).
type hostileCase struct {
	name    string
	as      int
	method  string
	path    string
	form    url.Values // sent form-encoded; raw wins when set
	raw     string     // exact body bytes (invalid encodings, huge bodies)
	chunked bool       // send raw without Content-Length
	ctype   string     // default application/x-www-form-urlencoded
	csrf    int
	accept  string // default text/html
	want    int
	// location is the expected Location of a redirect ("" = not checked).
	location string
	// written is how many training_programs rows an accepted request adds; rejected requests
	// (status ≥ 400) must leave every watched table exactly as it was.
	written int
	// before prepares the row (e.g. a first submit to replay); check asserts what an accepted
	// request stored.
	before func(t *testing.T, h *hostileEnv, c *hostileCase)
	check  func(t *testing.T, h *hostileEnv, r response)
}

// form returns the valid onboarding form with changes applied (a nil value deletes the field).
func form(changes map[string][]string) url.Values {
	f := webtest.GoodForm()
	for k, v := range changes {
		if v == nil {
			f.Del(k)
		} else {
			f[k] = v
		}
	}
	return f
}

// rawForm is the valid form as a string with extra raw pairs appended (already encoded or not).
func rawForm(skip string, extra string) string {
	f := webtest.GoodForm()
	f.Del(skip)
	return f.Encode() + "&" + extra
}

const scriptNotes = `<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">`
const sqlNotes = `'; DROP TABLE users; --`

func hostileCases() []hostileCase {
	big := strings.Repeat("a", 65*1024)
	tenMB := strings.Repeat("p", 10<<20)
	post := http.MethodPost
	get := http.MethodGet
	return []hostileCase{
		// Size.
		{name: "body over 64 KiB", method: post, path: "/programs", raw: rawForm("notes", "notes="+big), want: 413},
		{name: "chunked body over 64 KiB", method: post, path: "/programs", raw: rawForm("notes", "notes="+big), chunked: true, want: 413},
		{name: "signup with a 10 MB password", as: hAnon, method: post, path: "/signup", form: url.Values{"email": {"big@example.com"}, "password": {tenMB}}, want: 413},
		{name: "login with a 10 MB password", as: hAnon, method: post, path: "/login", form: url.Values{"email": {"victim@example.com"}, "password": {tenMB}}, want: 413},

		// Encoding and control characters.
		{name: "invalid UTF-8 in notes", method: post, path: "/programs", raw: rawForm("notes", "notes=caf%C3%28"), want: 422},
		{name: "raw invalid UTF-8 byte in notes", method: post, path: "/programs", raw: rawForm("notes", "notes=\xff\xfe"), want: 422},
		{name: "NUL in notes", method: post, path: "/programs", raw: rawForm("notes", "notes=a%00b"), want: 422},
		{name: "escape sequence in notes", method: post, path: "/programs", form: form(map[string][]string{"notes": {"\x1b[31mred"}}), want: 422},
		{name: "invalid UTF-8 in goal", method: post, path: "/programs", raw: rawForm("goal", "goal=hypertrophy%FF"), want: 422},
		{name: "NUL in goal", method: post, path: "/programs", raw: rawForm("goal", "goal=hypertrophy%00"), want: 422},
		{name: "NUL in an equipment value", method: post, path: "/programs", raw: rawForm("", "equipment=bench%00"), want: 422},
		{name: "malformed percent-encoding", method: post, path: "/programs", raw: rawForm("", "notes=%zz"), csrf: csrfOwnHdr, want: 400},
		{name: "JSON instead of a form", method: post, path: "/programs", raw: `{"goal":"hypertrophy","days_per_week":4}`, ctype: "application/json", csrf: csrfOwnHdr, want: 422},

		// Numbers.
		{name: "days NaN", method: post, path: "/programs", form: form(map[string][]string{"days_per_week": {"NaN"}}), want: 422},
		{name: "days negative", method: post, path: "/programs", form: form(map[string][]string{"days_per_week": {"-3"}}), want: 422},
		{name: "days 1e9", method: post, path: "/programs", form: form(map[string][]string{"days_per_week": {"1e9"}}), want: 422},
		{name: "days beyond int64", method: post, path: "/programs", form: form(map[string][]string{"days_per_week": {"99999999999999999999"}}), want: 422},
		{name: "days fractional", method: post, path: "/programs", form: form(map[string][]string{"days_per_week": {"3.5"}}), want: 422},
		{name: "days hexadecimal", method: post, path: "/programs", form: form(map[string][]string{"days_per_week": {"0x4"}}), want: 422},
		{name: "days one too many", method: post, path: "/programs", form: form(map[string][]string{"days_per_week": {"7"}}), want: 422},
		{name: "days Arabic-Indic digit", method: post, path: "/programs", form: form(map[string][]string{"days_per_week": {"٤"}}), want: 422},
		{name: "days empty", method: post, path: "/programs", form: form(map[string][]string{"days_per_week": {""}}), want: 422},
		// Surrounding blanks are what a sloppy client adds, not an attack: trimmed and accepted.
		{name: "days with blanks around", method: post, path: "/programs", form: form(map[string][]string{"days_per_week": {" 4 "}, "notes": {"blanks"}}),
			want: 303, written: 1, check: func(t *testing.T, h *hostileEnv, r response) {
				if got := h.storedInput(t, r).DaysPerWeek; got != 4 {
					t.Errorf("stored days_per_week = %d, want 4", got)
				}
			}},
		{name: "minutes below range", method: post, path: "/programs", form: form(map[string][]string{"session_minutes": {"29"}}), want: 422},
		{name: "minutes above range", method: post, path: "/programs", form: form(map[string][]string{"session_minutes": {"121"}}), want: 422},
		{name: "minutes negative", method: post, path: "/programs", form: form(map[string][]string{"session_minutes": {"-60"}}), want: 422},
		{name: "minutes Infinity", method: post, path: "/programs", form: form(map[string][]string{"session_minutes": {"Infinity"}}), want: 422},
		{name: "minutes huge", method: post, path: "/programs", form: form(map[string][]string{"session_minutes": {"9223372036854775808"}}), want: 422},

		// Choices.
		{name: "unknown goal", method: post, path: "/programs", form: form(map[string][]string{"goal": {"bulking"}}), want: 422},
		{name: "unknown experience", method: post, path: "/programs", form: form(map[string][]string{"experience": {"elite"}}), want: 422},
		{name: "unknown equipment", method: post, path: "/programs", form: form(map[string][]string{"equipment": {"barbell", "laser_cannon"}}), want: 422},
		{name: "unknown injury", method: post, path: "/programs", form: form(map[string][]string{"injuries": {"neck"}}), want: 422},
		{name: "unknown weak point", method: post, path: "/programs", form: form(map[string][]string{"weak_points": {"soul"}}), want: 422},
		{name: "three weak points", method: post, path: "/programs", form: form(map[string][]string{"weak_points": {"chest", "back", "quads"}}), want: 422},
		{name: "goal sent twice", method: post, path: "/programs", form: form(map[string][]string{"goal": {"hypertrophy", "strength"}}), want: 422},
		{name: "days sent twice", method: post, path: "/programs", form: form(map[string][]string{"days_per_week": {"4", "4"}}), want: 422},
		{name: "goal missing", method: post, path: "/programs", form: form(map[string][]string{"goal": nil}), want: 422},
		{name: "notes one character too long", method: post, path: "/programs", form: form(map[string][]string{"notes": {strings.Repeat("x", 501)}}), want: 422},
		{name: "idempotency key too long", method: post, path: "/programs", form: form(map[string][]string{"idempotency_key": {strings.Repeat("k", 65)}}), want: 422},
		{name: "idempotency key with markup", method: post, path: "/programs", form: form(map[string][]string{"idempotency_key": {"<script>"}}), want: 422},

		// CSRF.
		{name: "no CSRF token", method: post, path: "/programs", form: form(nil), csrf: csrfNone, want: 403},
		{name: "forged CSRF token", method: post, path: "/programs", form: form(nil), csrf: csrfForged, want: 403},
		{name: "another session's CSRF token", method: post, path: "/programs", form: form(nil), csrf: csrfForeign, want: 403},
		{name: "another session's CSRF header", method: post, path: "/programs", form: form(nil), csrf: csrfHeader, want: 403},
		{name: "logout without CSRF token", method: post, path: "/logout", csrf: csrfNone, want: 403},

		// Sessions: anything but a live session is a visitor.
		{name: "forged cookie, page", as: hForged, method: get, path: "/programs", want: 303, location: "/login"},
		{name: "forged cookie, JSON", as: hForged, method: get, path: "/programs/{mine}/export.json", want: 401},
		{name: "forged cookie, submit", as: hForged, method: post, path: "/programs", form: form(nil), csrf: csrfForeign, want: 403},
		{name: "cookie signed with another secret", as: hResigned, method: get, path: "/programs/new", want: 303, location: "/login"},
		{name: "expired session, page", as: hExpired, method: get, path: "/programs/{mine}", want: 303, location: "/login"},
		{name: "expired session, fragment", as: hExpired, method: get, path: "/programs/{mine}/status", want: 401},
		{name: "expired session, SSE", as: hExpired, method: get, path: "/programs/{mine}/events", accept: "text/event-stream", want: 401},
		{name: "cookie replayed after logout", as: hLoggedOut, method: get, path: "/programs", want: 303, location: "/login"},
		{name: "anonymous submit with a visitor's token", as: hAnon, method: post, path: "/programs", form: form(nil), want: 303, location: "/login"},

		// Someone else's program on every program route.
		{name: "their program page", method: get, path: "/programs/{theirs}", want: 404},
		{name: "their status fragment", method: get, path: "/programs/{theirs}/status", want: 404},
		{name: "their event stream", method: get, path: "/programs/{theirs}/events", accept: "text/event-stream", want: 404},
		{name: "their export", method: get, path: "/programs/{theirs}/export.json", want: 404},
		{name: "retry their program", method: post, path: "/programs/{theirs}/retry", want: 404},
		{name: "regenerate their program", method: post, path: "/programs/{theirs}/regenerate", want: 404},
		{name: "other coach regenerates their program", as: hCoach, method: post, path: "/programs/{theirs}/regenerate", want: 404},

		// Ids that are no ids.
		{name: "non-numeric id", method: get, path: "/programs/abc", want: 404},
		{name: "id beyond int64", method: get, path: "/programs/99999999999999999999999/status", want: 404},
		{name: "negative id", method: get, path: "/programs/-1/export.json", want: 404},
		{name: "zero id", method: get, path: "/programs/0", want: 404},
		{name: "id with exponent", method: get, path: "/programs/1e3", want: 404},
		{name: "id that does not exist", method: get, path: "/programs/987654321/export.json", want: 404},
		{name: "retry a non-numeric id", method: post, path: "/programs/abc/retry", want: 404},
		{name: "regenerate a negative id", method: post, path: "/programs/-7/regenerate", want: 404},

		// Markup and SQL are text: stored verbatim, rendered escaped.
		{name: "script tags in notes", method: post, path: "/programs", form: form(map[string][]string{"notes": {scriptNotes}}),
			want: 303, written: 1, check: func(t *testing.T, h *hostileEnv, r response) {
				if got := h.storedInput(t, r).Notes; got != scriptNotes {
					t.Errorf("stored notes = %q, want them verbatim", got)
				}
				page := h.clients[hMe].Get("/programs/new") // the form is pre-filled with the notes
				if strings.Contains(page.Body, "<script>window") || strings.Contains(page.Body, "<img src=x") {
					t.Error("the notes were rendered as markup on /programs/new")
				}
				if !strings.Contains(page.Body, "&lt;script&gt;window.__pwned=1&lt;/script&gt;") {
					t.Errorf("the escaped notes are missing from the pre-filled form: %.300s", page.Body)
				}
			}},
		{name: "SQL in notes", method: post, path: "/programs", form: form(map[string][]string{"notes": {sqlNotes}}),
			want: 303, written: 1, check: func(t *testing.T, h *hostileEnv, r response) {
				if got := h.storedInput(t, r).Notes; got != sqlNotes {
					t.Errorf("stored notes = %q, want them verbatim", got)
				}
				if n := h.count(t, "SELECT count(*) FROM users"); n < 4 {
					t.Errorf("users = %d after the SQL note", n)
				}
			}},
		{name: "replayed submit", method: post, path: "/programs",
			form: form(map[string][]string{"idempotency_key": {"replay-key-0123456789"}, "notes": {"replayed"}}), want: 303, written: 0,
			before: func(t *testing.T, h *hostileEnv, c *hostileCase) {
				f := form(map[string][]string{"idempotency_key": {"replay-key-0123456789"}, "notes": {"replayed"}})
				c.location = "/programs/" + strconv.FormatInt(h.clients[hMe].Submit(f), 10)
			}},

		// Accounts.
		{name: "signup email with invalid UTF-8", as: hAnon, method: post, path: "/signup", raw: "email=a%FF%40example.com&password=a+long+enough+password", want: 422},
		{name: "signup email with NUL", as: hAnon, method: post, path: "/signup", raw: "email=a%00b%40example.com&password=a+long+enough+password", want: 422},
		{name: "signup password with NUL", as: hAnon, method: post, path: "/signup", raw: "email=nul%40example.com&password=a+long+enough%00password", want: 422},
		{name: "signup password one too long", as: hAnon, method: post, path: "/signup", form: url.Values{"email": {"long@example.com"}, "password": {strings.Repeat("x", 129)}}, want: 422},
		{name: "signup email sent twice", as: hAnon, method: post, path: "/signup", form: url.Values{"email": {"one@example.com", "two@example.com"}, "password": {webtest.Password}}, want: 422},
		{name: "login email with invalid UTF-8", as: hAnon, method: post, path: "/login", raw: "email=victim%FF%40example.com&password=whatever123", want: 401},
		{name: "login email with NUL", as: hAnon, method: post, path: "/login", raw: "email=victim%00%40example.com&password=whatever123", want: 401},
		{name: "login throttled", as: hAnon, method: post, path: "/login", form: url.Values{"email": {"throttled@example.com"}, "password": {webtest.Password}}, want: 429,
			before: func(t *testing.T, h *hostileEnv, _ *hostileCase) {
				b := h.st.browser()
				b.Get("/login")
				for i := range 5 {
					if r := b.Post("/login", url.Values{"email": {"throttled@example.com"}, "password": {"wrong guess " + strconv.Itoa(i)}}, true); r.Status != http.StatusUnauthorized {
						t.Fatalf("failed sign-in %d = %d, want 401", i+1, r.Status)
					}
				}
			}},

		// Privilege.
		{name: "user makes themself admin", method: post, path: "/admin/users/{me}", form: url.Values{"role": {"admin"}, "has_paid_access": {"true"}}, want: 403},
		{name: "user retries every failed program", method: post, path: "/admin/programs/retry-failed", want: 403},
		{name: "coach retries through the admin route", as: hCoach, method: post, path: "/admin/programs/{theirs}/retry", want: 403},

		// Admin input is input too.
		{name: "admin search with NUL", as: hAdmin, method: get, path: "/admin/users?q=a%00b", want: 400},
		{name: "admin search with invalid UTF-8", as: hAdmin, method: get, path: "/admin/users?q=%FF", want: 400},
		{name: "admin lists an unknown status", as: hAdmin, method: get, path: "/admin/programs?status=deleted", want: 400},
		{name: "admin sets an unknown role", as: hAdmin, method: post, path: "/admin/users/{me}", form: url.Values{"role": {"superuser"}}, want: 422},
		{name: "admin sets a role with NUL", as: hAdmin, method: post, path: "/admin/users/{me}", raw: "role=admin%00", want: 422},
		{name: "admin sets a coach that does not exist", as: hAdmin, method: post, path: "/admin/users/{me}", form: url.Values{"coach_id": {"987654321"}}, want: 422},
		{name: "admin sets a huge coach id", as: hAdmin, method: post, path: "/admin/users/{me}", form: url.Values{"coach_id": {"99999999999999999999"}}, want: 422},
		{name: "admin sends paid access twice", as: hAdmin, method: post, path: "/admin/users/{me}", form: url.Values{"has_paid_access": {"true", "false"}}, want: 422},
		{name: "admin updates a user beyond int64", as: hAdmin, method: post, path: "/admin/users/99999999999999999999", form: url.Values{"role": {"coach"}}, want: 404},
		{name: "admin retries a completed program", as: hAdmin, method: post, path: "/admin/programs/{theirs}/retry", want: 409},
	}
}

// hostileEnv is the product with a victim, an attacker and the other actors signed in.
type hostileEnv struct {
	st      *stack
	clients map[int]*browser
	victim  *browser // signed in as the victim: the source of "another session's" token
	ids     map[string]string
}

func (h *hostileEnv) count(t *testing.T, query string) int64 {
	t.Helper()
	var n int64
	if err := h.st.Pool.QueryRow(context.Background(), query).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

// storedInput reads the frozen input of the program an accepted submit redirected to.
func (h *hostileEnv) storedInput(t *testing.T, r response) (in struct {
	DaysPerWeek int    `json:"days_per_week"`
	Notes       string `json:"notes"`
}) {
	t.Helper()
	id := webtest.ProgramID(r.Header.Get("Location"))
	var raw []byte
	if err := h.st.Pool.QueryRow(context.Background(), "SELECT input FROM training_programs WHERE id = $1", id).Scan(&raw); err != nil {
		t.Fatalf("program %d: %v", id, err)
	}
	if err := json.Unmarshal(raw, &in); err != nil {
		t.Fatal(err)
	}
	return in
}

// snapshot fingerprints every table a request could write. Workers finishing earlier programs
// only move status columns, which are left out; everything a request writes is in.
func (h *hostileEnv) snapshot(t *testing.T) map[string]string {
	t.Helper()
	queries := map[string]string{
		"training_programs":    "SELECT count(*) || '/' || coalesce(max(id), 0) || '/' || coalesce(sum(generation_no), 0) FROM training_programs",
		"onboarding_responses": "SELECT count(*) || '/' || coalesce(md5(string_agg(user_id || responses::text || updated_at::text, ',' ORDER BY user_id)), '') FROM onboarding_responses",
		"users":                "SELECT count(*) || '/' || coalesce(md5(string_agg(u::text, ',' ORDER BY id)), '') FROM users u",
		// Live ones only: the session janitor (a River periodic job that runs on start) may
		// delete the expired session the setup made at any moment.
		"signed-in sessions": "SELECT count(*)::text FROM sessions WHERE user_id IS NOT NULL AND expires_at > now()",
		"generation jobs":    "SELECT count(*)::text FROM river_job WHERE kind = 'generate_program'",
		"admin_audit":        "SELECT count(*)::text FROM admin_audit",
	}
	out := map[string]string{}
	for name, q := range queries {
		var s string
		if err := h.st.Pool.QueryRow(context.Background(), q).Scan(&s); err != nil {
			t.Fatalf("snapshot %s: %v", name, err)
		}
		out[name] = s
	}
	return out
}

func (h *hostileEnv) programCount(t *testing.T) int64 {
	return h.count(t, "SELECT count(*) FROM training_programs")
}

// withCookie returns a client that sends only the given session cookie.
func (h *hostileEnv) withCookie(name, value string) *browser {
	c := h.st.browser()
	u, _ := url.Parse(h.st.URL)
	c.HTTP.Jar.SetCookies(u, []*http.Cookie{{Name: name, Value: value, Path: "/"}})
	return c
}

func newHostileEnv(t *testing.T) *hostileEnv {
	st := newStack(t, stackOptions{})
	ctx := context.Background()
	users := auth.NewUsers(st.Pool)
	for _, n := range []auth.NewUser{
		{Email: "coach@example.com", Role: auth.RoleCoach}, {Email: "othercoach@example.com", Role: auth.RoleCoach}, {Email: "admin@example.com", Role: auth.RoleAdmin},
		{Email: "victim@example.com", CoachEmail: "coach@example.com"}, {Email: "me@example.com"},
		{Email: "expired@example.com"}, {Email: "leaver@example.com"}, {Email: "throttled@example.com"},
	} {
		n.Password = webtest.Password
		if _, err := users.Create(ctx, n); err != nil {
			t.Fatal(err)
		}
	}
	h := &hostileEnv{st: st, clients: map[int]*browser{}, ids: map[string]string{}}
	login := func(email string) *browser {
		b := st.browser()
		b.Login(email, webtest.Password)
		return b
	}
	h.victim = login("victim@example.com")
	h.victim.Get("/programs/new")
	theirs := h.victim.Submit(webtest.GoodForm())
	h.clients[hMe] = login("me@example.com")
	h.clients[hMe].Get("/programs/new")
	mine := h.clients[hMe].Submit(form(map[string][]string{"notes": {"my own"}}))
	waitStatus(h.victim, theirs, "completed")
	waitStatus(h.clients[hMe], mine, "completed")
	h.ids["{theirs}"], h.ids["{mine}"] = strconv.FormatInt(theirs, 10), strconv.FormatInt(mine, 10)
	var meID int64
	if err := st.Pool.QueryRow(ctx, "SELECT id FROM users WHERE email = 'me@example.com'").Scan(&meID); err != nil {
		t.Fatal(err)
	}
	h.ids["{me}"] = strconv.FormatInt(meID, 10)

	h.clients[hAnon] = st.browser()
	h.clients[hAnon].Get("/login")
	h.clients[hCoach] = login("othercoach@example.com")
	h.clients[hAdmin] = login("admin@example.com")

	name := "liftplan_session"
	h.clients[hForged] = h.withCookie(name, "MTcwMDAwMDAwMHxmb3JnZWR8ZGVhZGJlZWY=")
	other, err := securecookie.New([]byte("another-secret-another-secret-0123456789"), nil).Encode(name, "some-session-id")
	if err != nil {
		t.Fatal(err)
	}
	h.clients[hResigned] = h.withCookie(name, other)

	h.clients[hExpired] = login("expired@example.com")
	if _, err := st.Pool.Exec(ctx, "UPDATE sessions SET expires_at = now() - interval '1 second' WHERE user_id = (SELECT id FROM users WHERE email = 'expired@example.com')"); err != nil {
		t.Fatal(err)
	}

	leaver := login("leaver@example.com")
	u, _ := url.Parse(st.URL)
	copied := leaver.HTTP.Jar.Cookies(u)
	if r := leaver.Post("/logout", nil, true); r.Status != http.StatusSeeOther {
		t.Fatalf("logout = %d", r.Status)
	}
	h.clients[hLoggedOut] = st.browser()
	h.clients[hLoggedOut].HTTP.Jar.SetCookies(u, copied)
	return h
}

// request builds the row's HTTP request as its actor would send it.
func (h *hostileEnv) request(t *testing.T, c hostileCase) *http.Request {
	t.Helper()
	path := c.path
	for k, v := range h.ids {
		path = strings.ReplaceAll(path, k, v)
	}
	client := h.clients[c.as]
	token := ""
	switch c.csrf {
	case csrfOwn, csrfOwnHdr:
		token = client.Token
	case csrfForged:
		token = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
	case csrfForeign, csrfHeader:
		token = h.victim.Token
	}
	var body io.Reader
	if c.method != http.MethodGet {
		s := c.raw
		if s == "" {
			f := url.Values{}
			for k, v := range c.form {
				f[k] = v
			}
			s = f.Encode()
		}
		if token != "" && (c.csrf == csrfOwn || c.csrf == csrfForged || c.csrf == csrfForeign) {
			if s != "" {
				s += "&"
			}
			s += "_csrf=" + url.QueryEscape(token)
		}
		body = strings.NewReader(s)
		if c.chunked {
			body = io.MultiReader(body) // hides the length: the client sends it chunked
		}
	}
	req, err := http.NewRequest(c.method, h.st.URL+path, body)
	if err != nil {
		t.Fatal(err)
	}
	if c.method != http.MethodGet {
		ctype := c.ctype
		if ctype == "" {
			ctype = "application/x-www-form-urlencoded"
		}
		req.Header.Set("Content-Type", ctype)
	}
	if c.csrf == csrfHeader || c.csrf == csrfOwnHdr {
		req.Header.Set("X-CSRF-Token", token)
	}
	accept := c.accept
	if accept == "" {
		accept = "text/html"
	}
	req.Header.Set("Accept", accept)
	return req
}

// TestHostileRequests sends every row's request and checks its status, that nothing answered
// 500, and that a rejected request wrote nothing.
func TestHostileRequests(t *testing.T) {
	h := newHostileEnv(t)
	cases := hostileCases()
	if len(cases) < 40 {
		t.Fatalf("only %d hostile cases; issue 8 asks for at least 40", len(cases))
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.as == hAnon { // a fresh visitor per row: an accepted signup signs the last one in
				h.clients[hAnon] = h.st.browser()
				h.clients[hAnon].Get("/login")
			}
			if c.before != nil {
				c.before(t, h, &c)
			}
			before, programsBefore := h.snapshot(t), h.programCount(t)
			r := h.clients[c.as].Do(h.request(t, c))
			if r.Status >= 500 {
				t.Fatalf("status = %d: a server error (body %.300s)", r.Status, r.Body)
			}
			if r.Status != c.want {
				t.Errorf("status = %d, want %d (body %.300s)", r.Status, c.want, r.Body)
			}
			if c.location != "" && r.Header.Get("Location") != c.location {
				t.Errorf("Location = %q, want %q", r.Header.Get("Location"), c.location)
			}
			if r.Status >= 400 {
				after := h.snapshot(t)
				for table, was := range before {
					if after[table] != was {
						t.Errorf("rejected request wrote %s: %s → %s", table, was, after[table])
					}
				}
				return
			}
			if got := h.programCount(t) - programsBefore; c.method == http.MethodPost && strings.HasPrefix(c.path, "/programs") && got != int64(c.written) {
				t.Errorf("programs written = %d, want %d", got, c.written)
			}
			if c.check != nil && r.Status == c.want {
				c.check(t, h, r)
			}
		})
	}
}
