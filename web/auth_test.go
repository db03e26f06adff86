package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"liftplan/internal/auth"
)

func TestSignupValidation(t *testing.T) {
	env := newTestEnv(t)
	env.browser().Signup("taken@example.com")
	tests := []struct {
		name, email, password, field, msg string
	}{
		{"bad email", "not-an-email", "a long enough password", "email", "enter an email address"},
		{"short password", "new@example.com", "short", "password", "use at least 10 characters"},
		{"long password", "new@example.com", strings.Repeat("x", 129), "password", "use at most 128 characters"},
		{"duplicate email", "Taken@Example.com", "a long enough password", "email", "already registered"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := env.browser()
			b.Get("/signup")
			r := b.Post("/signup", url.Values{"email": {tt.email}, "password": {tt.password}}, true)
			if r.Status != http.StatusUnprocessableEntity {
				t.Fatalf("status = %d, want 422", r.Status)
			}
			if !strings.Contains(r.Body, `id="`+tt.field+`-error"`) || !strings.Contains(r.Body, tt.msg) {
				t.Errorf("body does not name field %q with %q: %.500s", tt.field, tt.msg, r.Body)
			}
		})
	}
	var n int
	if err := env.Pool.QueryRow(context.Background(), "SELECT count(*) FROM users").Scan(&n); err != nil || n != 1 {
		t.Errorf("users = %d (%v), want only the first account", n, err)
	}
}

func TestSignupSignsIn(t *testing.T) {
	env := newTestEnv(t)
	b := env.browser()
	b.Get("/signup")
	r := b.Post("/signup", url.Values{"email": {"  New.Person@Example.COM "}, "password": {"a long enough password"}}, true)
	if r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/programs/new" {
		t.Fatalf("signup = %d %q, want 303 /programs/new", r.Status, r.Header.Get("Location"))
	}
	if r := b.Get("/programs/new"); r.Status != http.StatusOK || !strings.Contains(r.Body, "new.person@example.com") {
		t.Errorf("after signup /programs/new = %d, want 200 showing the normalised email", r.Status)
	}
	var hash string
	if err := env.Pool.QueryRow(context.Background(), "SELECT password_hash FROM users WHERE email = 'new.person@example.com'").Scan(&hash); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(hash, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("password hash %q is not argon2id with OWASP parameters", hash)
	}
}

func TestLogin(t *testing.T) {
	env := newTestEnv(t)
	env.browser().Signup("me@example.com")

	wrong := func(email string) response {
		b := env.browser()
		b.Get("/login")
		return b.Post("/login", url.Values{"email": {email}, "password": {"not the password"}}, true)
	}
	r1, r2 := wrong("me@example.com"), wrong("nobody@example.com")
	for _, r := range []response{r1, r2} {
		if r.Status != http.StatusUnauthorized || !strings.Contains(r.Body, "That email and password do not match an account.") {
			t.Errorf("wrong login = %d, want 401 with the generic message", r.Status)
		}
	}

	b := env.browser()
	b.Get("/login")
	r := b.Post("/login", url.Values{"email": {"ME@example.com"}, "password": {"a long enough password"}}, true)
	if r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/programs" {
		t.Fatalf("good login = %d %q, want 303 /programs", r.Status, r.Header.Get("Location"))
	}
	if r := b.Get("/programs"); r.Status != http.StatusOK {
		t.Errorf("signed-in /programs = %d", r.Status)
	}
}

func TestLoginThrottled(t *testing.T) {
	env := newTestEnv(t)
	env.browser().Signup("victim@example.com")
	b := env.browser()
	b.Get("/login")
	for i := 0; i < 5; i++ {
		if r := b.Post("/login", url.Values{"email": {"victim@example.com"}, "password": {"guess number " + string(rune('a'+i))}}, true); r.Status != http.StatusUnauthorized {
			t.Fatalf("attempt %d = %d, want 401", i+1, r.Status)
		}
	}
	// Even the right password is refused while the account is throttled.
	r := b.Post("/login", url.Values{"email": {"victim@example.com"}, "password": {"a long enough password"}}, true)
	if r.Status != http.StatusTooManyRequests || r.Header.Get("Retry-After") == "" {
		t.Errorf("after 5 failures = %d (Retry-After %q), want 429 with Retry-After", r.Status, r.Header.Get("Retry-After"))
	}
}

