package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/gorilla/securecookie"
	"github.com/gorilla/sessions"
	"github.com/jackc/pgx/v5"

	"liftplan/internal/db/dbq"
)

// Session value keys. Only these are persisted: user_id in its own column, the rest as strings.
const (
	keyUserID = "user_id"
	keyCSRF   = "csrf"
	keyFlash  = "flash"
)

// loadedExpiry and loadedUser are non-string keys, so they are never persisted: when the row
// expires as loaded, and the signed-in user read with it.
type (
	loadedExpiry  struct{}
	loadedCreated struct{}
	loadedUser    struct{}
)

// StoreOptions configures the PostgreSQL session store.
type StoreOptions struct {
	// Secret signs the session id in the cookie (HMAC); at least 32 bytes.
	Secret []byte
	// Secure marks the cookie Secure and names it with the __Host- prefix (production).
	Secure bool
	// IdleTimeout ends a session nobody used for this long.
	IdleTimeout time.Duration
	// AbsoluteTimeout ends every session this long after sign-in, however active.
	AbsoluteTimeout time.Duration
}

// Store is a gorilla/sessions Store that keeps session data in PostgreSQL. The cookie holds only a
// signed random id; the table holds its SHA-256, so deleting the row ends the session everywhere.
type Store struct {
	q      *dbq.Queries
	codec  securecookie.Codec
	opts   StoreOptions
	cookie string
}

var _ sessions.Store = (*Store)(nil)

// NewStore returns a session store on q.
func NewStore(q *dbq.Queries, opts StoreOptions) (*Store, error) {
	if len(opts.Secret) < 32 {
		return nil, errors.New("session store: secret must be at least 32 bytes")
	}
	if opts.IdleTimeout <= 0 {
		opts.IdleTimeout = 7 * 24 * time.Hour
	}
	if opts.AbsoluteTimeout <= 0 {
		opts.AbsoluteTimeout = 30 * 24 * time.Hour
	}
	codec := securecookie.New(opts.Secret, nil)
	codec.MaxAge(int(opts.AbsoluteTimeout.Seconds()))
	name := "liftplan_session"
	if opts.Secure {
		name = "__Host-liftplan_session"
	}
	return &Store{q: q, codec: codec, opts: opts, cookie: name}, nil
}

// CookieName is the name of the session cookie.
func (s *Store) CookieName() string { return s.cookie }

// Get returns the request's session, loading it once per request (gorilla's registry caches it).
func (s *Store) Get(r *http.Request, name string) (*sessions.Session, error) {
	return sessions.GetRegistry(r).Get(s, name)
}

// New loads the session named by the request's cookie, or starts an empty one. A missing,
// tampered, expired or deleted session is simply a new anonymous session, never an error page.
func (s *Store) New(r *http.Request, name string) (*sessions.Session, error) {
	sess := sessions.NewSession(s, name)
	sess.Options = s.cookieOptions()
	sess.IsNew = true
	c, err := r.Cookie(name)
	if err != nil {
		return sess, nil
	}
	var id string
	if err := s.codec.Decode(name, c.Value, &id); err != nil {
		return sess, nil
	}
	row, err := s.q.GetSession(r.Context(), hashID(id))
	if errors.Is(err, pgx.ErrNoRows) {
		return sess, nil
	}
	if err != nil {
		return sess, fmt.Errorf("load session: %w", err)
	}
	if time.Since(row.CreatedAt) > s.opts.AbsoluteTimeout {
		return sess, nil // past its absolute lifetime, whatever its expiry says: signed out
	}
	var data map[string]string
	if err := json.Unmarshal(row.Data, &data); err != nil {
		return sess, nil
	}
	for k, v := range data {
		sess.Values[k] = v
	}
	if row.UserID != nil {
		sess.Values[keyUserID] = *row.UserID
		if row.UserEmail != nil { // nil: the account was deleted; the session is anonymous
			sess.Values[loadedUser{}] = User{ID: *row.UserID, Email: *row.UserEmail, Role: string(*row.UserRole),
				CoachID: row.UserCoachID, HasPaidAccess: *row.UserHasPaidAccess, CreatedAt: *row.UserCreatedAt}
		}
	}
	sess.Values[loadedExpiry{}] = row.ExpiresAt
	sess.Values[loadedCreated{}] = row.CreatedAt
	sess.ID = id
	sess.IsNew = false
	return sess, nil
}

