package generation_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"liftplan/internal/auth"
	"liftplan/internal/derrors"
	"liftplan/internal/generation"
	"liftplan/internal/llm"
	"liftplan/internal/programs"
	"liftplan/internal/science"
	"liftplan/internal/testdb"
)

// noJobs stands in for River: the pipeline is called directly, so submit's job is not needed.
type noJobs struct{}

func (noJobs) InsertTx(context.Context, pgx.Tx, river.JobArgs, *river.InsertOpts) (*rivertype.JobInsertResult, error) {
	return &rivertype.JobInsertResult{Job: &rivertype.JobRow{}}, nil
}

func (noJobs) InsertManyTx(context.Context, pgx.Tx, []river.InsertManyParams) ([]*rivertype.JobInsertResult, error) {
	return nil, nil
}

// scripted answers with err when set, blocks until its context ends when block is set, and
// otherwise generates like the built-in generator. It counts its calls.
type scripted struct {
	llm.Builtin
	err   error
	block bool
	calls atomic.Int32
	// entered is closed when a blocking call has started.
	entered chan struct{}
}

func (g *scripted) Generate(ctx context.Context, a science.Analysis) (llm.Result, error) {
	g.calls.Add(1)
	if g.block {
		close(g.entered)
		<-ctx.Done()
		return llm.Result{}, ctx.Err()
	}
	if g.err != nil {
		return llm.Result{}, g.err
	}
	return g.Builtin.Generate(ctx, a)
}

// bundle is one test's database with one pending program (generation 1).
type bundle struct {
	pool      *pgxpool.Pool
	programID int64
}

func setup(t *testing.T) bundle {
	t.Helper()
	ctx := context.Background()
	pool := testdb.New(t)
	u, err := auth.NewUsers(pool).Create(ctx, auth.NewUser{Email: "lifter@example.com", Password: "correct-horse-battery", Role: auth.RoleUser})
	if err != nil {
		t.Fatal(err)
	}
	svc, err := programs.NewService(programs.ServiceOptions{Pool: pool, Jobs: noJobs{}, GeneratorVersion: llm.Builtin{}.Version()})
	if err != nil {
		t.Fatal(err)
	}
	in := science.Input{Goal: science.GoalHypertrophy, Experience: science.LevelIntermediate, DaysPerWeek: 4, SessionMinutes: 60,
		Equipment: []string{"barbell", "dumbbells", "bench", "cables", "pullup_bar"}}
	sub, err := svc.Submit(ctx, u, programs.Form{Input: in})
	if err != nil {
		t.Fatal(err)
	}
	return bundle{pool: pool, programID: sub.ProgramID}
}

// row is what the program row says after a run.
type row struct {
	status, step, message string
	attempt               int
	// needsOperator: the failure is recorded as one only an administrator can fix.
	needsOperator bool
}

func (b bundle) row(t *testing.T) row {
	t.Helper()
	var r row
	var msg *string
	err := b.pool.QueryRow(context.Background(), "SELECT generation_status, progress_step, generation_error, attempt, needs_operator FROM training_programs WHERE id = $1",
		b.programID).Scan(&r.status, &r.step, &msg, &r.attempt, &r.needsOperator)
	if err != nil {
		t.Fatal(err)
	}
	if msg != nil {
		r.message = *msg
	}
	return r
}

func quiet() *slog.Logger { return slog.New(slog.DiscardHandler) }

