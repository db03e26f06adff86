package reliability

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"liftplan/internal/llm/llmtest"
	"liftplan/internal/testdb"
)

// faultMix is issue 8's provider weather: per request, 30 % 429 with Retry-After: 1, 10 % an
// HTML 502 from a proxy, 10 % an answer that is not JSON, 5 % no answer within LLM_TIMEOUT
// (Hang); the remaining 45 % are valid.
var faultMix = map[llmtest.Behaviour]float64{llmtest.RateLimited: 0.30, llmtest.BadGatewayHTML: 0.10, llmtest.InvalidJSON: 0.10, llmtest.Hang: 0.05}

// TestLLMFaultMix: generations against a provider with the fault mix. The transport retries
// 429, 502 and timeouts (LLM_MAX_RETRIES); an answer still unusable after its one repair makes
// River run the job again in a fresh conversation (JOB_MAX_ATTEMPTS). At least 99 % must
// complete on their own; any failure must carry a message a user can read, and "retry all
// failed" must complete them once the provider is healthy again.
func TestLLMFaultMix(t *testing.T) {
	t.Parallel()
	n := size(200, 40)
	start := time.Now()
	r := newRig(t, testdb.NewURL(t), llmtest.Options{Mix: faultMix, Seed: 8, RetryAfter: "1", Latency: 50 * time.Millisecond}, map[string]string{
		"LLM_TIMEOUT": "2s", "LLM_MAX_RETRIES": "6", "JOB_MAX_ATTEMPTS": "5", "JOB_TIMEOUT": "90s", "RESCUE_AFTER": "2m",
	})
	w := watch(t, r.pool)
	r.start()
	cs := r.users("mix", 5)
	ids := r.submit(cs, "mix", n)
	took, err := r.waitTerminal(ids, 4*time.Minute)
	if err != nil {
		c, _ := r.counts(ids)
		t.Fatalf("programs did not all finish: %v (%v)", err, c)
	}
	first := r.outcome(ids)

	// Every failure: a readable message, and the fake confirms both answers were unusable.
	rows, err := r.pool.Query(t.Context(), `SELECT id, coalesce(generation_error, ''), coalesce(error_detail, ''), input->>'notes' FROM training_programs WHERE id = ANY($1) AND generation_status = 'failed'`, ids)
	if err != nil {
		t.Fatal(err)
	}
	type failure struct {
		id             int64
		msg, detail, n string
	}
	var failures []failure
	for rows.Next() {
		var f failure
		if err := rows.Scan(&f.id, &f.msg, &f.detail, &f.n); err != nil {
			t.Fatal(err)
		}
		failures = append(failures, f)
	}
	rows.Close()
	requests := r.fake.Requests()
	for _, f := range failures {
		if f.msg == "" || strings.Contains(f.msg, "chat completion") || strings.Contains(f.msg, "status ") || strings.Contains(f.msg, "<html") {
			t.Errorf("program %d failed without a readable message: %q (%s)", f.id, f.msg, f.detail)
		}
	}
	if first.stuck != 0 {
		t.Errorf("%d programs stuck", first.stuck)
	}
	if float64(first.completed) < 0.99*float64(n) {
		t.Errorf("%d of %d generations completed on their own, want ≥ 99 %%", first.completed, n)
	}

	// Then the provider's credit runs out for a moment: programs submitted now fail at once
	// (insufficient_quota is never retried) with a message a user can read. Once the provider is
	// back, an admin's "retry all failed" completes them, and any the mix failed.
	const outage = 5
	quota := make([]llmtest.Behaviour, outage)
	for i := range quota {
		quota[i] = llmtest.InsufficientQuota
	}
	r.fake.Script(quota...)
	outIDs := r.submit(cs, "quota", outage)
	if _, err := r.waitTerminal(outIDs, time.Minute); err != nil {
		t.Fatalf("outage programs did not finish: %v", err)
	}
	var outFailed int
	if err := r.pool.QueryRow(t.Context(), `SELECT count(*) FROM training_programs WHERE id = ANY($1) AND generation_status = 'failed'
		AND generation_error LIKE '%run out of credit%'`, outIDs).Scan(&outFailed); err != nil {
		t.Fatal(err)
	}
	if outFailed != outage {
		t.Errorf("%d of %d programs submitted during the quota outage failed with the credit message", outFailed, outage)
	}
	ids = append(ids, outIDs...)
	c, _ := r.counts(ids)
	valid := make([]llmtest.Behaviour, 2*c["failed"])
	for i := range valid {
		valid[i] = llmtest.Valid
	}
	r.fake.Script(valid...)
	retryStart := time.Now()
	retried := c["failed"]
	r.retryAllFailed()
	if _, err := waitFor(time.Minute, func() (bool, error) {
		c, err := r.counts(ids)
		return c["completed"] == len(ids), err
	}); err != nil {
		c, _ := r.counts(ids)
		t.Errorf("retry all failed did not complete every program: %v (%v)", err, c)
	}
	retryTook := time.Since(retryStart)
	final := r.outcome(ids)
	twice, regressed := w.duplicates()
	if final.extraRows != 0 || len(twice) > 0 || len(regressed) > 0 {
		t.Errorf("duplicates: %d extra rows, completed twice %v, left completed %v", final.extraRows, twice, regressed)
	}
	counts := r.fake.Counts()
	report(t, Figures{Scenario: "4. LLM fault mix", Submitted: n, Completed: first.completed, Failed: first.failed,
		Duplicated: final.extraRows + len(twice) + len(regressed), Stuck: final.stuck,
		Recovery: fmt.Sprintf("all finished in %s; %.1f %% completed on their own; then %d submitted during a quota outage failed at once; retry all failed → %d retried, %d/%d completed in %s",
			seconds(took), 100*float64(first.completed)/float64(n), outage, retried, final.completed, len(ids), seconds(retryTook)),
		Notes: fmt.Sprintf("%d LLM requests: %d 429, %d 502, %d invalid JSON, %d hung, %d valid",
			len(requests), counts[llmtest.RateLimited], counts[llmtest.BadGatewayHTML], counts[llmtest.InvalidJSON], counts[llmtest.Hang], counts[llmtest.Valid]),
		Took: time.Since(start)})
}
