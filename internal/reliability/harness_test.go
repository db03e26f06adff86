package reliability

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"liftplan/internal/bench"
	"liftplan/internal/llm/llmtest"
	"liftplan/internal/webtest"
)

// binary is the liftplan binary the scenarios run: LIFTPLAN_BINARY (set by the Makefile), or
// one built by TestMain, so a plain `go test` works from a clean clone.
var binary string

func TestMain(m *testing.M) {
	os.Exit(runTests(m))
}

func runTests(m *testing.M) int {
	binary = os.Getenv("LIFTPLAN_BINARY")
	if binary == "" {
		dir, err := os.MkdirTemp("", "liftplan-reliability-")
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		defer os.RemoveAll(dir)
		binary = filepath.Join(dir, "liftplan")
		gobin, err := exec.LookPath("go")
		if err != nil {
			gobin = filepath.Join(runtime.GOROOT(), "bin", "go")
		}
		cmd := exec.Command(gobin, "build", "-o", binary, "liftplan")
		cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
		if err := cmd.Run(); err != nil {
			fmt.Fprintln(os.Stderr, "build liftplan:", err)
			return 1
		}
	} else if abs, err := filepath.Abs(binary); err == nil {
		binary = abs
	}
	return m.Run()
}

// full reports whether LIFTPLAN_RELIABILITY=full asks for the sizes of issue 8.
func full() bool { return os.Getenv("LIFTPLAN_RELIABILITY") == "full" }

// size picks the full or the bounded size of a scenario.
func size(fullSize, bounded int) int {
	if full() {
		return fullSize
	}
	return bounded
}

// report logs the figures in the fixed one-line format and appends the table row to
// LIFTPLAN_RELIABILITY_REPORT when set.
func report(t *testing.T, f Figures) {
	t.Helper()
	if full() {
		f.Scenario += " (full)"
	} else {
		f.Scenario += " (bounded)"
	}
	t.Log(f.Summary())
	if path := os.Getenv("LIFTPLAN_RELIABILITY_REPORT"); path != "" {
		if err := AppendRow(path, f); err != nil {
			t.Error(err)
		}
	}
}

// rig is one scenario's world: a database, the fake LLM, and `liftplan serve` (re)started on
// one address with one log file.
type rig struct {
	t     *testing.T
	fake  *llmtest.Server
	dbURL string
	pool  *pgxpool.Pool
	env   map[string]string
	addr  string
	log   string
	srv   *bench.Server
}

// newRig prepares a scenario; env adds to (and overrides) the common settings.
func newRig(t *testing.T, dbURL string, fake llmtest.Options, env map[string]string) *rig {
	t.Helper()
	r := &rig{t: t, fake: llmtest.New(t, fake), dbURL: dbURL, log: filepath.Join(t.TempDir(), "serve.log")}
	var err error
	if r.addr, err = bench.FreeAddr(); err != nil {
		t.Fatal(err)
	}
	r.env = map[string]string{
		"DATABASE_URL": dbURL, "LOG_LEVEL": "warn", "LLM_PROVIDER": "openai", "OPENAI_API_KEY": "reliability-test-key",
		"OPENAI_BASE_URL": r.fake.URL, "WORKER_CONCURRENCY": "50",
	}
	for k, v := range env {
		r.env[k] = v
	}
	cfg, err := pgxpool.ParseConfig(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	cfg.MaxConns = 4
	if r.pool, err = pgxpool.NewWithConfig(context.Background(), cfg); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if r.srv != nil {
			r.srv.Kill()
		}
		r.pool.Close()
		if t.Failed() {
			t.Logf("serve log (tail):\n%s", tail(r.log, 60))
		}
	})
	return r
}

// start starts `liftplan serve` on the rig's address and waits until it is ready.
func (r *rig) start() *bench.Server {
	r.t.Helper()
	f, err := os.OpenFile(r.log, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		r.t.Fatal(err)
	}
	r.t.Cleanup(func() { f.Close() })
	srv, err := bench.StartWith(context.Background(), binary, bench.StartOptions{Env: r.env, Addr: r.addr, Stderr: f, ReadyTimeout: 60 * time.Second})
	if err != nil {
		r.t.Fatalf("%v\nserve log (tail):\n%s", err, tail(r.log, 40))
	}
	r.srv = srv
	return srv
}

// url is the base URL of the served app.
func (r *rig) url() string { return "http://" + r.addr }

