package events

import (
	"context"
	"log/slog"
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
