package bench

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"time"

	"liftplan/internal/llm/llmtest"
)

// CacheHit measures an identical resubmission inside the cache window: POST /programs → 303 →
// GET of the (already completed) program page. Baseline: the same two requests for a miss, up
// to the 303 and the pending page.
func (h *Harness) CacheHit(ctx context.Context, n int) (Row, error) {
	dbURL, pool, err := h.database(ctx, "liftplan_bench_cache")
	if err != nil {
		return Row{}, err
	}
	defer pool.Close()
	srv, err := Start(ctx, h.Binary, "all", map[string]string{"DATABASE_URL": dbURL})
	if err != nil {
		return Row{}, err
	}
	defer srv.Stop()
	c := client(srv.URL, "cache@bench.test")
	_, first := submit(c, 0)
	if _, _, err := waitCompleted(ctx, pool, 1, 30*time.Second); err != nil {
		return Row{}, err
	}
	page := func(id int64) {
		if r := c.Get(fmt.Sprintf("/programs/%d", id)); r.Status != http.StatusOK {
			panic(fmt.Sprintf("program page: %d", r.Status))
		}
	}
	page(first)
	var hit, miss durations
	for i := range n {
		start := time.Now()
		_, id := submit(c, 0) // the same answers as the first: served from the cache
		page(id)
		hit = append(hit, time.Since(start))

		start = time.Now()
		_, id = submit(c, 1_000_000+i) // new answers: a miss, pending page
		page(id)
		miss = append(miss, time.Since(start))
	}
	var cached int
	if err := pool.QueryRow(ctx, "SELECT count(*) FROM training_programs WHERE source = 'cache'").Scan(&cached); err != nil {
		return Row{}, err
	}
	if cached != n {
		return Row{}, fmt.Errorf("%d of %d resubmissions were served from the cache", cached, n)
	}
	return Row{Name: "cache hit: submit → completed page", Unit: "ms", Median: hit.Median(), P99: hit.P99(), Baseline: miss.Median(),
		BaselineName: "miss: submit → pending page", Target: "p50 ≤ 8 ms", OK: hit.Median() <= 8,
		Note: fmt.Sprintf("%d hits, each a new completed row (program page ≈ 60 KB of HTML)", n)}, nil
}

// Concurrency submits n programs against the fake LLM writing at pace (as a real model does),
// with WORKER_CONCURRENCY=workers: the ideal is n/workers × one generation at that pace (the
// form's blueprint tokens at the pace). Lost and duplicated must be 0.
func (h *Harness) Concurrency(ctx context.Context, n, workers int, pace llmtest.Pace) (Row, error) {
	dbURL, pool, err := h.database(ctx, "liftplan_bench_concurrency")
	if err != nil {
		return Row{}, err
	}
	defer pool.Close()
	fake, err := llmtest.Listen("127.0.0.1:0", llmtest.Options{Pace: pace})
	if err != nil {
		return Row{}, err
	}
	defer fake.Close()
	srv, err := Start(ctx, h.Binary, "all", map[string]string{"DATABASE_URL": dbURL, "WORKER_CONCURRENCY": fmt.Sprint(workers),
		"LLM_PROVIDER": "openai", "OPENAI_API_KEY": "bench", "OPENAI_BASE_URL": fake.URL})
	if err != nil {
		return Row{}, err
	}
	defer srv.Stop()
	cs := clients(srv.URL, "concurrency", 50)
	start := time.Now()
	var wg sync.WaitGroup
	var mu sync.Mutex
	var lat durations
	for w, c := range cs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < n; i += len(cs) {
				d, _ := submit(c, i)
				mu.Lock()
				lat = append(lat, d)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if _, _, err := waitCompleted(ctx, pool, n, 6*time.Minute); err != nil {
		return Row{}, err
	}
	elapsed := time.Since(start)
	var rows, completed, llm int
	if err := pool.QueryRow(ctx, `SELECT count(*), count(*) FILTER (WHERE generation_status = 'completed'),
		count(*) FILTER (WHERE source = 'llm') FROM training_programs`).Scan(&rows, &completed, &llm); err != nil {
		return Row{}, err
	}
	var dupJobs int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM (SELECT args->>'program_id' FROM river_job WHERE kind = 'generate_program'
		GROUP BY 1 HAVING count(*) > 1) d`).Scan(&dupJobs); err != nil {
		return Row{}, err
	}
	var avgTokens float64
	if err := pool.QueryRow(ctx, `SELECT coalesce(avg(completion_tokens), 0) FROM training_programs`).Scan(&avgTokens); err != nil {
		return Row{}, err
	}
	latency := pace.TimeToFirstToken + time.Duration(avgTokens/pace.TokensPerSecond*float64(time.Second))
	ideal := time.Duration(float64(n) / float64(workers) * float64(latency))
	lost, dup := n-completed, rows-n+dupJobs
	return Row{Name: fmt.Sprintf("%d submissions, fake LLM at %.0f tok/s (%.1f s each), %d workers", n, pace.TokensPerSecond, latency.Seconds(), workers), Unit: "s",
		Median: elapsed.Seconds(), Baseline: ideal.Seconds(), BaselineName: "ideal n/workers × latency",
		Target: "≤ 1.25 × ideal, lost 0, duplicated 0", OK: elapsed <= ideal*5/4 && lost == 0 && dup == 0 && llm == n,
		Note: fmt.Sprintf("all %d completed by the LLM provider; lost %d, duplicated %d; %d LLM requests (%.2f per program); submit p50 %.1f ms",
			llm, lost, dup, len(fake.Requests()), float64(len(fake.Requests()))/float64(max(n, 1)), lat.Median())}, nil
}
