package reliability

import (
	"fmt"
	"testing"
	"time"

	"liftplan/internal/llm/llmtest"
	"liftplan/internal/testdb"
)

// TestProcessCrash: `kill -9` of a serve process while its generations run. After a restart
// River rescues the jobs the dead process held (RESCUE_AFTER) and every program completes,
// exactly once: one row per submission, one generation job per program, and no program
// completed twice (a second completion would rewrite completed_at, which the watcher sees).
func TestProcessCrash(t *testing.T) {
	t.Parallel()
	n := size(50, 10)
	start := time.Now()
	r := newRig(t, testdb.NewURL(t), llmtest.Options{Latency: 3 * time.Second}, map[string]string{
		"LLM_TIMEOUT": "10s", "JOB_TIMEOUT": "5s", "RESCUE_AFTER": "5s", "JOB_MAX_ATTEMPTS": "3",
	})
	w := watch(t, r.pool)
	r.start()
	cs := r.users("crash", 5)
	ids := r.submit(cs, "crash", n)

	// Kill while generations run: every program claimed and none finished yet is the worst case.
	if _, err := waitFor(30*time.Second, func() (bool, error) {
		c, err := r.counts(ids)
		return c["processing"] == n, err
	}); err != nil {
		c, _ := r.counts(ids)
		t.Fatalf("programs never all processing: %v (%v)", err, c)
	}
	r.srv.Kill()
	atKill, err := r.counts(ids)
	if err != nil {
		t.Fatal(err)
	}
	if atKill["processing"] == 0 {
		t.Fatalf("no program was processing when the process died: %v", atKill)
	}

	r.start()
	took, err := r.waitTerminal(ids, 2*time.Minute)
	if err != nil {
		c, _ := r.counts(ids)
		t.Fatalf("programs did not all finish after the restart: %v (%v)", err, c)
	}

	o := r.outcome(ids)
	twice, regressed := w.duplicates()
	jobs, err := r.jobsPerProgram()
	if err != nil {
		t.Fatal(err)
	}
	var extraJobs int
	for _, id := range ids {
		if jobs[id] != 1 {
			extraJobs++
			t.Errorf("program %d has %d generation jobs, want 1", id, jobs[id])
		}
	}
	var rescued int
	if err := r.pool.QueryRow(t.Context(), `SELECT count(*) FROM training_programs WHERE id = ANY($1) AND attempt > 1`, ids).Scan(&rescued); err != nil {
		t.Fatal(err)
	}
	var requests int
	for _, q := range r.fake.Requests() {
		if q.Behaviour == llmtest.Valid {
			requests++
		}
	}
	if o.completed != n || o.failed != 0 || o.stuck != 0 {
		t.Errorf("after the crash: %d completed, %d failed, %d stuck of %d; want all completed", o.completed, o.failed, o.stuck, n)
	}
	if o.extraRows != 0 {
		t.Errorf("%d program rows beyond one per submission", o.extraRows)
	}
	if len(twice) > 0 || len(regressed) > 0 {
		t.Errorf("programs completed twice: %v; left completed again: %v", twice, regressed)
	}
	if rescued == 0 {
		t.Errorf("no program ran a second attempt, so nothing was rescued: the kill did not interrupt anything")
	}
	report(t, Figures{Scenario: "1. process crash (kill -9)", Submitted: n, Completed: o.completed, Failed: o.failed,
		Duplicated: o.extraRows + len(twice) + len(regressed) + extraJobs, Stuck: o.stuck,
		Recovery: "all completed " + seconds(took) + " after the restart (RESCUE_AFTER 5 s, River leader re-election included)",
		Notes:    fmt.Sprintf("%d processing at the kill; %d rescued (attempt 2); %d LLM answers for %d programs", atKill["processing"], rescued, requests, n),
		Took:     time.Since(start)})
}