// command runs another liftplan command (migrate, user create) against the rig's database.
func (r *rig) command(args ...string) {
	r.t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Env = append(os.Environ(), "DATABASE_URL="+r.dbURL, "LOG_LEVEL=warn")
	if out, err := cmd.CombinedOutput(); err != nil {
		r.t.Fatalf("liftplan %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// users signs up n browser-like clients.
func (r *rig) users(prefix string, n int) []*webtest.Client {
	r.t.Helper()
	out := make([]*webtest.Client, n)
	for i := range out {
		c := webtest.New(r.t, r.url())
		c.Signup(fmt.Sprintf("%s%d@reliability.test", prefix, i))
		c.Get("/programs/new")
		out[i] = c
	}
	return out
}

// submit posts n onboarding forms spread over the clients (in parallel per client), each made
// unique by its notes so no submission joins another or hits the cache. It fails the test
// unless every submission got its own program id.
func (r *rig) submit(cs []*webtest.Client, tag string, n int) []int64 {
	r.t.Helper()
	ids := make([]int64, n)
	var wg sync.WaitGroup
	for ci, c := range cs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := ci; i < n; i += len(cs) {
				f := webtest.GoodForm()
				f.Set("notes", fmt.Sprintf("reliability %s %d", tag, i))
				ids[i] = submitOne(r.t, c, f)
			}
		}()
	}
	wg.Wait()
	seen := map[int64]bool{}
	for i, id := range ids {
		if id == 0 {
			r.t.Fatalf("submission %d got no program", i)
		}
		if seen[id] {
			r.t.Fatalf("two submissions got program %d", id)
		}
		seen[id] = true
	}
	return ids
}

// submitOne posts one form; Fatalf is not allowed off the test goroutine, so errors are
// reported with Errorf and a zero id.
func submitOne(t *testing.T, c *webtest.Client, f url.Values) int64 {
	f.Set("_csrf", c.Token)
	req, _ := http.NewRequest(http.MethodPost, c.BaseURL+"/programs", strings.NewReader(f.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res, err := c.HTTP.Do(req)
	if err != nil {
		t.Errorf("POST /programs: %v", err)
		return 0
	}
	res.Body.Close()
	id := webtest.ProgramID(res.Header.Get("Location"))
	if res.StatusCode != http.StatusSeeOther || id == 0 {
		t.Errorf("POST /programs = %d %q, want 303 /programs/{id}", res.StatusCode, res.Header.Get("Location"))
	}
	return id
}

// counts is how many of the programs are in each status.
func (r *rig) counts(ids []int64) (map[string]int, error) {
	rows, err := r.pool.Query(context.Background(), `SELECT generation_status::text, count(*) FROM training_programs WHERE id = ANY($1) GROUP BY 1`, ids)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var s string
		var n int
		if err := rows.Scan(&s, &n); err != nil {
			return nil, err
		}
		out[s] = n
	}
	return out, rows.Err()
}

// waitFor polls cond (every 25 ms) until it holds or timeout passes; errors (a database that
// is down) count as "not yet".
func waitFor(timeout time.Duration, cond func() (bool, error)) (time.Duration, error) {
	start := time.Now()
	var last error
	for time.Since(start) < timeout {
		ok, err := cond()
		if ok && err == nil {
			return time.Since(start), nil
		}
		last = err
		time.Sleep(25 * time.Millisecond)
	}
	return time.Since(start), fmt.Errorf("not within %s (last error: %v)", timeout, last)
}

// waitTerminal waits until every program is completed or failed.
func (r *rig) waitTerminal(ids []int64, timeout time.Duration) (time.Duration, error) {
	return waitFor(timeout, func() (bool, error) {
		c, err := r.counts(ids)
		return c["completed"]+c["failed"] == len(ids), err
	})
}

// outcome is the final state of a scenario's programs as the database tells it.
type outcome struct {
	completed, failed, stuck int
	// extraRows are program rows beyond one per submission.
	extraRows int
}

// outcome reads the final state: every row of the scenario's database is one of ids (the
// database is the scenario's own), so any other row is a duplicate.
func (r *rig) outcome(ids []int64) outcome {
	r.t.Helper()
	c, err := r.counts(ids)
	if err != nil {
		r.t.Fatal(err)
	}
	var total int
	if err := r.pool.QueryRow(context.Background(), `SELECT count(*) FROM training_programs`).Scan(&total); err != nil {
		r.t.Fatal(err)
	}
	return outcome{completed: c["completed"], failed: c["failed"], stuck: c["pending"] + c["processing"], extraRows: total - len(ids)}
}

// watcher follows every program's status from outside the product (polling the rows), to
// catch what the final state hides: a program completed twice (a second completion rewrites
// completed_at) or one that left "completed" again.
type watcher struct {
	pool *pgxpool.Pool
	stop chan struct{}
	done chan struct{}

	mu    sync.Mutex
	progs map[int64]*history
}

type history struct {
	statuses    []string  // distinct consecutive statuses seen
	completedAt time.Time // completed_at when first seen completed
	completions int       // transitions into completed, counted by distinct completed_at
}

func watch(t *testing.T, pool *pgxpool.Pool) *watcher {
	w := &watcher{pool: pool, stop: make(chan struct{}), done: make(chan struct{}), progs: map[int64]*history{}}
	go w.run()
	t.Cleanup(w.close)
	return w
}

func (w *watcher) close() {
	select {
	case <-w.stop:
	default:
		close(w.stop)
	}
	<-w.done
}

func (w *watcher) run() {
	defer close(w.done)
	t := time.NewTicker(20 * time.Millisecond)
	defer t.Stop()
	for {
		w.poll()
		select {
		case <-w.stop:
			w.poll()
			return
		case <-t.C:
		}
	}
}

func (w *watcher) poll() {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	rows, err := w.pool.Query(ctx, `SELECT id, generation_status::text, completed_at FROM training_programs`)
	if err != nil {
		return // the database may be down on purpose
	}
	defer rows.Close()
	w.mu.Lock()
	defer w.mu.Unlock()
	for rows.Next() {
		var id int64
		var status string
		var completedAt *time.Time
		if rows.Scan(&id, &status, &completedAt) != nil {
			return
		}
		h := w.progs[id]
		if h == nil {
			h = &history{}
			w.progs[id] = h
		}
		if n := len(h.statuses); n == 0 || h.statuses[n-1] != status {
			h.statuses = append(h.statuses, status)
		}
		if status == "completed" && completedAt != nil && !completedAt.Equal(h.completedAt) {
			h.completedAt = *completedAt
			h.completions++
		}
	}
}

// duplicates stops watching and returns the programs completed more than once, and those that
// were seen completed and later in another status.
func (w *watcher) duplicates() (twice []int64, regressed []int64) {
	w.close()
	w.mu.Lock()
	defer w.mu.Unlock()
	for id, h := range w.progs {
		if h.completions > 1 {
			twice = append(twice, id)
		}
		for i, s := range h.statuses {
			if s == "completed" && i < len(h.statuses)-1 {
				regressed = append(regressed, id)
				break
			}
		}
	}
	return twice, regressed
}

// retryAllFailed signs in as a new admin (created with `liftplan user create --role admin`)
// and presses "retry all failed" on /admin.
func (r *rig) retryAllFailed() {
	r.t.Helper()
	email := "admin-" + strconv.FormatInt(time.Now().UnixNano(), 36) + "@reliability.test"
	r.command("user", "create", "--email", email, "--password", webtest.Password, "--role", "admin")
	admin := webtest.New(r.t, r.url())
	admin.Login(email, webtest.Password)
	admin.Get("/admin")
	if res := admin.Post("/admin/programs/retry-failed", nil, true); res.Status != http.StatusSeeOther {
		r.t.Fatalf("POST /admin/programs/retry-failed = %d, want 303; body %.300s", res.Status, res.Body)
	}
}

// jobsPerProgram counts generate_program jobs per program in River's table.
func (r *rig) jobsPerProgram() (map[int64]int, error) {
	rows, err := r.pool.Query(context.Background(),
		`SELECT (args->>'program_id')::bigint, count(*) FROM river_job WHERE kind = 'generate_program' GROUP BY 1`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]int{}
	for rows.Next() {
		var id int64
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return nil, err
		}
		out[id] = n
	}
	return out, rows.Err()
}

// tail returns the last n lines of a file.
func tail(path string, n int) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<22)
	for sc.Scan() {
		lines = append(lines, sc.Text())
		if len(lines) > n {
			lines = lines[1:]
		}
	}
	return strings.Join(lines, "\n")
}

// seconds formats a duration as "12.3 s".
func seconds(d time.Duration) string { return fmt.Sprintf("%.1f s", d.Seconds()) }

var errNotYet = errors.New("not yet")