func TestLoginThrottledPerIPIgnoresForgedForwardedFor(t *testing.T) {
	env := newTestEnv(t)
	b := env.browser()
	b.Get("/login")
	// Spread failures over many accounts from one address; X-Forwarded-For is not trusted.
	for i := 0; i < 20; i++ {
		form := url.Values{"email": {"user" + string(rune('a'+i)) + "@example.com"}, "password": {"whatever123"}, "_csrf": {b.Token}}
		req, _ := http.NewRequest(http.MethodPost, env.URL+"/login", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-Forwarded-For", "203.0.113."+string(rune('1'+i%9)))
		if r := b.Do(req); r.Status != http.StatusUnauthorized {
			t.Fatalf("attempt %d = %d, want 401", i+1, r.Status)
		}
	}
	r := b.Post("/login", url.Values{"email": {"fresh@example.com"}, "password": {"whatever123"}}, true)
	if r.Status != http.StatusTooManyRequests {
		t.Errorf("21st failure from one IP = %d, want 429", r.Status)
	}
}

func TestCSRF(t *testing.T) {
	env := newTestEnv(t)
	b := env.browser()
	b.Signup("me@example.com")
	other := env.browser()
	other.Signup("other@example.com")

	if r := b.Post("/logout", nil, false); r.Status != http.StatusForbidden {
		t.Errorf("POST without token = %d, want 403", r.Status)
	}
	good := b.Token
	b.Token = "forged"
	if r := b.Post("/logout", nil, true); r.Status != http.StatusForbidden {
		t.Errorf("POST with a wrong token = %d, want 403", r.Status)
	}
	b.Token = other.Token // a real token, but another session's
	if r := b.Post("/logout", nil, true); r.Status != http.StatusForbidden {
		t.Errorf("POST with another session's token = %d, want 403", r.Status)
	}
	req, _ := http.NewRequest(http.MethodPost, env.URL+"/logout", nil)
	req.Header.Set("X-CSRF-Token", good)
	if r := b.Do(req); r.Status != http.StatusSeeOther {
		t.Errorf("POST with the header token = %d, want 303", r.Status)
	}
	// Anonymous: signing in needs the token of the sign-in page's session.
	anon := env.browser()
	if r := anon.Post("/login", url.Values{"email": {"me@example.com"}, "password": {"a long enough password"}}, false); r.Status != http.StatusForbidden {
		t.Errorf("login without ever loading the form = %d, want 403", r.Status)
	}
}

func TestLogoutDestroysSession(t *testing.T) {
	env := newTestEnv(t)
	b := env.browser()
	b.Signup("me@example.com")
	u, _ := url.Parse(env.URL)
	copied := b.HTTP.Jar.Cookies(u)
	if len(copied) == 0 {
		t.Fatal("no session cookie after signup")
	}
	if r := b.Post("/logout", nil, true); r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/login" {
		t.Fatalf("logout = %d %q, want 303 /login", r.Status, r.Header.Get("Location"))
	}
	thief := env.browser()
	thief.HTTP.Jar.SetCookies(u, copied)
	r := thief.Get("/programs")
	if r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/login" {
		t.Errorf("copied cookie after logout: /programs = %d %q, want 303 /login", r.Status, r.Header.Get("Location"))
	}
	var n int
	_ = env.Pool.QueryRow(context.Background(), "SELECT count(*) FROM sessions WHERE user_id IS NOT NULL").Scan(&n)
	if n != 0 {
		t.Errorf("%d signed-in session rows remain after logout", n)
	}
}

func TestLoginRotatesSessionID(t *testing.T) {
	env := newTestEnv(t)
	env.browser().Signup("me@example.com")
	b := env.browser()
	u, _ := url.Parse(env.URL)
	b.Get("/login")
	if c := sessionCookie(b.HTTP.Jar.Cookies(u)); c != nil {
		t.Fatalf("a visitor got a session cookie before signing in: %v", c)
	}
	b.Login("me@example.com", "a long enough password")
	before := sessionCookie(b.HTTP.Jar.Cookies(u))
	b.Post("/logout", nil, true)
	b.Login("me@example.com", "a long enough password")
	after := sessionCookie(b.HTTP.Jar.Cookies(u))
	if before == nil || after == nil || before.Value == after.Value {
		t.Fatal("session cookie did not change at sign-in")
	}
	// The earlier id is dead: someone who copied or planted it gains nothing.
	attacker := env.browser()
	attacker.HTTP.Jar.SetCookies(u, []*http.Cookie{before})
	if r := attacker.Get("/programs"); r.Status != http.StatusSeeOther {
		t.Errorf("an old session cookie reaches /programs: %d", r.Status)
	}
}

