package reliability

import (
	"fmt"
	"testing"
	"time"

	"liftplan/internal/llm/llmtest"
	"liftplan/internal/testdb"
)

// shutdownBound is how long a SIGTERMed serve may take: running jobs get 25 s
// (internal/app shutdownTimeout), then River cancels the rest and gets 10 s to record their
// hand-back (jobs.Client.Shutdown).
const shutdownBound = 35 * time.Second

// TestGracefulStop: SIGTERM while generations run that cannot finish within the shutdown bound.
// The process exits within the bound and cleanly; the jobs are handed back to River without
// spending an attempt (snoozed, programs pending again), so a restart completes them at once
// rather than after RESCUE_AFTER, each on attempt 1 with no error recorded.
func TestGracefulStop(t *testing.T) {
	t.Parallel()
	n := size(20, 5)
	start := time.Now()
	// RESCUE_AFTER is long: if the hand-back failed, only the rescuer could finish these jobs,
	// and not within the wait below.
	r := newRig(t, testdb.NewURL(t), llmtest.Options{Latency: time.Minute}, map[string]string{
		"LLM_TIMEOUT": "90s", "JOB_TIMEOUT": "2m", "RESCUE_AFTER": "5m", "JOB_MAX_ATTEMPTS": "3",
	})
	w := watch(t, r.pool)
	r.start()
	cs := r.users("graceful", 5)
	ids := r.submit(cs, "graceful", n)
	if _, err := waitFor(30*time.Second, func() (bool, error) {
		var generating int
		err := r.pool.QueryRow(t.Context(), `SELECT count(*) FROM training_programs WHERE id = ANY($1) AND generation_status = 'processing' AND progress_step = 'generate'`, ids).Scan(&generating)
		return generating == n && len(r.fake.Requests()) >= n, err
	}); err != nil {
		t.Fatalf("generations never all running: %v", err)
	}

	exit, err := r.srv.Terminate(shutdownBound + 15*time.Second)
	if err != nil {
		t.Fatalf("serve after SIGTERM: %v (after %s)", err, exit)
	}
	if exit > shutdownBound {
		t.Errorf("serve took %s to exit after SIGTERM, bound %s", exit, shutdownBound)
	}
	var handedBack, burned int
	if err := r.pool.QueryRow(t.Context(), `SELECT count(*) FILTER (WHERE generation_status = 'pending' AND progress_step = 'queued'),
		count(*) FILTER (WHERE attempt > 1 OR generation_error IS NOT NULL) FROM training_programs WHERE id = ANY($1)`, ids).Scan(&handedBack, &burned); err != nil {
		t.Fatal(err)
	}
	var jobsAvailable int
	if err := r.pool.QueryRow(t.Context(), `SELECT count(*) FROM river_job WHERE kind = 'generate_program' AND state = 'available' AND attempt = 0 AND coalesce(array_length(errors, 1), 0) = 0`).Scan(&jobsAvailable); err != nil {
		t.Fatal(err)
	}
	if handedBack != n || jobsAvailable != n {
		t.Errorf("after SIGTERM: %d of %d programs pending again, %d jobs available with attempt 0 and no error; want all", handedBack, n, jobsAvailable)
	}

	r.fake.SetLatency(200 * time.Millisecond)
	r.start()
	took, err := r.waitTerminal(ids, 60*time.Second)
	if err != nil {
		c, _ := r.counts(ids)
		t.Fatalf("handed-back programs did not finish after the restart: %v (%v)", err, c)
	}
	o := r.outcome(ids)
	twice, regressed := w.duplicates()
	if err := r.pool.QueryRow(t.Context(), `SELECT count(*) FROM training_programs WHERE id = ANY($1) AND attempt <> 1`, ids).Scan(&burned); err != nil {
		t.Fatal(err)
	}
	// River records a job's completion a moment after the program row says completed.
	if _, err := waitFor(10*time.Second, func() (bool, error) {
		var open int
		err := r.pool.QueryRow(t.Context(), `SELECT count(*) FROM river_job WHERE kind = 'generate_program' AND finalized_at IS NULL`).Scan(&open)
		return open == 0, err
	}); err != nil {
		t.Errorf("generation jobs not finalized after their programs completed: %v", err)
	}
	var jobsBurned int
	if err := r.pool.QueryRow(t.Context(), `SELECT count(*) FROM river_job WHERE kind = 'generate_program' AND (attempt <> 1 OR state <> 'completed' OR coalesce(array_length(errors, 1), 0) > 0)`).Scan(&jobsBurned); err != nil {
		t.Fatal(err)
	}
	if o.completed != n || o.stuck != 0 || o.failed != 0 {
		t.Errorf("after the restart: %d completed, %d failed, %d stuck of %d", o.completed, o.failed, o.stuck, n)
	}
	if jobsBurned != 0 {
		rows, _ := r.pool.Query(t.Context(), `SELECT id, state::text, attempt, coalesce(errors::text, ''), args::text FROM river_job WHERE kind = 'generate_program'`)
		for rows.Next() {
			var id int64
			var st, errs, args string
			var att int
			_ = rows.Scan(&id, &st, &att, &errs, &args)
			t.Logf("job %d %s attempt %d errors %s args %s", id, st, att, errs, args)
		}
		rows.Close()
	}
	if burned != 0 || jobsBurned != 0 {
		t.Errorf("attempts burned by a graceful stop: %d programs not on attempt 1, %d jobs with another attempt or an error", burned, jobsBurned)
	}
	if o.extraRows != 0 || len(twice) > 0 || len(regressed) > 0 {
		t.Errorf("duplicates: %d extra rows, completed twice %v, left completed %v", o.extraRows, twice, regressed)
	}
	report(t, Figures{Scenario: "2. graceful stop (SIGTERM)", Submitted: n, Completed: o.completed, Failed: o.failed,
		Duplicated: o.extraRows + len(twice) + len(regressed), Stuck: o.stuck,
		Recovery: fmt.Sprintf("exit %s after SIGTERM (bound %s); all completed %s after the restart", seconds(exit), seconds(shutdownBound), seconds(took)),
		Notes:    fmt.Sprintf("%d running jobs handed back; attempts burned: %d", handedBack, burned+jobsBurned),
		Took:     time.Since(start)})
}
