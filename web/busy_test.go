package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"liftplan/internal/auth"
	"liftplan/web"
)

// TestBusyHashingIsAWarning: a sign-up that finds every password-hashing worker taken is answered
// 503 with Retry-After and a page that says so, and the log calls it a warning, never an error (a
// flood must not page anyone). One worker that waits a nanosecond for its turn makes concurrent
// sign-ups meet a busy pool; bursts repeat until one has.
func TestBusyHashingIsAWarning(t *testing.T) {
	const (
		burst     = 8
		maxBursts = 10
	)
	logs := &syncBuffer{}
	st := newStack(t, stackOptions{logs: logs, mutate: []func(*web.Deps){trustLoopback, func(d *web.Deps) {
		d.Users = auth.NewUsers(d.DB.(*pgxpool.Pool), auth.WithHasher(auth.NewHasher(1, time.Nanosecond)))
	}}})
	var busy []response
	for round := 0; round < maxBursts && len(busy) == 0; round++ {
		var (
			mu sync.Mutex
			wg sync.WaitGroup
		)
		for i := range burst {
			b := st.browser()
			b.Get("/signup")
			n := round*burst + i + 1 // one client address per sign-up, below the per-IP throttle
			wg.Add(1)
			go func() {
				defer wg.Done()
				r := postFrom(b, "/signup", fmt.Sprintf("198.51.100.%d", n), url.Values{"email": {fmt.Sprintf("busy%d@example.com", n)}, "password": {"a long enough password"}})
				mu.Lock()
				defer mu.Unlock()
				switch r.Status {
				case http.StatusServiceUnavailable:
					busy = append(busy, r)
				case http.StatusSeeOther:
				default:
					t.Errorf("sign-up = %d, want 303 or 503", r.Status)
				}
			}()
		}
		wg.Wait()
	}
	if len(busy) == 0 {
		t.Fatalf("%d bursts of %d concurrent sign-ups never met a busy hashing pool", maxBursts, burst)
	}
	r := busy[0]
	if r.Header.Get("Retry-After") != "1" || !strings.Contains(r.Body, "busy right now") {
		t.Errorf("503: Retry-After %q, body lacks \"busy right now\":\n%.600s", r.Header.Get("Retry-After"), r.Body)
	}
	var shed int
	for l := range strings.SplitSeq(logs.String(), "\n") {
		if strings.Contains(l, "level=ERROR") {
			t.Errorf("a busy hashing pool logged an error: %s", l)
		}
		if strings.Contains(l, "level=WARN") && strings.Contains(l, `msg="http request"`) && strings.Contains(l, "status=503") && strings.Contains(l, "busy") {
			shed++
		}
	}
	if shed != len(busy) {
		t.Errorf("%d request lines at warn with status 503 and the cause, want %d (one per busy answer)", shed, len(busy))
	}
}