// sessionCookie is the session cookie among cs, or nil.
func sessionCookie(cs []*http.Cookie) *http.Cookie {
	for _, c := range cs {
		if c.Name == "liftplan_session" {
			return c
		}
	}
	return nil
}

func TestTamperedCookieIsSignedOut(t *testing.T) {
	env := newTestEnv(t)
	for _, value := range []string{"garbage", strings.Repeat("A", 300), "MTcwMDAwMDAwMHxhYmN8ZGVm", "%%%"} {
		req, _ := http.NewRequest(http.MethodGet, env.URL+"/programs", nil)
		req.AddCookie(&http.Cookie{Name: "liftplan_session", Value: value})
		r := env.browser().Do(req)
		if r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/login" {
			t.Errorf("tampered cookie %q: /programs = %d, want 303 /login", value, r.Status)
		}
	}
}

func TestGuards(t *testing.T) {
	env := newTestEnv(t)
	anon := env.browser()
	if r := anon.Get("/programs/new"); r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/login" {
		t.Errorf("anonymous page = %d %q, want 303 /login", r.Status, r.Header.Get("Location"))
	}
	b := env.browser()
	b.Signup("me@example.com")
	if r := b.Get("/login"); r.Status != http.StatusSeeOther {
		t.Errorf("signed-in /login = %d, want 303 away", r.Status)
	}
	if r := b.Get("/"); r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/programs" {
		t.Errorf("signed-in / = %d, want 303 /programs", r.Status)
	}
	if r := b.Get("/no/such/page"); r.Status != http.StatusNotFound || !strings.Contains(r.Body, "Page not found") {
		t.Errorf("unknown page = %d, want a friendly 404", r.Status)
	}
}

func TestUsersCreateRoles(t *testing.T) {
	env := newTestEnv(t)
	users := auth.NewUsers(env.Pool)
	ctx := context.Background()
	coach, err := users.Create(ctx, auth.NewUser{Email: "coach@example.com", Password: "a long enough password", Role: auth.RoleCoach})
	if err != nil {
		t.Fatal(err)
	}
	client, err := users.Create(ctx, auth.NewUser{Email: "client@example.com", Password: "a long enough password", CoachEmail: "COACH@example.com", HasPaidAccess: true})
	if err != nil {
		t.Fatal(err)
	}
	if client.CoachID == nil || *client.CoachID != coach.ID || !client.HasPaidAccess || client.Role != auth.RoleUser {
		t.Errorf("client = %+v, want user with coach %d and paid access", client, coach.ID)
	}
	if _, err := users.Create(ctx, auth.NewUser{Email: "x@example.com", Password: "a long enough password", CoachEmail: "ghost@example.com"}); err == nil {
		t.Error("unknown coach accepted")
	}
}

func TestSessionExpiry(t *testing.T) {
	env := newTestEnv(t)
	ctx := context.Background()
	idle := env.browser()
	idle.Signup("idle@example.com")
	// Idle timeout: a session nobody used until its expiry is gone.
	if _, err := env.Pool.Exec(ctx, "UPDATE sessions SET expires_at = now() - interval '1 second' WHERE user_id = (SELECT id FROM users WHERE email = 'idle@example.com')"); err != nil {
		t.Fatal(err)
	}
	if r := idle.Get("/programs"); r.Status != http.StatusSeeOther {
		t.Errorf("idle-expired session: /programs = %d, want 303 /login", r.Status)
	}
	// Absolute timeout: however active, a session ends 30 days after sign-in; a refresh cannot
	// push it past that.
	busy := env.browser()
	busy.Signup("busy@example.com")
	if _, err := env.Pool.Exec(ctx, "UPDATE sessions SET created_at = now() - interval '31 days', expires_at = now() + interval '1 minute' WHERE user_id = (SELECT id FROM users WHERE email = 'busy@example.com')"); err != nil {
		t.Fatal(err)
	}
	busy.Get("/programs") // an hourly refresh is due: the save clamps expiry to created_at + 30 days
	if r := busy.Get("/programs"); r.Status != http.StatusSeeOther {
		t.Errorf("session past its absolute lifetime: /programs = %d, want 303 /login", r.Status)
	}
}
