package bench

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"liftplan/internal/db"
	"liftplan/internal/webtest"
)

// Harness holds what every scenario shares: the liftplan binary and the PostgreSQL server.
type Harness struct {
	Binary  string
	BaseURL string // a database URL; scenarios create their own databases next to it
	Log     func(format string, args ...any)
}

// database creates (or recreates) a migrated database for one scenario and returns its URL and
// a pool on it.
func (h *Harness) database(ctx context.Context, name string) (string, *pgxpool.Pool, error) {
	u, err := url.Parse(h.BaseURL)
	if err != nil {
		return "", nil, err
	}
	admin := *u
	admin.Path = "/postgres"
	conn, err := pgx.Connect(ctx, admin.String())
	if err != nil {
		return "", nil, err
	}
	_, err = conn.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)")
	conn.Close(ctx)
	if err != nil {
		return "", nil, err
	}
	u.Path = "/" + name
	pool, err := db.Open(ctx, u.String(), 60)
	if err != nil {
		return "", nil, err
	}
	if _, err := db.Migrate(ctx, pool, slog.New(slog.DiscardHandler)); err != nil {
		pool.Close()
		return "", nil, err
	}
	return u.String(), pool, nil
}

// fatal is the webtest.TB of the harness: a failed request aborts the scenario.
type fatal struct{}

func (fatal) Helper() {}
func (fatal) Fatalf(format string, args ...any) {
	panic(fmt.Sprintf(format, args...))
}

// transport is shared by all harness clients: enough idle connections that 1,000 concurrent
// requests reuse connections instead of opening new ones each time.
var transport = &http.Transport{MaxIdleConns: 2000, MaxIdleConnsPerHost: 2000, IdleConnTimeout: time.Minute}

// forwardedFor names one simulated user's address (TRUSTED_PROXIES lets the server believe it).
type forwardedFor struct {
	next http.RoundTripper
	addr string
}

func (f forwardedFor) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("X-Forwarded-For", f.addr)
	return f.next.RoundTrip(r)
}

var clientNo atomic.Uint32

// signups bounds concurrent sign-ups: setup, not what is measured, and the server's hashing pool
// answers 503 to a burst larger than it can hash within its queue wait.
var signups = make(chan struct{}, 2)

// client is a signed-up user of server, ready to submit (it holds the form's CSRF token).
func client(server, email string) *webtest.Client {
	c := webtest.New(fatal{}, server)
	n := clientNo.Add(1)
	c.HTTP.Transport = forwardedFor{next: transport, addr: fmt.Sprintf("10.%d.%d.%d", n>>16&255, n>>8&255, n&255)}
	signups <- struct{}{}
	defer func() { <-signups }()
	c.Signup(email)
	c.Get("/programs/new")
	return c
}

// clients signs up n users in parallel.
func clients(server, prefix string, n int) []*webtest.Client {
	out := make([]*webtest.Client, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i] = client(server, prefix+strconv.Itoa(i)+"@bench.test")
		}()
	}
	wg.Wait()
	return out
}

// form is a valid submission made unique by n (distinct notes: no in-flight join, no cache).
func form(n int) url.Values {
	f := webtest.GoodForm()
	f.Set("notes", "bench "+strconv.Itoa(n))
	return f
}

// submit posts one form and returns the latency and the program id.
func submit(c *webtest.Client, n int) (time.Duration, int64) {
	start := time.Now()
	r := c.Post("/programs", form(n), true)
	d := time.Since(start)
	id := webtest.ProgramID(r.Header.Get("Location"))
	if r.Status != http.StatusSeeOther || id == 0 {
		panic(fmt.Sprintf("submit: status %d", r.Status))
	}
	return d, id
}

// waitCompleted polls the database until want programs are completed (or the timeout).
func waitCompleted(ctx context.Context, pool *pgxpool.Pool, want int, timeout time.Duration) (time.Duration, int, error) {
	start := time.Now()
	var n int
	for time.Since(start) < timeout {
		if err := pool.QueryRow(ctx, "SELECT count(*) FROM training_programs WHERE generation_status = 'completed'").Scan(&n); err != nil {
			return 0, 0, err
		}
		if n >= want {
			return time.Since(start), n, nil
		}
		time.Sleep(20 * time.Millisecond)
	}
	return time.Since(start), n, fmt.Errorf("only %d of %d programs completed within %s", n, want, timeout)
}
