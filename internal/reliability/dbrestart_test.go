package reliability

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"liftplan/internal/bench"
	"liftplan/internal/devdb"
	"liftplan/internal/llm/llmtest"
	"liftplan/internal/webtest"
)

// outage is how long PostgreSQL stays down: long enough that /readyz must notice.
const outage = 3 * time.Second

// TestDatabaseRestart: PostgreSQL (a private cluster of this test) crashes and restarts
// (pg_ctl stop -m immediate, a pause, start) while generations run. /readyz answers 503 during
// the outage and 200 within 5 s of the server being back; the LISTEN connection comes back, so
// SSE streams opened before the outage get the final state pushed; a stream the outage cut is
// reopened as a browser's EventSource would; every program completes (River retries the jobs
// whose writes failed; the reconciler must not fail them), none twice.
func TestDatabaseRestart(t *testing.T) {
	t.Parallel()
	n := size(100, 10)
	start := time.Now()
	ctx := context.Background()
	addr, err := bench.FreeAddr()
	if err != nil {
		t.Fatal(err)
	}
	_, p, _ := net.SplitHostPort(addr)
	port, _ := strconv.Atoi(p)
	opts := devdb.Options{DataDir: filepath.Join(t.TempDir(), "pg"), ProbeAddr: "127.0.0.1:1", Port: port}
	dbURL, err := devdb.Private(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := devdb.Destroy(context.Background(), opts); err != nil {
			t.Logf("destroy test cluster: %v", err)
		}
	})
	r := newRig(t, dbURL, llmtest.Options{Latency: 1500 * time.Millisecond}, map[string]string{
		"LLM_TIMEOUT": "5s", "JOB_TIMEOUT": "20s", "RESCUE_AFTER": "30s", "JOB_MAX_ATTEMPTS": "5",
	})
	r.command("migrate")
	r.start()
	w := watch(t, r.pool)
	cs := r.users("dbrestart", 5)
	ids := r.submit(cs, "dbrestart", n)

	// SSE clients on the first programs, opened before the outage.
	k := min(n, 10)
	followCtx, stopFollowing := context.WithTimeout(ctx, 3*time.Minute)
	defer stopFollowing()
	results := make([]followResult, k)
	var followers sync.WaitGroup
	for i := range k {
		followers.Add(1)
		go func() {
			defer followers.Done()
			results[i] = follow(followCtx, cs[i%len(cs)], ids[i])
		}()
	}
	ready := pollReadyz(r.url())
	defer ready.stop()

	if _, err := waitFor(30*time.Second, func() (bool, error) {
		c, err := r.counts(ids)
		return c["processing"] >= min(n, 50)/2, err
	}); err != nil {
		t.Fatalf("generations never got going: %v", err)
	}
	atCrash, _ := r.counts(ids)
	crashAt := time.Now()
	if err := devdb.Crash(ctx, opts); err != nil {
		t.Fatal(err)
	}
	time.Sleep(outage) // the outage itself, not a synchronisation
	if _, err := devdb.Private(ctx, opts); err != nil {
		t.Fatal(err)
	}
	upAt := time.Now()
	// /readyz must say 200 again within 5 s of the server answering.
	if _, err := waitFor(15*time.Second, func() (bool, error) { return ready.firstAfter(upAt, http.StatusOK) != nil, nil }); err != nil {
		t.Errorf("/readyz did not answer 200 after the database came back: %v", err)
	}
	back := ready.firstAfter(upAt, http.StatusOK)
	down := ready.firstAfter(crashAt, http.StatusServiceUnavailable)
	if down == nil || down.at.After(upAt) {
		t.Errorf("/readyz never answered 503 during the outage")
	}
	var readyAfter time.Duration
	if back != nil {
		readyAfter = back.at.Sub(upAt)
		if readyAfter > 5*time.Second {
			t.Errorf("/readyz answered 200 %s after the database was back, want ≤ 5 s", readyAfter)
		}
	}

	// The LISTEN probe: a program submitted after the outage, slow enough to be running when its
	// one SSE stream opens. That stream can only learn the final state from the hub (a
	// notification, or the wake-up every subscriber gets when the listener reconnects), so
	// `done` on it proves the LISTEN connection came back.
	r.fake.SetLatency(2 * time.Second)
	probe := submitOne(t, cs[0], probeForm())
	probeRes := followOnce(followCtx, cs[0], probe)
	if !probeRes.done || probeRes.final != "completed" || probeRes.firstTerminal {
		t.Errorf("SSE stream of program %d opened after the outage: final %q, done %v, terminal at open %v, error %v; want a pushed completed+done (LISTEN back)",
			probe, probeRes.final, probeRes.done, probeRes.firstTerminal, probeRes.err)
	}
	probeLatency := probeRes.doneAt.Sub(probeRes.lastOpened)
	ids = append(ids, probe)

	took, err := r.waitTerminal(ids, 3*time.Minute)
	if err != nil {
		c, _ := r.counts(ids)
		t.Fatalf("programs did not all finish after the restart: %v (%v)", err, c)
	}
	followers.Wait()
	var pushed, reopened int
	for i, res := range results {
		if res.final != "completed" || !res.done {
			t.Errorf("SSE client of program %d ended with %q (done %v, %d connections, error %v), want completed and done", ids[i], res.final, res.done, res.connections, res.err)
		}
		if res.connections > 1 {
			reopened++
		}
		if res.connections == 1 {
			pushed++ // the stream survived the outage
		}
	}
	o := r.outcome(ids)
	twice, regressed := w.duplicates()
	if o.completed != len(ids) || o.failed != 0 || o.stuck != 0 {
		t.Errorf("after the restart: %d completed, %d failed, %d stuck of %d; want all completed", o.completed, o.failed, o.stuck, len(ids))
	}
	if o.extraRows != 0 || len(twice) > 0 || len(regressed) > 0 {
		t.Errorf("duplicates: %d extra rows, completed twice %v, left completed %v", o.extraRows, twice, regressed)
	}
	var downFor time.Duration
	if down != nil && back != nil {
		downFor = back.at.Sub(down.at)
	}
	report(t, Figures{Scenario: "3. database restart (immediate)", Submitted: len(ids), Completed: o.completed, Failed: o.failed,
		Duplicated: o.extraRows + len(twice) + len(regressed), Stuck: o.stuck,
		Recovery: fmt.Sprintf("/readyz 503 for %s, 200 %s after PostgreSQL was back; all completed %s after that", seconds(downFor), seconds(readyAfter), seconds(took)),
		Notes: fmt.Sprintf("%d submitted before an outage of %s with %d processing, 1 probe after it; %d SSE clients from before the outage all saw done+completed (%d on their first stream, %d reopened after a cut); the probe's stream got done %s after opening",
			n, seconds(outage), atCrash["processing"], k, pushed, reopened, seconds(probeLatency)),
		Took: time.Since(start)})
}

