package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"

	"github.com/gorilla/sessions"
)

// SessionUser returns the signed-in user as loaded with the session (one query for both), or
// false for anonymous sessions and deleted accounts.
func SessionUser(sess *sessions.Session) (User, bool) {
	u, ok := sess.Values[loadedUser{}].(User)
	return u, ok
}

// SetUserID marks the session as signed in as id.
func SetUserID(sess *sessions.Session, id int64) {
	sess.Values[keyUserID] = id
	delete(sess.Values, loadedUser{})
}

// CSRFToken returns the session's CSRF token and whether it had to be created (then the session
// must be saved before the token is handed out).
func CSRFToken(sess *sessions.Session) (token string, created bool) {
	if t, ok := sess.Values[keyCSRF].(string); ok && t != "" {
		return t, false
	}
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	t := base64.RawURLEncoding.EncodeToString(b)
	sess.Values[keyCSRF] = t
	return t, true
}

// CheckCSRF reports whether token is this session's CSRF token; a session without one accepts none.
func CheckCSRF(sess *sessions.Session, token string) bool {
	want, _ := sess.Values[keyCSRF].(string)
	return want != "" && subtle.ConstantTimeCompare([]byte(want), []byte(token)) == 1
}

// SetFlash stores a one-time message shown on the next page.
func SetFlash(sess *sessions.Session, msg string) { sess.Values[keyFlash] = msg }

// TakeFlash returns and clears the one-time message; changed says the session needs saving.
func TakeFlash(sess *sessions.Session) (msg string, changed bool) {
	msg, _ = sess.Values[keyFlash].(string)
	if msg == "" {
		return "", false
	}
	delete(sess.Values, keyFlash)
	return msg, true
}

// SessionKey is the session's key as stored (the SHA-256 of its id), or "" for a session without
// a row: SSE streams are registered and revalidated under it.
func SessionKey(sess *sessions.Session) string {
	if sess == nil || sess.ID == "" || sess.IsNew {
		return ""
	}
	return string(hashID(sess.ID))
}
