package auth

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"net/netip"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"liftplan/internal/db/dbq"
)

// Roles a user can have.
const (
	RoleUser  = "user"
	RoleCoach = "coach"
	RoleAdmin = "admin"
)

// Password length bounds (characters); the upper one keeps hashing cost bounded.
const (
	MinPasswordLen = 10
	MaxPasswordLen = 128
)

var (
	// ErrBadCredentials is every sign-in failure the user may learn about: one generic message.
	ErrBadCredentials = errors.New("email or password is not correct")
	// ErrThrottled means too many failed sign-ins; try again later.
	ErrThrottled = errors.New("too many failed sign-ins; wait a few minutes and try again")
)

// User is an account as the rest of liftplan sees it.
type User struct {
	ID            int64
	Email         string
	Role          string
	CoachID       *int64
	HasPaidAccess bool
	CreatedAt     time.Time
}

// IsCoach reports whether the user may use the coach area.
func (u User) IsCoach() bool { return u.Role == RoleCoach || u.Role == RoleAdmin }

// IsAdmin reports whether the user may use the admin area.
func (u User) IsAdmin() bool { return u.Role == RoleAdmin }

// FieldError names a form field and what is wrong with it.
type FieldError struct {
	Field   string
	Message string
}

// FieldErrors is a validation failure of one or more fields (HTTP 422).
type FieldErrors []FieldError

func (f FieldErrors) Error() string {
	parts := make([]string, len(f))
	for i, e := range f {
		parts[i] = e.Field + ": " + e.Message
	}
	return strings.Join(parts, "; ")
}

// Users creates and authenticates accounts.
type Users struct {
	pool   *pgxpool.Pool
	q      *dbq.Queries
	hasher *Hasher
	limits Limits
}

// UsersOption changes a default of NewUsers.
type UsersOption func(*Users)

// WithHasher shares one hashing pool (one process should have one).
func WithHasher(h *Hasher) UsersOption { return func(u *Users) { u.hasher = h } }

// WithLimits replaces DefaultLimits.
func WithLimits(l Limits) UsersOption { return func(u *Users) { u.limits = l } }

// NewUsers returns the account service on pool: a hashing pool of one worker per CPU and
// DefaultLimits unless options say otherwise.
func NewUsers(pool *pgxpool.Pool, opts ...UsersOption) *Users {
	u := &Users{pool: pool, q: dbq.New(pool), limits: DefaultLimits}
	for _, o := range opts {
		o(u)
	}
	if u.hasher == nil {
		u.hasher = NewHasher(0, 0)
	}
	return u
}

// NewUser describes an account to create.
type NewUser struct {
	Email, Password, Role string
	HasPaidAccess         bool
	CoachEmail            string
}

// Validate returns every problem of the new account's fields.
func (n NewUser) Validate() FieldErrors {
	var errs FieldErrors
	email, emailErr := CanonicalEmail(n.Email)
	// Invalid UTF-8 and control characters are refused, not repaired into an address nobody typed.
	if raw := strings.TrimSpace(n.Email); !utf8.ValidString(raw) || strings.ContainsFunc(raw, unicode.IsControl) {
		errs = append(errs, FieldError{"email", "enter an email address such as name@example.com"})
	} else if errors.Is(emailErr, errLookalikeEmail) {
		errs = append(errs, FieldError{"email", "write the address in one script; letters that look like Latin ones from other alphabets are not accepted"})
	} else if emailErr != nil {
		errs = append(errs, FieldError{"email", "enter an email address such as name@example.com"})
	} else if addr, err := mail.ParseAddress(email); err != nil || addr.Address != email || len(email) > 254 || !strings.Contains(email[strings.LastIndex(email, "@")+1:], ".") {
		errs = append(errs, FieldError{"email", "enter an email address such as name@example.com"})
	}
	if !utf8.ValidString(n.Password) || strings.ContainsFunc(n.Password, unicode.IsControl) {
		// NUL and control characters: no keyboard types them, and some systems truncate at NUL.
		errs = append(errs, FieldError{"password", "the password contains invalid characters"})
	} else if l := utf8.RuneCountInString(n.Password); l < MinPasswordLen {
		errs = append(errs, FieldError{"password", fmt.Sprintf("use at least %d characters", MinPasswordLen)})
	} else if l > MaxPasswordLen {
		errs = append(errs, FieldError{"password", fmt.Sprintf("use at most %d characters", MaxPasswordLen)})
	}
	switch n.Role {
	case "", RoleUser, RoleCoach, RoleAdmin:
	default:
		errs = append(errs, FieldError{"role", "role must be user, coach or admin"})
	}
	return errs
}

// Signup is Create for the public sign-up form: throttled per client address first.
func (u *Users) Signup(ctx context.Context, n NewUser, clientIP netip.Addr) (User, error) {
	if err := u.takeSignup(ctx, clientIP); err != nil {
		return User{}, err
	}
	return u.Create(ctx, n)
}