// Save writes the session row and the cookie; MaxAge < 0 deletes both (logout).
func (s *Store) Save(r *http.Request, w http.ResponseWriter, sess *sessions.Session) error {
	ctx := r.Context()
	if sess.Options.MaxAge < 0 {
		if sess.ID != "" {
			if err := s.q.DeleteSession(ctx, hashID(sess.ID)); err != nil {
				return fmt.Errorf("delete session: %w", err)
			}
		}
		http.SetCookie(w, sessions.NewCookie(s.cookie, "", sess.Options))
		return nil
	}
	if sess.ID == "" {
		sess.ID = newID()
	}
	params := dbq.UpsertSessionParams{
		IDHash:          hashID(sess.ID),
		ExpiresAt:       time.Now().Add(s.idle(sess)),
		AbsoluteSeconds: int32(s.opts.AbsoluteTimeout.Seconds()),
	}
	data := map[string]string{}
	for k, v := range sess.Values {
		key, ok := k.(string)
		if !ok {
			continue
		}
		switch val := v.(type) {
		case int64:
			if key == keyUserID {
				params.UserID = &val
			}
		case string:
			data[key] = val
		}
	}
	params.Data, _ = json.Marshal(data)
	if err := s.q.UpsertSession(ctx, params); err != nil {
		return fmt.Errorf("save session: %w", err)
	}
	sess.Values[loadedExpiry{}] = s.effectiveExpiry(sess, params.ExpiresAt)
	encoded, err := s.codec.Encode(s.cookie, sess.ID)
	if err != nil {
		return fmt.Errorf("encode session cookie: %w", err)
	}
	http.SetCookie(w, sessions.NewCookie(s.cookie, encoded, sess.Options))
	return nil
}

// Renew gives the session a new id and deletes the old row, so an id seen before sign-in
// (session fixation) is worthless after it.
func (s *Store) Renew(ctx context.Context, sess *sessions.Session) error {
	if sess.ID != "" {
		if err := s.q.DeleteSession(ctx, hashID(sess.ID)); err != nil {
			return fmt.Errorf("renew session: %w", err)
		}
	}
	sess.ID = newID()
	sess.IsNew = true
	return nil
}

// NeedsRefresh reports whether an unchanged session should still be saved to push its idle
// expiry forward: only when that gains more than an hour, so reads do not turn into writes —
// including in a session's last days, when the absolute lifetime caps the expiry anyway.
func (s *Store) NeedsRefresh(sess *sessions.Session) bool {
	exp, ok := sess.Values[loadedExpiry{}].(time.Time)
	if !ok {
		return false
	}
	return s.effectiveExpiry(sess, time.Now().Add(s.idle(sess))).Sub(exp) > time.Hour
}

// effectiveExpiry is want capped by the absolute lifetime, as UpsertSession stores it.
func (s *Store) effectiveExpiry(sess *sessions.Session, want time.Time) time.Time {
	if created, ok := sess.Values[loadedCreated{}].(time.Time); ok {
		if limit := created.Add(s.opts.AbsoluteTimeout); want.After(limit) {
			return limit
		}
	}
	return want
}

// idle is the idle timeout: anonymous sessions (only a CSRF token for the sign-in form) live briefly.
func (s *Store) idle(sess *sessions.Session) time.Duration {
	if _, ok := sess.Values[keyUserID].(int64); ok {
		return s.opts.IdleTimeout
	}
	return 2 * time.Hour
}

func (s *Store) cookieOptions() *sessions.Options {
	return &sessions.Options{
		Path:     "/",
		MaxAge:   int(s.opts.AbsoluteTimeout.Seconds()),
		Secure:   s.opts.Secure,
		HttpOnly: true,
		SameSite: http.SameSiteLaxMode,
	}
}

func newID() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func hashID(id string) []byte {
	h := sha256.Sum256([]byte(id))
	return h[:]
}
