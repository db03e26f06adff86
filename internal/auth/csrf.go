package auth

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"time"
)

// anonCSRFLifetime is how long a visitor's sign-in form stays submittable.
const anonCSRFLifetime = 12 * time.Hour

// Anonymous visitors get CSRF protection without a session row: a signed double-submit token.
// A cookie holds a random nonce; the form carries HMAC(secret, nonce). A cross-site page can
// neither read the cookie nor compute the HMAC, and nothing is written to the database until
// someone signs in (a crawler or a flood of GET /login costs no rows).

// anonCookie is the nonce cookie's name (__Host- in production: no subdomain can plant one).
func (s *Store) anonCookie() string {
	if s.opts.Secure {
		return "__Host-liftplan_csrf"
	}
	return "liftplan_csrf"
}

// AnonCSRFToken returns the visitor's token, setting the nonce cookie on w first if the request
// had none (or a malformed one).
func (s *Store) AnonCSRFToken(w http.ResponseWriter, r *http.Request) string {
	if c, err := r.Cookie(s.anonCookie()); err == nil && validNonce(c.Value) {
		return s.anonMAC(c.Value)
	}
	nonce := newID()
	http.SetCookie(w, &http.Cookie{Name: s.anonCookie(), Value: nonce, Path: "/", MaxAge: int(anonCSRFLifetime.Seconds()),
		Secure: s.opts.Secure, HttpOnly: true, SameSite: http.SameSiteLaxMode})
	// Later code in this request (a fragment rendered after the page) sees the same nonce.
	r.AddCookie(&http.Cookie{Name: s.anonCookie(), Value: nonce})
	return s.anonMAC(nonce)
}

// CheckAnonCSRF reports whether token is the HMAC of the request's nonce cookie.
func (s *Store) CheckAnonCSRF(r *http.Request, token string) bool {
	c, err := r.Cookie(s.anonCookie())
	if err != nil || !validNonce(c.Value) || token == "" {
		return false
	}
	return hmac.Equal([]byte(s.anonMAC(c.Value)), []byte(token))
}

func (s *Store) anonMAC(nonce string) string {
	m := hmac.New(sha256.New, s.opts.Secret)
	m.Write([]byte("liftplan anonymous csrf\x00" + nonce))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// validNonce accepts what newID makes: 43 characters of unpadded base64url.
func validNonce(v string) bool {
	if len(v) != 43 {
		return false
	}
	_, err := base64.RawURLEncoding.DecodeString(v)
	return err == nil
}