// Create makes an account; FieldErrors when a field is invalid or the email is taken. The
// password is hashed before the email is looked at, so a registered and a new email cost the
// same work and time; hashing waits for a worker of the pool (ErrBusy when none frees up).
func (u *Users) Create(ctx context.Context, n NewUser) (User, error) {
	if errs := n.Validate(); len(errs) > 0 {
		return User{}, errs
	}
	hash, err := u.hasher.Hash(ctx, n.Password)
	if err != nil {
		return User{}, err
	}
	role := n.Role
	if role == "" {
		role = RoleUser
	}
	params := dbq.CreateUserParams{Email: NormalizeEmail(n.Email), PasswordHash: hash, Role: dbq.UserRole(role), HasPaidAccess: n.HasPaidAccess}
	if n.CoachEmail != "" {
		coach, err := u.q.GetUserByEmail(ctx, NormalizeEmail(n.CoachEmail))
		if errors.Is(err, pgx.ErrNoRows) {
			return User{}, FieldErrors{{"coach", "no account with that email"}}
		} else if err != nil {
			return User{}, fmt.Errorf("look up coach: %w", err)
		}
		params.CoachID = &coach.ID
	}
	row, err := u.q.CreateUser(ctx, params)
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "23505" {
		return User{}, FieldErrors{{"email", "this email is already registered; sign in instead"}}
	}
	if err != nil {
		return User{}, fmt.Errorf("create user: %w", err)
	}
	return fromRow(row), nil
}

// Upsert creates the account or resets its password, role, tier and coach (demo accounts).
func (u *Users) Upsert(ctx context.Context, n NewUser, coachID *int64) (User, error) {
	if errs := n.Validate(); len(errs) > 0 {
		return User{}, errs
	}
	hash, err := u.hasher.Hash(ctx, n.Password)
	if err != nil {
		return User{}, err
	}
	row, err := u.q.UpsertDemoUser(ctx, dbq.UpsertDemoUserParams{
		Email: NormalizeEmail(n.Email), PasswordHash: hash, Role: dbq.UserRole(n.Role), HasPaidAccess: n.HasPaidAccess, CoachID: coachID,
	})
	if err != nil {
		return User{}, fmt.Errorf("upsert user: %w", err)
	}
	return fromRow(row), nil
}

// Get returns the user with id; pgx.ErrNoRows when there is none.
func (u *Users) Get(ctx context.Context, id int64) (User, error) {
	row, err := u.q.GetUserByID(ctx, id)
	if err != nil {
		return User{}, err
	}
	return fromRow(row), nil
}

// Authenticate checks a sign-in. The attempt is taken from the throttle limits (atomically, before
// the password is checked) and handed back on success; past a limit it returns a ThrottledError
// without checking the password.
func (u *Users) Authenticate(ctx context.Context, email, password string, clientIP netip.Addr) (User, error) {
	canon, emailErr := CanonicalEmail(email)
	if emailErr != nil {
		canon = strings.ToLower(strings.TrimSpace(email)) // matches no account; still throttled
	}
	pair, perIP, account := loginKeys(canon, clientIP)
	if err := u.takeLogin(ctx, pair, perIP, account); err != nil {
		return User{}, err
	}
	var row dbq.User
	err := pgx.ErrNoRows
	if emailErr == nil {
		row, err = u.q.GetUserByEmail(ctx, canon)
	}
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return User{}, fmt.Errorf("look up user: %w", err)
	}
	hash := row.PasswordHash
	if err != nil {
		hash = dummyHash()
	}
	ok, cerr := u.hasher.Check(ctx, hash, password)
	if errors.Is(cerr, ErrBusy) || (cerr != nil && ctx.Err() != nil) {
		// Not an answer about the password: the attempt does not count.
		if err := u.q.RefundThrottle(context.WithoutCancel(ctx), []string{pair, perIP, account}); err != nil {
			return User{}, fmt.Errorf("refund throttle: %w", err)
		}
		return User{}, cerr
	}
	if err != nil || !ok {
		return User{}, ErrBadCredentials
	}
	if err := u.q.ClearThrottle(ctx, []string{pair, account}); err != nil {
		return User{}, fmt.Errorf("clear throttle: %w", err)
	}
	if err := u.q.RefundThrottle(ctx, []string{perIP}); err != nil {
		return User{}, fmt.Errorf("refund throttle: %w", err)
	}
	return fromRow(row), nil
}

func fromRow(r dbq.User) User {
	return User{ID: r.ID, Email: r.Email, Role: string(r.Role), CoachID: r.CoachID, HasPaidAccess: r.HasPaidAccess, CreatedAt: r.CreatedAt}
}