// probeForm is the form of the program submitted after the outage.
func probeForm() url.Values {
	f := webtest.GoodForm()
	f.Set("notes", "reliability dbrestart probe")
	return f
}

// followOnce reads one SSE stream (no reopening) until it ends.
func followOnce(ctx context.Context, c *webtest.Client, id int64) followResult {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	return followN(ctx, c, id, 1)
}

// followResult is what an SSE client saw.
type followResult struct {
	firstTerminal bool   // the first status event of the last stream was already terminal
	final         string // last status seen
	done          bool   // an `event: done` arrived
	connections   int    // streams opened
	lastOpened    time.Time
	doneAt        time.Time
	err           error // the last error
}

// follow watches a program's SSE stream until `done`, reopening it after a cut or an error
// answer with a 500 ms pause (htmx's SSE extension does the same, with backoff).
func follow(ctx context.Context, c *webtest.Client, id int64) followResult {
	return followN(ctx, c, id, 0)
}

// followN is follow with at most max streams (0: no limit).
func followN(ctx context.Context, c *webtest.Client, id int64, max int) followResult {
	var res followResult
	stream := &http.Client{Jar: c.HTTP.Jar}
	for ctx.Err() == nil && (max == 0 || res.connections < max) {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, c.BaseURL+"/programs/"+strconv.FormatInt(id, 10)+"/events", nil)
		req.Header.Set("Accept", "text/event-stream")
		res.connections++
		res.lastOpened = time.Now()
		r, err := stream.Do(req)
		switch {
		case err != nil:
			res.err = err
		case r.StatusCode != http.StatusOK:
			res.err = fmt.Errorf("status %d", r.StatusCode)
			r.Body.Close()
		default:
			sc := bufio.NewScanner(r.Body)
			sc.Buffer(make([]byte, 1<<20), 1<<22)
			var name, data string
			first := true
			for sc.Scan() {
				line := sc.Text()
				switch {
				case line == "":
					if name == "status" {
						if s := webtest.StatusOf(data); s != "" {
							res.final, _, _ = strings.Cut(s, "/")
							if first {
								res.firstTerminal, first = res.final == "completed" || res.final == "failed", false
							}
						}
					}
					if name == "done" {
						res.done, res.doneAt = true, time.Now()
						r.Body.Close()
						return res
					}
					name, data = "", ""
				case strings.HasPrefix(line, "event: "):
					name = line[7:]
				case strings.HasPrefix(line, "data: "):
					data += line[6:] + "\n"
				}
			}
			res.err = sc.Err()
			r.Body.Close()
		}
		select {
		case <-ctx.Done():
		case <-time.After(500 * time.Millisecond):
		}
	}
	return res
}

// readyz polls /readyz every 50 ms and keeps every answer.
type readyz struct {
	mu      sync.Mutex
	samples []sample
	cancel  context.CancelFunc
	done    chan struct{}
}

type sample struct {
	at     time.Time // when the answer arrived
	status int       // 0: no answer
}

func pollReadyz(base string) *readyz {
	ctx, cancel := context.WithCancel(context.Background())
	p := &readyz{cancel: cancel, done: make(chan struct{})}
	client := &http.Client{Timeout: 3 * time.Second}
	go func() {
		defer close(p.done)
		for ctx.Err() == nil {
			req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+"/readyz", nil)
			s := sample{}
			if res, err := client.Do(req); err == nil {
				s.status = res.StatusCode
				res.Body.Close()
			}
			s.at = time.Now()
			p.mu.Lock()
			p.samples = append(p.samples, s)
			p.mu.Unlock()
			select {
			case <-ctx.Done():
			case <-time.After(50 * time.Millisecond):
			}
		}
	}()
	return p
}

func (p *readyz) stop() { p.cancel(); <-p.done }

// firstAfter is the first answer with status that arrived after t, or nil.
func (p *readyz) firstAfter(t time.Time, status int) *sample {
	p.mu.Lock()
	defer p.mu.Unlock()
	for i := range p.samples {
		if s := p.samples[i]; s.at.After(t) && s.status == status {
			return &s
		}
	}
	return nil
}
