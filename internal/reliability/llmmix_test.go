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
// 429, 502 and timeouts (LLM_MAX_RETRIES) and River retries the job when those run out
// (JOB_MAX_ATTEMPTS), so no program may fail because of them. An answer that is still unusable
// after the one repair request fails the program at once by design (DESIGN §4, "invalid
// output after repair"); the fake's own log must confirm each such failure (both answers were
// invalid), the message must be one a user can read, and "retry all failed" must complete them
// once the provider is healthy again.
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
	var transientFailures int
	for _, f := range failures {
		if f.msg == "" || strings.Contains(f.msg, "chat completion") || strings.Contains(f.msg, "status ") || strings.Contains(f.msg, "<html") {
			t.Errorf("program %d failed without a readable message: %q", f.id, f.msg)
		}
		var answers []llmtest.Behaviour // the program's answers that were not retried by the transport
		for _, q := range requests {
			if strings.Contains(string(q.Raw), f.n+`\"`) && q.Behaviour != llmtest.RateLimited && q.Behaviour != llmtest.BadGatewayHTML && q.Behaviour != llmtest.Hang {
				answers = append(answers, q.Behaviour)
			}
		}
		if k := len(answers); k < 2 || answers[k-1] != llmtest.InvalidJSON || answers[k-2] != llmtest.InvalidJSON {
			transientFailures++
			t.Errorf("program %d failed although the provider did not answer garbage twice in a row (usable answers: %v): %q / %s", f.id, answers, f.msg, f.detail)
		}
	}
	if first.stuck != 0 {
		t.Errorf("%d programs stuck", first.stuck)
	}
	// The retries' part of the target: among generations the provider did not answer with
	// garbage twice, at least 99 % complete.
	eligible := n - (len(failures) - transientFailures)
	if float64(first.completed) < 0.99*float64(eligible) {
		t.Errorf("%d of %d eligible generations completed, want ≥ 99 %%", first.completed, eligible)
	}

	// The provider recovers; an admin presses "retry all failed".
	var retryTook time.Duration
	if first.failed > 0 {
		valid := make([]llmtest.Behaviour, 2*first.failed)
		for i := range valid {
			valid[i] = llmtest.Valid
		}
		r.fake.Script(valid...)
		retryStart := time.Now()
		r.retryAllFailed()
		if _, err := waitFor(time.Minute, func() (bool, error) {
			c, err := r.counts(ids)
			return c["completed"] == n, err
		}); err != nil {
			c, _ := r.counts(ids)
			t.Errorf("retry all failed did not complete every program: %v (%v)", err, c)
		}
		retryTook = time.Since(retryStart)
	}
	final := r.outcome(ids)
	twice, regressed := w.duplicates()
	if final.extraRows != 0 || len(twice) > 0 || len(regressed) > 0 {
		t.Errorf("duplicates: %d extra rows, completed twice %v, left completed %v", final.extraRows, twice, regressed)
	}
	counts := r.fake.Counts()
	report(t, Figures{Scenario: "4. LLM fault mix", Submitted: n, Completed: first.completed, Failed: first.failed,
		Duplicated: final.extraRows + len(twice) + len(regressed), Stuck: final.stuck,
		Recovery: fmt.Sprintf("all finished in %s; %.1f %% completed on their own; retry all failed → %d/%d completed in %s",
			seconds(took), 100*float64(first.completed)/float64(n), final.completed, n, seconds(retryTook)),
		Notes: fmt.Sprintf("%d LLM requests: %d 429, %d 502, %d invalid JSON, %d hung, %d valid; failures all 'unusable after one repair' (%d from transient faults)",
			len(requests), counts[llmtest.RateLimited], counts[llmtest.BadGatewayHTML], counts[llmtest.InvalidJSON], counts[llmtest.Hang], counts[llmtest.Valid], transientFailures),
		Took: time.Since(start)})
}