// TestRunOutcomes runs the pipeline once per outcome and checks the row and the returned error.
func TestRunOutcomes(t *testing.T) {
	transient := errors.New("upstream 503")
	tests := []struct {
		name          string
		gen           *scripted
		attempt       int
		want          row
		wantErr       bool
		wantPermanent bool
	}{
		{"completed", &scripted{}, 1, row{"completed", "store", "", 1, false}, false, false},
		{"transient with attempts left", &scripted{err: transient}, 1,
			row{"pending", "retry_wait", "The generator had a hiccup; retrying (attempt 2 of 3).", 1, false}, true, false},
		{"transient on the last attempt", &scripted{err: transient}, 3,
			row{"failed", "generate", "We could not generate your program. Press Try again to start a new attempt.", 3, false}, true, true},
		{"retryable with a message on the last attempt", &scripted{err: derrors.Retryable("The answers were unusable.", transient)}, 3,
			row{"failed", "generate", "The answers were unusable.", 3, false}, true, true},
		{"permanent on the first attempt", &scripted{err: derrors.Permanent("The AI declined.", errors.New("refusal"))}, 1,
			row{"failed", "generate", "The AI declined.", 1, false}, true, true},
		{"only an operator can fix it", &scripted{err: fmt.Errorf("generate: %w", derrors.ForOperator("Your quota is used up.", errors.New("insufficient_quota")))}, 1,
			row{"failed", "generate", "Your quota is used up.", 1, true}, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := setup(t)
			r := generation.NewRunner(b.pool, tt.gen, quiet())
			err := r.Run(context.Background(), generation.Job{ProgramID: b.programID, GenerationNo: 1, Attempt: tt.attempt, MaxAttempts: 3})
			if (err != nil) != tt.wantErr {
				t.Fatalf("Run = %v, want error %v", err, tt.wantErr)
			}
			if got := derrors.IsPermanent(err); got != tt.wantPermanent {
				t.Errorf("IsPermanent(%v) = %v, want %v", err, got, tt.wantPermanent)
			}
			if errors.Is(err, generation.ErrInterrupted) {
				t.Errorf("Run = %v, not an interruption", err)
			}
			if got := b.row(t); got != tt.want {
				t.Errorf("row = %+v, want %+v", got, tt.want)
			}
		})
	}
}

// TestRunStaleGeneration: a job for an older generation_no changes nothing and costs no call.
func TestRunStaleGeneration(t *testing.T) {
	b := setup(t)
	gen := &scripted{}
	err := generation.NewRunner(b.pool, gen, quiet()).Run(context.Background(), generation.Job{ProgramID: b.programID, GenerationNo: 2, Attempt: 1, MaxAttempts: 3})
	if err != nil {
		t.Fatalf("Run = %v, want nil (nothing to do)", err)
	}
	if n := gen.calls.Load(); n != 0 {
		t.Errorf("generator called %d times for a stale job", n)
	}
	if got, want := b.row(t), (row{"pending", "queued", "", 0, false}); got != want {
		t.Errorf("row = %+v, want %+v (untouched)", got, want)
	}
}

// TestRunDeadline: a run past JOB_TIMEOUT is retried while attempts are left and failed with
// the "took too long" sentence on the last one, even though its context is dead.
func TestRunDeadline(t *testing.T) {
	for _, tt := range []struct {
		attempt int
		want    row
	}{
		{1, row{"pending", "retry_wait", "The generator had a hiccup; retrying (attempt 2 of 3).", 1, false}},
		{3, row{"failed", "generate", "Generating your program took too long, even after retrying. Press Try again to start a new attempt.", 3, false}},
	} {
		b := setup(t)
		gen := &scripted{block: true, entered: make(chan struct{})}
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		err := generation.NewRunner(b.pool, gen, quiet()).Run(ctx, generation.Job{ProgramID: b.programID, GenerationNo: 1, Attempt: tt.attempt, MaxAttempts: 3})
		cancel()
		if !errors.Is(err, context.DeadlineExceeded) || errors.Is(err, generation.ErrInterrupted) {
			t.Errorf("attempt %d: Run = %v, want the deadline, not an interruption", tt.attempt, err)
		}
		if got := b.row(t); got != tt.want {
			t.Errorf("attempt %d: row = %+v, want %+v", tt.attempt, got, tt.want)
		}
	}
}

// TestRunInterrupted: a cancelled run (shutdown) returns ErrInterrupted and leaves the row for
// the caller to hand back; Requeue then makes it pending again.
func TestRunInterrupted(t *testing.T) {
	b := setup(t)
	gen := &scripted{block: true, entered: make(chan struct{})}
	r := generation.NewRunner(b.pool, gen, quiet())
	ctx, cancel := context.WithCancel(context.Background())
	go func() { <-gen.entered; cancel() }()
	job := generation.Job{ProgramID: b.programID, GenerationNo: 1, Attempt: 1, MaxAttempts: 3}
	err := r.Run(ctx, job)
	if !errors.Is(err, generation.ErrInterrupted) || derrors.IsPermanent(err) {
		t.Fatalf("Run = %v, want ErrInterrupted", err)
	}
	if got, want := b.row(t), (row{"processing", "generate", "", 1, false}); got != want {
		t.Errorf("row after the interruption = %+v, want %+v", got, want)
	}
	if err := r.Requeue(context.Background(), job); err != nil {
		t.Fatal(err)
	}
	if got := b.row(t); got.status != "pending" || got.step != "queued" {
		t.Errorf("row after Requeue = %+v, want pending/queued", got)
	}
}
