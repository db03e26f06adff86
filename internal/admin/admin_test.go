package admin_test

import (
	"context"
	"errors"
	"log/slog"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"liftplan/internal/admin"
	"liftplan/internal/auth"
	"liftplan/internal/jobs"
	"liftplan/internal/llm"
	"liftplan/internal/programs"
	"liftplan/internal/science"
	"liftplan/internal/testdb"
)

// testBundle is one test's database with an admin, a user and one failed program of theirs.
type testBundle struct {
	pool      *pgxpool.Pool
	svc       *admin.Service
	admin     auth.User
	user      auth.User
	programID int64
}

func setup(t *testing.T) testBundle {
	t.Helper()
	ctx := context.Background()
	pool := testdb.New(t)
	rc, err := jobs.New(pool, jobs.Options{Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	progs, err := programs.NewService(programs.ServiceOptions{Pool: pool, Jobs: rc, GeneratorVersion: llm.Builtin{}.Version()})
	if err != nil {
		t.Fatal(err)
	}
	svc, err := admin.New(admin.Options{Pool: pool, Programs: progs})
	if err != nil {
		t.Fatal(err)
	}
	users := auth.NewUsers(pool)
	ad, err := users.Create(ctx, auth.NewUser{Email: "admin@example.com", Password: "correct-horse-battery", Role: auth.RoleAdmin})
	if err != nil {
		t.Fatal(err)
	}
	u, err := users.Create(ctx, auth.NewUser{Email: "lifter@example.com", Password: "correct-horse-battery", Role: auth.RoleUser})
	if err != nil {
		t.Fatal(err)
	}
	in := science.Input{Goal: science.GoalStrength, Experience: science.LevelBeginner, DaysPerWeek: 3, SessionMinutes: 45, Equipment: []string{"barbell", "bench"}}
	sub, err := progs.Submit(ctx, u, programs.Form{Input: in})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(ctx, "UPDATE training_programs SET generation_status = 'failed', generation_error = 'It broke.' WHERE id = $1", sub.ProgramID); err != nil {
		t.Fatal(err)
	}
	return testBundle{pool: pool, svc: svc, admin: ad, user: u, programID: sub.ProgramID}
}

// counts is what an admin write leaves behind.
type counts struct {
	status       string
	generationNo int
	jobs, audits int
}

func (b testBundle) counts(t *testing.T) counts {
	t.Helper()
	var c counts
	err := b.pool.QueryRow(context.Background(), `SELECT p.generation_status, p.generation_no,
		(SELECT count(*) FROM river_job WHERE kind = 'generate_program'), (SELECT count(*) FROM admin_audit)
		FROM training_programs p WHERE p.id = $1`, b.programID).Scan(&c.status, &c.generationNo, &c.jobs, &c.audits)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestRetryProgramWritesItsAudit: the retry, its job and its audit row commit together; a
// second retry of the same program is a conflict that changes nothing.
func TestRetryProgramWritesItsAudit(t *testing.T) {
	b := setup(t)
	if err := b.svc.RetryProgram(context.Background(), b.admin, b.programID); err != nil {
		t.Fatal(err)
	}
	if got, want := b.counts(t), (counts{"pending", 2, 2, 1}); got != want {
		t.Errorf("after the retry: %+v, want %+v", got, want)
	}
	err := b.svc.RetryProgram(context.Background(), b.admin, b.programID)
	if !errors.Is(err, programs.ErrConflict) {
		t.Errorf("second retry = %v, want ErrConflict", err)
	}
	if got, want := b.counts(t), (counts{"pending", 2, 2, 1}); got != want {
		t.Errorf("after the conflicting retry: %+v, want %+v", got, want)
	}
}

// TestAdminWriteRollsBackWithoutItsAudit: when the audit row cannot be written (an actor that
// does not exist), the write itself is undone: no retry, no job, no changed account.
func TestAdminWriteRollsBackWithoutItsAudit(t *testing.T) {
	b := setup(t)
	ghost := auth.User{ID: b.admin.ID + 1000, Email: "ghost@example.com", Role: auth.RoleAdmin}
	before := b.counts(t)
	if err := b.svc.RetryProgram(context.Background(), ghost, b.programID); err == nil {
		t.Fatal("retry by an actor who cannot be audited succeeded")
	}
	if _, err := b.svc.RetryAllFailed(context.Background(), ghost); err == nil {
		t.Fatal("retry-all by an actor who cannot be audited succeeded")
	}
	if got := b.counts(t); got != before {
		t.Errorf("after the failed retries: %+v, want it unchanged %+v", got, before)
	}
	paid := true
	if _, err := b.svc.UpdateUser(context.Background(), ghost, b.user.ID, admin.UserChange{HasPaidAccess: &paid}); err == nil {
		t.Fatal("update by an actor who cannot be audited succeeded")
	}
	var hasPaid bool
	_ = b.pool.QueryRow(context.Background(), "SELECT has_paid_access FROM users WHERE id = $1", b.user.ID).Scan(&hasPaid)
	if hasPaid {
		t.Error("the account changed although its audit row was not written")
	}
}

// TestUpdateUserRefusesBadChanges: each refusal names its field and changes nothing.
func TestUpdateUserRefusesBadChanges(t *testing.T) {
	b := setup(t)
	user, bogus := auth.RoleUser, "wizard"
	tests := []struct {
		name  string
		id    int64
		ch    admin.UserChange
		field string
	}{
		{"unknown role", b.user.ID, admin.UserChange{Role: &bogus}, "role"},
		{"own admin role", b.admin.ID, admin.UserChange{Role: &user}, "role"},
		{"own coach", b.user.ID, admin.UserChange{SetCoach: true, CoachID: &b.user.ID}, "coach_id"},
		{"a coach without the role", b.admin.ID, admin.UserChange{SetCoach: true, CoachID: &b.user.ID}, "coach_id"},
	}
	for _, tt := range tests {
		_, err := b.svc.UpdateUser(context.Background(), b.admin, tt.id, tt.ch)
		var fe auth.FieldErrors
		if !errors.As(err, &fe) || len(fe) == 0 || fe[0].Field != tt.field {
			t.Errorf("%s: UpdateUser = %v, want a field error on %s", tt.name, err, tt.field)
		}
	}
	if _, err := b.svc.UpdateUser(context.Background(), b.admin, b.user.ID+1000, admin.UserChange{}); !errors.Is(err, admin.ErrNoSuchUser) {
		t.Errorf("update of a missing account = %v, want ErrNoSuchUser", err)
	}
	if got := b.counts(t); got.audits != 0 {
		t.Errorf("%d audit rows after refused changes, want 0", got.audits)
	}
}
