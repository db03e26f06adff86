package auth

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/jackc/pgx/v5"

	"liftplan/internal/audit"
	"liftplan/internal/db"
	"liftplan/internal/db/dbq"
)

// UserChange is an admin's edit of one account; nil fields stay as they are.
type UserChange struct {
	Role *string
	// SetCoach says CoachID is to be written; a nil CoachID then removes the coach.
	SetCoach      bool
	CoachID       *int64
	HasPaidAccess *bool
}

// ErrNoSuchUser is a missing account (404).
var ErrNoSuchUser = errors.New("no such user")

// AdminUpdate applies an admin's change and records it in admin_audit, in one transaction. The
// role and tier are read from the table on every request, so the change takes effect at once.
func (u *Users) AdminUpdate(ctx context.Context, admin User, id int64, ch UserChange) (User, error) {
	if !admin.IsAdmin() {
		return User{}, FieldErrors{{"role", "only admins may change accounts"}}
	}
	var errs FieldErrors
	if ch.Role != nil && *ch.Role != RoleUser && *ch.Role != RoleCoach && *ch.Role != RoleAdmin {
		errs = append(errs, FieldError{"role", "role must be user, coach or admin"})
	}
	if id == admin.ID && ch.Role != nil && *ch.Role != RoleAdmin {
		errs = append(errs, FieldError{"role", "you cannot remove your own admin role; ask another admin"})
	}
	if ch.SetCoach && ch.CoachID != nil && *ch.CoachID == id {
		errs = append(errs, FieldError{"coach_id", "a user cannot be their own coach"})
	}
	if len(errs) > 0 {
		return User{}, errs
	}
	var out User
	err := db.InTx(ctx, u.pool, func(tx pgx.Tx) error {
		q := u.q.WithTx(tx)
		if ch.SetCoach && ch.CoachID != nil {
			coach, err := q.GetUserByID(ctx, *ch.CoachID)
			if errors.Is(err, pgx.ErrNoRows) || (err == nil && coach.Role == dbq.UserRoleUser) {
				return FieldErrors{{"coach_id", "choose an account with the coach role"}}
			}
			if err != nil {
				return err
			}
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
		out = User{ID: row.ID, Email: row.Email, Role: string(row.Role), CoachID: row.CoachID, HasPaidAccess: row.HasPaidAccess}
		detail := map[string]any{"role": out.Role, "coach_id": out.CoachID, "has_paid_access": out.HasPaidAccess}
		return audit.Record(ctx, q, admin.ID, "user.update", "user:"+strconv.FormatInt(id, 10), detail)
	})
	if err != nil {
		var fe FieldErrors
		if errors.As(err, &fe) || errors.Is(err, ErrNoSuchUser) {
			return User{}, err
		}
		return User{}, fmt.Errorf("update user %d: %w", id, err)
	}
	return out, nil
}
