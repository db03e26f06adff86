package bench

import (
	"context"
	"fmt"
	"log/slog"
	"os/exec"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"liftplan/internal/webtest"
)

// Submit measures POST /programs (a miss: every form differs) → 303 on a web process, closed
// loop with 50 clients and open loop at a fixed arrival rate. Baseline: one INSERT of a
// program-sized row, autocommitted, through a pool on the same database.
func (h *Harness) Submit(ctx context.Context) ([]Row, error) {
	dbURL, pool, err := h.database(ctx, "liftplan_bench_submit")
	if err != nil {
		return nil, err
	}
	defer pool.Close()
	srv, err := Start(ctx, h.Binary, "web", map[string]string{"DATABASE_URL": dbURL})
	if err != nil {
		return nil, err
	}
	defer srv.Stop()

	base, err := insertBaseline(ctx, pool, 1000)
	if err != nil {
		return nil, err
	}
	cs := clients(srv.URL, "submit", 50)
	var seq int
	var mu sync.Mutex
	next := func() int { mu.Lock(); defer mu.Unlock(); seq++; return seq }
	for _, c := range cs[:10] { // warm-up: connections, caches, JIT-free but still cold paths
		submit(c, next())
	}

	// Open loop: a fixed arrival rate spread over the 50 clients, whatever the answers do.
	const rate, seconds = 250, 6
	var open durations
	var wg sync.WaitGroup
	tick := time.NewTicker(time.Second / rate)
	for i := range rate * seconds {
		<-tick.C
		wg.Add(1)
		go func() {
			defer wg.Done()
			d, _ := submit(cs[i%len(cs)], next())
			mu.Lock()
			open = append(open, d)
			mu.Unlock()
		}()
	}
	tick.Stop()
	wg.Wait()

	// Closed loop: 50 clients submitting back to back — the capacity of one web process.
	var closed durations
	start := time.Now()
	for _, c := range cs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 20 {
				d, _ := submit(c, next())
				mu.Lock()
				closed = append(closed, d)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	capacity := float64(len(closed)) / time.Since(start).Seconds()

	return []Row{
		{Name: fmt.Sprintf("submit (miss) at %d/s over 50 clients", rate), Unit: "ms", Median: open.Median(), P99: open.P99(),
			Baseline: base.Median(), BaselineName: "INSERT+COMMIT", Target: "p50 ≤ 5 ms, p99 ≤ 25 ms, p50 ≤ 4× baseline",
			OK:   open.Median() <= 5 && open.P99() <= 25 && open.Median() <= 4*base.Median(),
			Note: fmt.Sprintf("%d requests, web process only; baseline p99 %.2f ms", len(open), base.P99())},
		{Name: "submit capacity, 50 clients back to back", Unit: "/s", Median: capacity, Baseline: 1000 / base.Median(), BaselineName: "serial INSERT+COMMIT",
			Target: "(informational)", OK: true, Note: fmt.Sprintf("latency p50 %.1f ms, p99 %.1f ms: queueing on 2 cores shared with the load generator", closed.Median(), closed.P99())},
	}, nil
}

// insertBaseline times n autocommitted INSERTs of a row the size of a pending program.
func insertBaseline(ctx context.Context, pool *pgxpool.Pool, n int) (durations, error) {
	if _, err := pool.Exec(ctx, "CREATE TABLE IF NOT EXISTS bench_baseline (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, input jsonb NOT NULL, created_at timestamptz NOT NULL DEFAULT now())"); err != nil {
		return nil, err
	}
	input := `{"goal":"hypertrophy","experience":"intermediate","days_per_week":4,"session_minutes":60,"equipment":["barbell","bench","dumbbells","pullup_bar"],"injuries":[],"weak_points":["back"],"notes":"bench","has_paid_access":false}`
	var d durations
	for range n {
		start := time.Now()
		if _, err := pool.Exec(ctx, "INSERT INTO bench_baseline (input) VALUES ($1)", input); err != nil {
			return nil, err
		}
		d = append(d, time.Since(start))
	}
	return d, nil
}

// Propagation measures a status change committed by another process (the harness plays the
// worker: UPDATE + pg_notify in one transaction) → the `status` SSE event at a client of a web
// process. With watchersPerProgram × programs streams open it is also the many-watchers figure.
// arrival is one status event a watcher received.
type arrival struct {
	id   int64
	step string
	at   time.Time
}

// watch opens watchersPerProgram SSE streams on every program and returns once each has
// received its first status; later status events arrive on the channel.
func watch(c *webtest.Client, ids []int64, watchersPerProgram int) <-chan arrival {
	arrivals := make(chan arrival, len(ids)*watchersPerProgram*4)
	var opened sync.WaitGroup
	for _, id := range ids {
		for range watchersPerProgram {
			opened.Add(1)
			go func() {
				stream := c.Stream(id, 10*time.Minute)
				first := true
				for ev := range stream {
					if ev.Name != "status" {
						continue
					}
					if first {
						first = false
						opened.Done()
						continue
					}
					st := webtest.StatusOf(ev.Data)
					arrivals <- arrival{id, st[strings.Index(st, "/")+1:], time.Now()}
				}
			}()
		}
	}
	opened.Wait()
	return arrivals
}

func (h *Harness) Propagation(ctx context.Context, programs, watchersPerProgram, changes int) (lat durations, base durations, rssMiB float64, err error) {
	dbURL, pool, err := h.database(ctx, fmt.Sprintf("liftplan_bench_sse_%d", programs*watchersPerProgram))
	if err != nil {
		return nil, nil, 0, err
	}
	defer pool.Close()
	// No workers: programs stay pending. One bench user watches every stream, so the per-user
	// cap (8 by default, a product limit) is raised for the measurement; the global cap stays.
	srv, err := Start(ctx, h.Binary, "web", map[string]string{"DATABASE_URL": dbURL,
		"SSE_STREAMS_PER_USER": fmt.Sprint(programs*watchersPerProgram + 10)})
	if err != nil {
		return nil, nil, 0, err
	}
	defer srv.Stop()
	c := client(srv.URL, "watcher@bench.test")
	ids := make([]int64, programs)
	for i := range ids {
		_, ids[i] = submit(c, i)
	}

	arrivals := watch(c, ids, watchersPerProgram)
	rssMiB = srv.RSSMiB()

	steps := []string{"load", "analyze", "generate", "validate"}
	for i := range changes {
		id := ids[i%len(ids)]
		step := steps[(i/len(ids))%len(steps)] // each change of one program differs from its last

		tx, err := pool.Begin(ctx)
		if err != nil {
			return nil, nil, 0, err
		}
		if _, err := tx.Exec(ctx, "UPDATE training_programs SET generation_status = 'processing', progress_step = $2 WHERE id = $1", id, step); err != nil {
			return nil, nil, 0, err
		}
		if _, err := tx.Exec(ctx, "SELECT pg_notify('program_status', $1::text)", strconv.FormatInt(id, 10)); err != nil {
			return nil, nil, 0, err
		}
		committed := time.Now() // the change becomes visible during the commit: time from its start
		if err := tx.Commit(ctx); err != nil {
			return nil, nil, 0, err
		}
		got := 0
		timeout := time.After(10 * time.Second)
		for got < watchersPerProgram {
			select {
			case a := <-arrivals:
				if a.id == id && a.step == step {
					lat = append(lat, a.at.Sub(committed))
					got++
				}
			case <-timeout:
				return nil, nil, 0, fmt.Errorf("change %d: %d of %d watchers saw it within 10 s", i, got, watchersPerProgram)
			}
		}
	}
	base, err = notifyBaseline(ctx, pool, 200)
	return lat, base, rssMiB, err
}

// notifyBaseline times a raw NOTIFY → LISTEN round trip on the same database, from the start of
// the notifying statement (it commits on its own) to the notification at the listener.
func notifyBaseline(ctx context.Context, pool *pgxpool.Pool, n int) (durations, error) {
	listener, err := pool.Acquire(ctx)
	if err != nil {
		return nil, err
	}
	defer listener.Release()
	if _, err := listener.Exec(ctx, "LISTEN bench_baseline"); err != nil {
		return nil, err
	}
	var d durations
	for range n {
		committed := time.Now() // as above: from the start of the (autocommitted) NOTIFY
		if _, err := pool.Exec(ctx, "SELECT pg_notify('bench_baseline', 'x')"); err != nil {
			return nil, err
		}
		wctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		_, err := listener.Conn().WaitForNotification(wctx)
		cancel()
		if err != nil {
			return nil, err
		}
		d = append(d, time.Since(committed))
	}
	_, err = listener.Exec(ctx, "UNLISTEN *")
	return d, err
}

// Throughput measures programs completed per second end to end (submit → completed) with the
// built-in generator on one `serve --role all` process; baseline: River no-op jobs per second on
// the same database with the same concurrency.
func (h *Harness) Throughput(ctx context.Context, n int) (Row, error) {
	dbURL, pool, err := h.database(ctx, "liftplan_bench_throughput")
	if err != nil {
		return Row{}, err
	}
	defer pool.Close()
	srv, err := Start(ctx, h.Binary, "all", map[string]string{"DATABASE_URL": dbURL, "WORKER_CONCURRENCY": "50"})
	if err != nil {
		return Row{}, err
	}
	defer srv.Stop()
	cs := clients(srv.URL, "throughput", 20)
	start := time.Now()
	var wg sync.WaitGroup
	for w, c := range cs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < n; i += len(cs) {
				submit(c, i)
			}
		}()
	}
	wg.Wait()
	if _, _, err := waitCompleted(ctx, pool, n, 5*time.Minute); err != nil {
		return Row{}, err
	}
	rate := float64(n) / time.Since(start).Seconds()
	srv.Stop()

	base, err := riverNoopRate(ctx, pool, n)
	if err != nil {
		return Row{}, err
	}
	return Row{Name: "throughput, built-in generator", Unit: "/s", Median: rate, P99: 0, Baseline: base, BaselineName: "River no-op jobs",
		Target: "≥ 100 programs/s", OK: rate >= 100, Note: fmt.Sprintf("%d programs, submit to completed, 20 clients, WORKER_CONCURRENCY=50", n)}, nil
}

