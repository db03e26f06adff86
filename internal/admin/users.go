package admin

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/jackc/pgx/v5"

	"liftplan/internal/audit"
	"liftplan/internal/auth"
	"liftplan/internal/db"
	"liftplan/internal/db/dbq"
	"liftplan/internal/derrors"
)

// ErrNoSuchUser is a missing account (404).
var ErrNoSuchUser = derrors.New(derrors.NotFound, "")

// UserChange is an admin's edit of one account; nil fields stay as they are.
type UserChange struct {
	Role *string
	// SetCoach says CoachID is to be written; a nil CoachID then removes the coach.
	SetCoach      bool
	CoachID       *int64
	HasPaidAccess *bool
}

// UserRow is one account in the admin's user list.
type UserRow struct {
	ID         int64
	Email      string
	Role       string
	CoachID    int64
	CoachEmail string
	Paid       bool
}

// Coach is an account a user can be assigned to.
type Coach struct {
	ID    int64
	Email string
}

// Users lists the accounts matching query (email substring) and every coach, for the forms.
func (s *Service) Users(ctx context.Context, query string) ([]UserRow, []Coach, error) {
	rows, err := s.q.SearchUsers(ctx, dbq.SearchUsersParams{Query: query, MaxRows: maxUserRows})
	if err != nil {
		return nil, nil, fmt.Errorf("search users: %w", err)
	}
	coachRows, err := s.q.ListCoaches(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("list coaches: %w", err)
	}
	users := make([]UserRow, len(rows))
	for i, r := range rows {
		users[i] = UserRow{ID: r.ID, Email: r.Email, Role: string(r.Role), CoachEmail: r.CoachEmail, Paid: r.HasPaidAccess}
		if r.CoachID != nil {
			users[i].CoachID = *r.CoachID
		}
	}
	coaches := make([]Coach, len(coachRows))
	for i, r := range coachRows {
		coaches[i] = Coach{ID: r.ID, Email: r.Email}
	}
	return users, coaches, nil
}

// UpdateUser applies an admin's change and records it in admin_audit, in one transaction. The
// role and tier are read from the table on every request, so the change takes effect at once.
func (s *Service) UpdateUser(ctx context.Context, admin auth.User, id int64, ch UserChange) (auth.User, error) {
	if errs := checkChange(admin, id, ch); len(errs) > 0 {
		return auth.User{}, errs
	}
	var out auth.User
	err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		q := s.q.WithTx(tx)
		if err := checkCoach(ctx, q, ch); err != nil {
			return err
		}
		params := dbq.UpdateUserAdminParams{ID: id, SetCoach: ch.SetCoach, CoachID: ch.CoachID, HasPaidAccess: ch.HasPaidAccess}
		if ch.Role != nil {
			r := dbq.UserRole(*ch.Role)
			params.Role = &r
		}
		row, err := q.UpdateUserAdmin(ctx, params)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNoSuchUser
		}
		if err != nil {
			return err
		}
		out = auth.User{ID: row.ID, Email: row.Email, Role: string(row.Role), CoachID: row.CoachID, HasPaidAccess: row.HasPaidAccess}
		detail := map[string]any{"role": out.Role, "coach_id": out.CoachID, "has_paid_access": out.HasPaidAccess}
		return audit.Record(ctx, q, admin.ID, "user.update", "user:"+strconv.FormatInt(id, 10), detail)
	})
	if err != nil {
		var fe auth.FieldErrors
		if errors.As(err, &fe) || errors.Is(err, ErrNoSuchUser) {
			return auth.User{}, err
		}
		return auth.User{}, fmt.Errorf("update user %d: %w", id, err)
	}
	return out, nil
}

// checkChange finds what is wrong with a change before the database is asked.
func checkChange(admin auth.User, id int64, ch UserChange) auth.FieldErrors {
	if !admin.IsAdmin() {
		return auth.FieldErrors{{Field: "role", Message: "only admins may change accounts"}}
	}
	var errs auth.FieldErrors
	if ch.Role != nil && *ch.Role != auth.RoleUser && *ch.Role != auth.RoleCoach && *ch.Role != auth.RoleAdmin {
		errs = append(errs, auth.FieldError{Field: "role", Message: "role must be user, coach or admin"})
	}
	if id == admin.ID && ch.Role != nil && *ch.Role != auth.RoleAdmin {
		errs = append(errs, auth.FieldError{Field: "role", Message: "you cannot remove your own admin role; ask another admin"})
	}
	if ch.SetCoach && ch.CoachID != nil && *ch.CoachID == id {
		errs = append(errs, auth.FieldError{Field: "coach_id", Message: "a user cannot be their own coach"})
	}
	return errs
}

// checkCoach refuses a coach_id that is not an account with the coach (or admin) role.
func checkCoach(ctx context.Context, q *dbq.Queries, ch UserChange) error {
	if !ch.SetCoach || ch.CoachID == nil {
		return nil
	}
	coach, err := q.GetUserByID(ctx, *ch.CoachID)
	if errors.Is(err, pgx.ErrNoRows) || (err == nil && coach.Role == dbq.UserRoleUser) {
		return auth.FieldErrors{{Field: "coach_id", Message: "choose an account with the coach role"}}
	}
	return err
}
