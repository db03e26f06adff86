package jobs

import (
	"context"
	"errors"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"liftplan/internal/auth"
	"liftplan/internal/db/dbq"
	"liftplan/internal/derrors"
	"liftplan/internal/generation"
	"liftplan/internal/llm"
	"liftplan/internal/programs"
	"liftplan/internal/science"
	"liftplan/internal/testdb"
)

// blocking holds a generation until its context ends; failing answers with err at once.
type blocking struct {
	llm.Builtin
	entered chan struct{}
}

func (g blocking) Generate(ctx context.Context, _ science.Analysis) (llm.Result, error) {
	close(g.entered)
	<-ctx.Done()
	return llm.Result{}, ctx.Err()
}

type failing struct {
	llm.Builtin
	err error
}

func (g failing) Generate(context.Context, science.Analysis) (llm.Result, error) {
	return llm.Result{}, g.err
}

// testBundle is one test's database with a user and an insert-only River client.
type testBundle struct {
	pool *pgxpool.Pool
	svc  *programs.Service
	user auth.User
}

func setup(t *testing.T) testBundle {
	t.Helper()
	pool := testdb.New(t)
	rc, err := New(pool, Options{Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	svc, err := programs.NewService(programs.ServiceOptions{Pool: pool, Jobs: rc, GeneratorVersion: llm.Builtin{}.Version()})
	if err != nil {
		t.Fatal(err)
	}
	u, err := auth.NewUsers(pool).Create(context.Background(), auth.NewUser{Email: "lifter@example.com", Password: "correct-horse-battery", Role: auth.RoleUser})
	if err != nil {
		t.Fatal(err)
	}
	return testBundle{pool: pool, svc: svc, user: u}
}

// submit makes a pending program (and its job) with days training days.
func (b testBundle) submit(t *testing.T, days int) int64 {
	t.Helper()
	in := science.Input{Goal: science.GoalStrength, Experience: science.LevelBeginner, DaysPerWeek: days, SessionMinutes: 45,
		Equipment: []string{"barbell", "bench"}}
	sub, err := b.svc.Submit(context.Background(), b.user, programs.Form{Input: in})
	if err != nil {
		t.Fatal(err)
	}
	return sub.ProgramID
}

func (b testBundle) status(t *testing.T, id int64) (status, step string) {
	t.Helper()
	if err := b.pool.QueryRow(context.Background(), "SELECT generation_status, progress_step FROM training_programs WHERE id = $1", id).Scan(&status, &step); err != nil {
		t.Fatal(err)
	}
	return status, step
}

func riverJob(id int64) *river.Job[programs.GenerateProgramArgs] {
	return &river.Job[programs.GenerateProgramArgs]{JobRow: &rivertype.JobRow{ID: 1, Attempt: 1, MaxAttempts: 3},
		Args: programs.GenerateProgramArgs{ProgramID: id, GenerationNo: 1}}
}

// TestWorkSnoozesOnShutdown: a run interrupted by a graceful shutdown hands its job back
// (snoozed, no attempt spent) and the program is queued again; the same interruption outside a
// shutdown (River cancelled the job) is an ordinary error.
func TestWorkSnoozesOnShutdown(t *testing.T) {
	for _, shuttingDown := range []bool{true, false} {
		b := setup(t)
		id := b.submit(t, 3)
		gen := blocking{entered: make(chan struct{})}
		stopping := &atomic.Bool{}
		stopping.Store(shuttingDown)
		w := &GenerateProgramWorker{runner: generation.NewRunner(b.pool, gen, slog.New(slog.DiscardHandler)), timeout: time.Minute, stopping: stopping}
		ctx, cancel := context.WithCancel(context.Background())
		go func() { <-gen.entered; cancel() }()
		err := w.Work(ctx, riverJob(id))
		var snooze *river.JobSnoozeError
		status, step := b.status(t, id)
		if shuttingDown {
			if !errors.As(err, &snooze) || snooze.Duration != 0 {
				t.Errorf("shutdown: Work = %v, want a snooze of 0", err)
			}
			if status != "pending" || step != "queued" {
				t.Errorf("shutdown: program is %s/%s, want pending/queued", status, step)
			}
			continue
		}
		if err == nil || errors.As(err, &snooze) || !errors.Is(err, generation.ErrInterrupted) {
			t.Errorf("no shutdown: Work = %v, want ErrInterrupted, not a snooze", err)
		}
	}
}

// TestWorkOutcomes: completed is nil; a permanent failure cancels the job (never run again);
// a transient one is returned for River's retry.
func TestWorkOutcomes(t *testing.T) {
	transient := errors.New("upstream 503")
	tests := []struct {
		name       string
		gen        llm.Generator
		wantCancel bool
		wantErr    bool
		wantStatus string
	}{
		{"completed", llm.Builtin{}, false, false, "completed"},
		{"permanent", failing{err: derrors.Permanent("No quota.", transient)}, true, true, "failed"},
		{"transient", failing{err: transient}, false, true, "pending"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := setup(t)
			id := b.submit(t, 3)
			w := &GenerateProgramWorker{runner: generation.NewRunner(b.pool, tt.gen, slog.New(slog.DiscardHandler)), timeout: time.Minute, stopping: &atomic.Bool{}}
			err := w.Work(context.Background(), riverJob(id))
			var cancel *river.JobCancelError
			if got := errors.As(err, &cancel); got != tt.wantCancel {
				t.Errorf("Work = %v: cancelled %v, want %v", err, got, tt.wantCancel)
			}
			if (err != nil) != tt.wantErr {
				t.Errorf("Work = %v, want error %v", err, tt.wantErr)
			}
			if status, _ := b.status(t, id); status != tt.wantStatus {
				t.Errorf("program is %s, want %s", status, tt.wantStatus)
			}
		})
	}
}

// TestReconcilerFailsOnlyOrphans: a pending program whose job vanished is failed with a
// message; one whose job is still live is left alone.
func TestReconcilerFailsOnlyOrphans(t *testing.T) {
	b := setup(t)
	orphan, live := b.submit(t, 2), b.submit(t, 4)
	ctx := context.Background()
	if _, err := b.pool.Exec(ctx, "DELETE FROM river_job WHERE (args->>'program_id')::bigint = $1", orphan); err != nil {
		t.Fatal(err)
	}
	w := &ReconcileWorker{q: dbq.New(b.pool), grace: 0, log: slog.New(slog.DiscardHandler)}
	if err := w.Work(ctx, &river.Job[ReconcileArgs]{JobRow: &rivertype.JobRow{}}); err != nil {
		t.Fatal(err)
	}
	if status, _ := b.status(t, orphan); status != "failed" {
		t.Errorf("orphan is %s, want failed", status)
	}
	var msg *string
	_ = b.pool.QueryRow(ctx, "SELECT generation_error FROM training_programs WHERE id = $1", orphan).Scan(&msg)
	if msg == nil || *msg == "" {
		t.Error("the orphan failed without a message")
	}
	if status, _ := b.status(t, live); status != "pending" {
		t.Errorf("program with a live job is %s, want pending", status)
	}
}

// TestSessionJanitor deletes expired sessions and keeps live ones.
func TestSessionJanitor(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	_, err := b.pool.Exec(ctx, `INSERT INTO sessions (id_hash, user_id, expires_at) VALUES
		('\x01', $1, now() - interval '1 second'), ('\x02', $1, now() + interval '1 hour')`, b.user.ID)
	if err != nil {
		t.Fatal(err)
	}
	w := &SessionJanitorWorker{q: dbq.New(b.pool), log: slog.New(slog.DiscardHandler)}
	if err := w.Work(ctx, &river.Job[SessionJanitorArgs]{JobRow: &rivertype.JobRow{}}); err != nil {
		t.Fatal(err)
	}
	var left string
	if err := b.pool.QueryRow(ctx, "SELECT string_agg(encode(id_hash, 'hex'), ',') FROM sessions").Scan(&left); err != nil {
		t.Fatal(err)
	}
	if left != "02" {
		t.Errorf("sessions left: %q, want only the live one (02)", left)
	}
}
