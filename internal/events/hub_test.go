package events

import (
	"context"
	"log/slog"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"liftplan/internal/testdb"
)

func waitSignal(t *testing.T, c <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-c:
	case <-time.After(10 * time.Second):
		t.Fatalf("no wake-up: %s", what)
	}
}

func TestHubWakesSubscribersAndSurvivesReconnect(t *testing.T) {
	pool := testdb.New(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	hub := NewHub(pool.Config().ConnConfig, slog.New(slog.DiscardHandler))
	go hub.Run(ctx)
	deadline := time.Now().Add(10 * time.Second)
	for !hub.Healthy() && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	a, b := hub.Subscribe(1), hub.Subscribe(2)
	defer a.Close()
	defer b.Close()
	if _, err := pool.Exec(ctx, "SELECT pg_notify('program_status', '1')"); err != nil {
		t.Fatal(err)
	}
	waitSignal(t, a.C, "subscriber of program 1 after NOTIFY 1")
	select {
	case <-b.C:
		t.Fatal("subscriber of program 2 woke for program 1")
	default:
	}

	// Kill the LISTEN connection from the server side, as a PostgreSQL restart would.
	if _, err := pool.Exec(ctx, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query = 'LISTEN "+Channel+"' AND datname = current_database()"); err != nil {
		t.Fatal(err)
	}
	// After reconnecting, every subscriber re-reads (missed notifications are not replayed)…
	waitSignal(t, b.C, "subscriber of program 2 after the reconnect")
	waitSignal(t, a.C, "subscriber of program 1 after the reconnect")
	// …and notifications flow again.
	if _, err := pool.Exec(ctx, "SELECT pg_notify('program_status', '2')"); err != nil {
		t.Fatal(err)
	}
	waitSignal(t, b.C, "subscriber of program 2 after NOTIFY on the new connection")

	hub.Close()
	if _, open := <-a.C; open {
		t.Error("subscription channel still open after Close")
	}
	if n := hub.Subscribers(); n != 0 {
		t.Errorf("%d subscribers after Close", n)
	}
}

// Every stream of a program woken by one change shares one read: 200 streams, one query.
func TestSnapshotIsOneReadPerChange(t *testing.T) {
	const streams = 200
	pool := testdb.New(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	hub := NewHub(pool.Config().ConnConfig, slog.New(slog.DiscardHandler))
	go hub.Run(ctx)
	deadline := time.Now().Add(10 * time.Second)
	for !hub.Healthy() && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	subs := make([]*Subscription, streams)
	for i := range subs {
		subs[i] = hub.SubscribeKey(7, "session-"+strconv.Itoa(i))
		defer subs[i].Close()
	}
	var reads atomic.Int64
	var keysSeen atomic.Int64
	load := func(ctx context.Context, keys []string) (any, error) {
		reads.Add(1)
		keysSeen.Store(int64(len(keys)))
		var n int
		err := pool.QueryRow(ctx, "SELECT 42").Scan(&n)
		return n, err
	}
	for change := 1; change <= 2; change++ {
		if _, err := pool.Exec(ctx, "SELECT pg_notify('program_status', '7')"); err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		for _, s := range subs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				waitSignal(t, s.C, "stream after NOTIFY 7")
				v, err := hub.Snapshot(ctx, 7, load)
				if err != nil || v != 42 {
					t.Errorf("Snapshot = %v, %v; want 42", v, err)
				}
			}()
		}
		wg.Wait()
		if got := reads.Load(); got != int64(change) {
			t.Fatalf("after %d changes with %d streams: %d reads, want %d", change, streams, got, change)
		}
		if keysSeen.Load() != streams {
			t.Errorf("the read saw %d stream keys, want %d", keysSeen.Load(), streams)
		}
	}
}

func TestStreamsCapsAndEndSession(t *testing.T) {
	s := NewStreams(2, 3)
	a1, err1 := s.Open(1, "a")
	_, err2 := s.Open(1, "b")
	if err1 != nil || err2 != nil {
		t.Fatalf("two streams of one user refused: %v %v", err1, err2)
	}
	if _, err := s.Open(1, "c"); err != ErrTooManyStreams {
		t.Errorf("third stream of one user: %v, want ErrTooManyStreams", err)
	}
	if _, err := s.Open(2, "d"); err != nil {
		t.Fatalf("another user's stream refused: %v", err)
	}
	if _, err := s.Open(3, "e"); err != ErrTooManyStreams {
		t.Errorf("fourth stream overall: %v, want ErrTooManyStreams", err)
	}
	s.EndSession("a")
	select {
	case <-a1.Ended:
	default:
		t.Error("EndSession did not end the session's stream")
	}
	a1.Close()
	a1.Close() // twice is harmless
	if s.Count() != 2 {
		t.Errorf("Count = %d after one close, want 2", s.Count())
	}
}
