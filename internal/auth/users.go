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

// Login throttling: failures inside the window per account and per client address.
const (
	throttleWindow   = 15 * time.Minute
	maxFailsPerEmail = 5
	maxFailsPerIP    = 20
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
	pool *pgxpool.Pool
	q    *dbq.Queries
}

// NewUsers returns the account service on pool.
func NewUsers(pool *pgxpool.Pool) *Users { return &Users{pool: pool, q: dbq.New(pool)} }

// NewUser describes an account to create.
type NewUser struct {
	Email, Password, Role string
	HasPaidAccess         bool
	CoachEmail            string
}

// NormalizeEmail trims and lower-cases an address; uniqueness is case-insensitive.
func NormalizeEmail(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// Validate returns every problem of the new account's fields.
func (n NewUser) Validate() FieldErrors {
	var errs FieldErrors
	email := NormalizeEmail(n.Email)
	// NormalizeEmail turns invalid UTF-8 into U+FFFD; an address nobody typed is refused instead.
	if raw := strings.TrimSpace(n.Email); !utf8.ValidString(raw) || strings.ContainsFunc(raw, unicode.IsControl) {
		errs = append(errs, FieldError{"email", "enter an email address such as name@example.com"})
	} else if addr, err := mail.ParseAddress(email); err != nil || addr.Address != email || len(email) > 254 || !strings.Contains(email[strings.LastIndex(email, "@")+1:], ".") {
		errs = append(errs, FieldError{"email", "enter an email address such as name@example.com"})
	}
	if !utf8.ValidString(n.Password) {
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

// Create makes an account; FieldErrors when a field is invalid or the email is taken.
func (u *Users) Create(ctx context.Context, n NewUser) (User, error) {
	if errs := n.Validate(); len(errs) > 0 {
		return User{}, errs
	}
	hash, err := HashPassword(n.Password)
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
	hash, err := HashPassword(n.Password)
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

// Authenticate checks a sign-in. Failures are counted per account and per client address; past
// the limit it returns ErrThrottled before the password is even checked.
func (u *Users) Authenticate(ctx context.Context, email, password string, clientIP netip.Addr) (User, error) {
	// PostgreSQL text cannot hold NUL: such an address belongs to no account (signup refuses it),
	// but its failure still counts against the client, so replace it rather than fail.
	email = strings.ReplaceAll(NormalizeEmail(email), "\x00", "\uFFFD")
	counts, err := u.q.CountLoginFailures(ctx, dbq.CountLoginFailuresParams{Email: email, ClientIp: clientIP, WithinSeconds: int32(throttleWindow.Seconds())})
	if err != nil {
		return User{}, fmt.Errorf("count login failures: %w", err)
	}
	if counts.ByEmail >= maxFailsPerEmail || counts.ByIp >= maxFailsPerIP {
		return User{}, ErrThrottled
	}
	row, err := u.q.GetUserByEmail(ctx, email)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return User{}, fmt.Errorf("look up user: %w", err)
	}
	hash := row.PasswordHash
	if err != nil {
		hash = dummyHash()
	}
	ok, _ := CheckPassword(hash, password)
	if err != nil || !ok {
		if err := u.q.RecordLoginFailure(ctx, dbq.RecordLoginFailureParams{Email: email, ClientIp: clientIP}); err != nil {
			return User{}, fmt.Errorf("record login failure: %w", err)
		}
		return User{}, ErrBadCredentials
	}
	if err := u.q.ClearLoginFailures(ctx, email); err != nil {
		return User{}, fmt.Errorf("clear login failures: %w", err)
	}
	return fromRow(row), nil
}

func fromRow(r dbq.User) User {
	return User{ID: r.ID, Email: r.Email, Role: string(r.Role), CoachID: r.CoachID, HasPaidAccess: r.HasPaidAccess, CreatedAt: r.CreatedAt}
}
