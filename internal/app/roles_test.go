package app

import (
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"liftplan/internal/testdb"
	"liftplan/internal/webtest"
)

// process is one `liftplan serve` running in this test process, on its own pool, River client
// and listener: it shares nothing with the others but PostgreSQL.
type process struct {
	addr   string
	cancel context.CancelFunc
	done   chan int
}

func startServe(t *testing.T, env map[string]string, args ...string) *process {
	t.Helper()
	p := &process{addr: freeAddr(t), done: make(chan int, 1)}
	e := map[string]string{"LISTEN_ADDR": p.addr, "LOG_LEVEL": "warn"}
	for k, v := range env {
		e[k] = v
	}
	ctx, cancel := context.WithCancel(context.Background())
	p.cancel = cancel
	go func() {
		code, _, stderr := runMain(ctx, e, append([]string{"serve"}, args...)...)
		if code != ExitOK {
			t.Logf("serve %v exited %d: %s", args, code, stderr)
		}
		p.done <- code
	}()
	if !waitReady(t, "http://"+p.addr+"/readyz", 30*time.Second) {
		t.Fatalf("serve %v never became ready", args)
	}
	var once sync.Once
	t.Cleanup(func() { once.Do(func() { p.stop(t) }) })
	return p
}

// stop is SIGTERM: cancel the context and wait for a clean exit.
func (p *process) stop(t *testing.T) int {
	t.Helper()
	p.cancel()
	select {
	case code := <-p.done:
		p.done <- code
		return code
	case <-time.After(40 * time.Second):
		t.Fatal("serve did not stop within 40 s")
		return -1
	}
}

func (p *process) url() string { return "http://" + p.addr }

// TestWebAndWorkerProcesses runs a web-only and a worker-only process on one database: the
// generation completes and the SSE client of the web process sees every change.
func TestWebAndWorkerProcesses(t *testing.T) {
	env := map[string]string{"DATABASE_URL": testdb.NewURL(t)}
	web := startServe(t, env, "--role", "web")
	worker := startServe(t, env, "--role", "worker")

	if r, err := http.Get(worker.url() + "/login"); err != nil || r.StatusCode != http.StatusNotFound {
		t.Errorf("worker process serves pages: /login = %v %v, want 404", r.StatusCode, err)
	}
	c := webtest.New(t, web.url())
	c.Signup("split@example.com")
	c.Get("/programs/new")
	id := c.Submit(webtest.GoodForm())
	var seen []string
	for ev := range c.Stream(id, 30*time.Second) {
		if ev.Name == "status" {
			seen = append(seen, webtest.StatusOf(ev.Data))
		}
	}
	if len(seen) == 0 || seen[len(seen)-1] != "completed/store" {
		t.Fatalf("SSE on the web process saw %v, want it to end completed/store", seen)
	}
	if len(seen) < 2 {
		t.Errorf("SSE saw only %v; the change made by the worker process never arrived", seen)
	}
}

// TestStuckJobIsRescued simulates a worker that died mid-run: its job stays `running` and the
// program `processing`. A worker with a short RESCUE_AFTER rescues it and completes it once.
func TestStuckJobIsRescued(t *testing.T) {
	dbURL := testdb.NewURL(t)
	env := map[string]string{"DATABASE_URL": dbURL, "JOB_TIMEOUT": "1s", "RESCUE_AFTER": "2s"}
	web := startServe(t, env, "--role", "web")
	c := webtest.New(t, web.url())
	c.Signup("rescued@example.com")
	c.Get("/programs/new")
	id := c.Submit(webtest.GoodForm())

	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	// What a crashed worker leaves behind: the job claimed an hour ago, the program mid-pipeline.
	if _, err := conn.Exec(ctx, `UPDATE river_job SET state = 'running', attempt = 1, attempted_at = now() - interval '1 hour',
		attempted_by = ARRAY['crashed-worker'] WHERE (args->>'program_id')::bigint = $1`, id); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(ctx, `UPDATE training_programs SET generation_status = 'processing', progress_step = 'generate', attempt = 1 WHERE id = $1`, id); err != nil {
		t.Fatal(err)
	}
	startServe(t, env, "--role", "worker")

	var status, jobState string
	var attempt, genNo int
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if err := conn.QueryRow(ctx, `SELECT p.generation_status, p.attempt, p.generation_no, j.state FROM training_programs p
			JOIN river_job j ON (j.args->>'program_id')::bigint = p.id WHERE p.id = $1`, id).Scan(&status, &attempt, &genNo, &jobState); err != nil {
			t.Fatal(err)
		}
		if status == "completed" && jobState == "completed" { // River records the job's end just after the program's
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if status != "completed" || attempt != 2 || genNo != 1 {
		t.Fatalf("rescued program: status %s, attempt %d, generation %d; want completed on attempt 2 of generation 1", status, attempt, genNo)
	}
	var jobs, completedJobs int
	_ = conn.QueryRow(ctx, "SELECT count(*), count(*) FILTER (WHERE state = 'completed') FROM river_job WHERE kind = 'generate_program'").Scan(&jobs, &completedJobs)
	if jobs != 1 || completedJobs != 1 {
		t.Errorf("jobs = %d (completed %d), want exactly one, completed", jobs, completedJobs)
	}
}

// TestMetricsOnTheirOwnAddress: with METRICS_ADDR, /metrics is served only there (so production
// may leave it without a token behind a firewall) and the main listener answers it 404.
func TestMetricsOnTheirOwnAddress(t *testing.T) {
	metricsAddr := freeAddr(t)
	p := startServe(t, map[string]string{"DATABASE_URL": testdb.NewURL(t), "METRICS_ADDR": metricsAddr,
		"APP_ENV": "production", "SESSION_SECRET": strings.Repeat("s", 32)}, "--role", "web")
	get := func(url string) (int, string) {
		t.Helper()
		r, err := http.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Body.Close()
		b, _ := io.ReadAll(r.Body)
		return r.StatusCode, string(b)
	}
	if code, _ := get(p.url() + "/metrics"); code != http.StatusNotFound {
		t.Errorf("main listener /metrics = %d, want 404", code)
	}
	if code, body := get("http://" + metricsAddr + "/metrics"); code != http.StatusOK || !strings.Contains(body, "liftplan_http_request_duration_seconds") {
		t.Errorf("METRICS_ADDR /metrics = %d, want 200 with liftplan's series:\n%.300s", code, body)
	}
	for _, path := range []string{"/healthz", "/login", "/admin"} {
		if code, _ := get("http://" + metricsAddr + path); code != http.StatusNotFound {
			t.Errorf("METRICS_ADDR %s = %d, want 404 (metrics only)", path, code)
		}
	}
}