// noopArgs is the baseline job: River's own cost per job, nothing else.
type noopArgs struct{}

func (noopArgs) Kind() string { return "bench_noop" }

type noopWorker struct{ river.WorkerDefaults[noopArgs] }

func (noopWorker) Work(context.Context, *river.Job[noopArgs]) error { return nil }

// riverNoopRate inserts n no-op jobs and times River working them all (jobs per second).
func riverNoopRate(ctx context.Context, pool *pgxpool.Pool, n int) (float64, error) {
	workers := river.NewWorkers()
	river.AddWorker(workers, noopWorker{})
	rc, err := river.NewClient(riverpgxv5.New(pool), &river.Config{
		Queues:  map[string]river.QueueConfig{"bench": {MaxWorkers: 50}},
		Workers: workers,
		Logger:  slog.New(slog.DiscardHandler),
	})
	if err != nil {
		return 0, err
	}
	params := make([]river.InsertManyParams, n)
	for i := range params {
		params[i] = river.InsertManyParams{Args: noopArgs{}, InsertOpts: &river.InsertOpts{Queue: "bench"}}
	}
	start := time.Now()
	if _, err := rc.InsertMany(ctx, params); err != nil {
		return 0, err
	}
	if err := rc.Start(ctx); err != nil {
		return 0, err
	}
	defer func() { _ = rc.Stop(context.WithoutCancel(ctx)) }()
	for {
		var done int
		if err := pool.QueryRow(ctx, "SELECT count(*) FROM river_job WHERE kind = 'bench_noop' AND state = 'completed'").Scan(&done); err != nil {
			return 0, err
		}
		if done >= n {
			return float64(n) / time.Since(start).Seconds(), nil
		}
		if time.Since(start) > 3*time.Minute {
			return 0, fmt.Errorf("river no-op: %d of %d jobs in 3 min", done, n)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

var nsPerOp = regexp.MustCompile(`BenchmarkAnalyzeGenerateValidate\S*\s+\d+\s+([\d.]+) ns/op`)

// GenerationCPU runs the science Go benchmark five times and reports the median per program.
func (h *Harness) GenerationCPU(ctx context.Context) (Row, error) {
	out, err := exec.CommandContext(ctx, "go", "test", "-run", "^$", "-bench", "BenchmarkAnalyzeGenerateValidate$", "-count", "5", "./internal/science").CombinedOutput()
	if err != nil {
		return Row{}, fmt.Errorf("go test -bench: %v\n%s", err, out)
	}
	var d durations
	for _, m := range nsPerOp.FindAllStringSubmatch(string(out), -1) {
		ns, _ := strconv.ParseFloat(m[1], 64)
		d = append(d, time.Duration(ns))
	}
	if len(d) == 0 {
		return Row{}, fmt.Errorf("no benchmark result in:\n%s", out)
	}
	slices.Sort(d)
	return Row{Name: "generation CPU (Analyze+Generate+Validate)", Unit: "ms", Median: d.Median(), P99: d[len(d)-1].Seconds() * 1000,
		Target: "< 2 ms", OK: d.Median() < 2, Note: "go test -bench, 5 runs (p99 column: slowest run)"}, nil
}
