package web_test

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"liftplan/internal/generation"
	"liftplan/internal/jobs"
	"liftplan/internal/llm"
	"liftplan/internal/programs"
	"liftplan/internal/webtest"
)

// TestGracefulShutdownHandsJobsBack stops the workers while a generation runs: the job goes back
// to River without spending an attempt, the program shows queued again, and a new worker
// completes it on its first attempt.
func TestGracefulShutdownHandsJobsBack(t *testing.T) {
	gen := newGated()
	st := newStack(t, stackOptions{generator: gen})
	b := st.browser()
	b.Signup("patient@example.com")
	b.Get("/programs/new")
	id := b.Submit(webtest.GoodForm())
	<-gen.entered // the generation is running

	stopCtx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond) // the bound
	start := time.Now()
	_ = st.River.Shutdown(stopCtx)
	cancel()
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("shutdown took %s, want about the 300 ms bound", took)
	}
	e := export(b, id)
	if e.Status != "pending" || e.Step != string(programs.StepQueued) {
		t.Fatalf("after shutdown the program is %s/%s, want pending/queued", e.Status, e.Step)
	}
	var jobAttempt int
	var jobState string
	ctx := context.Background()
	if err := st.Pool.QueryRow(ctx, "SELECT attempt, state FROM river_job WHERE kind = 'generate_program'").Scan(&jobAttempt, &jobState); err != nil {
		t.Fatal(err)
	}
	if jobAttempt != 0 || (jobState != "available" && jobState != "scheduled") {
		t.Errorf("job after shutdown: attempt %d, state %s; want attempt 0, available again", jobAttempt, jobState)
	}

	// "Restart": a new worker picks the job up.
	runner := generation.NewRunner(st.Pool, llm.Builtin{}, slog.New(slog.DiscardHandler))
	rc, err := jobs.New(st.Pool, jobs.Options{Runner: runner, Concurrency: 2, JobTimeout: 10 * time.Second, RescueAfter: time.Minute, MaxAttempts: 3, Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	if err := rc.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = rc.Shutdown(context.Background()) })
	e = waitStatus(b, id, "completed")
	if e.Attempt != 1 {
		t.Errorf("completed on attempt %d, want 1: the shutdown burned an attempt", e.Attempt)
	}
}

// TestReconcilerFailsOrphans: a program whose job was discarded (or vanished) is failed with a
// readable message instead of staying pending forever.
func TestReconcilerFailsOrphans(t *testing.T) {
	gen := newGated()
	st := newStack(t, stackOptions{generator: gen, reconcileEvery: 200 * time.Millisecond, reconcileGrace: time.Millisecond})
	b := st.browser()
	b.Signup("orphan@example.com")
	b.Get("/programs/new")
	form := webtest.GoodForm()
	id := b.Submit(form)
	<-gen.entered
	// An operator deletes the running job by hand (or River's cleaner ate it).
	if _, err := st.Pool.Exec(context.Background(), "DELETE FROM river_job WHERE kind = 'generate_program'"); err != nil {
		t.Fatal(err)
	}
	e := waitStatus(b, id, "failed")
	if e.Error == nil || *e.Error == "" {
		t.Errorf("orphaned program failed without a message")
	}
	close(gen.release) // the abandoned run finishes; its result must not resurrect the program
	time.Sleep(0)
	if e := export(b, id); e.Status != "failed" {
		t.Errorf("abandoned run overwrote the reconciled program: %s", e.Status)
	}
}
