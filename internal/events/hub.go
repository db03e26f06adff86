// Package events fans program status changes out to the SSE streams of this process. Workers in
// any process commit a status change together with pg_notify('program_status', id); the Hub
// holds one dedicated LISTEN connection and wakes the subscribers of that program, which then
// re-read the program row (the row is the truth; a notification only says "look again"). The
// re-read is shared: Snapshot runs one read per change for every stream of the program, so
// 2,000 open streams cost one query per change, not 2,000.
package events

import (
	"context"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
)

// Channel is the PostgreSQL notification channel for program status changes.
const Channel = "program_status"

// Hub is one process's LISTEN connection and its subscribers.
type Hub struct {
	cfg *pgx.ConnConfig
	log *slog.Logger

	mu      sync.Mutex
	subs    map[int64]map[*Subscription]struct{}
	gens    map[int64]uint64  // wake-ups per program so far: a read is reused only within one
	flights map[int64]*flight // the latest shared read per watched program
	closed  bool
	healthy bool
}

// flight is one shared read of a program, for the wake-up generation gen.
type flight struct {
	gen  uint64
	done chan struct{}
	val  any
	err  error
}

// snapshotTimeout bounds a shared read: it runs detached from the stream that started it, so
// that stream's client hanging up does not fail the read for every other stream.
const snapshotTimeout = 5 * time.Second

// Subscription wakes its owner when the program may have changed. C is closed when the hub shuts
// down (the stream should end).
type Subscription struct {
	C   <-chan struct{}
	c   chan struct{}
	id  int64
	key string
	h   *Hub
}

// NewHub returns a hub that listens with its own connection built from cfg.
func NewHub(cfg *pgx.ConnConfig, log *slog.Logger) *Hub {
	return &Hub{cfg: cfg.Copy(), log: log, subs: map[int64]map[*Subscription]struct{}{},
		gens: map[int64]uint64{}, flights: map[int64]*flight{}}
}

// Subscribe starts watching program id. Subscribe before reading the program's state, so no
// change can fall between the read and the subscription.
func (h *Hub) Subscribe(id int64) *Subscription { return h.SubscribeKey(id, "") }

// SubscribeKey is Subscribe with a key (the stream's session), handed to Snapshot's read so it
// can revalidate every stream of the program at once.
func (h *Hub) SubscribeKey(id int64, key string) *Subscription {
	c := make(chan struct{}, 1)
	s := &Subscription{C: c, c: c, id: id, key: key, h: h}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		close(c)
		return s
	}
	if h.subs[id] == nil {
		h.subs[id] = map[*Subscription]struct{}{}
	}
	h.subs[id][s] = struct{}{}
	return s
}

// Close stops watching.
func (s *Subscription) Close() {
	h := s.h
	h.mu.Lock()
	defer h.mu.Unlock()
	if set := h.subs[s.id]; set != nil {
		if _, ok := set[s]; ok {
			delete(set, s)
			if len(set) == 0 {
				delete(h.subs, s.id)
				delete(h.gens, s.id)
				delete(h.flights, s.id)
			}
		}
	}
}

// Subscribers is the number of open subscriptions.
func (h *Hub) Subscribers() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	n := 0
	for _, set := range h.subs {
		n += len(set)
	}
	return n
}

// Healthy reports whether the LISTEN connection is up.
func (h *Hub) Healthy() bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.healthy
}

// Close ends every subscription (their channels close) and refuses new ones; used at shutdown
// so SSE handlers return and the HTTP server can finish.
func (h *Hub) Close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return
	}
	h.closed = true
	for id, set := range h.subs {
		for s := range set {
			close(s.c)
		}
		delete(h.subs, id)
	}
}

// wake signals the subscribers of id, or every subscriber when all is true (after a reconnect,
// missed notifications are not replayed, so everyone re-reads).
func (h *Hub) wake(id int64, all bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for sid, set := range h.subs {
		if !all && sid != id {
			continue
		}
		h.gens[sid]++
		for s := range set {
			select {
			case s.c <- struct{}{}:
			default: // a wake-up is pending already; one re-read covers both
			}
		}
	}
}

// Snapshot returns the result of load for program id as of its latest wake-up, running load at
// most once per wake-up however many streams ask: the first caller reads, the others wait for
// its result. load receives the keys of every subscription of the program.
func (h *Hub) Snapshot(ctx context.Context, id int64, load func(ctx context.Context, keys []string) (any, error)) (any, error) {
	h.mu.Lock()
	gen := h.gens[id]
	f := h.flights[id]
	if f == nil || f.gen != gen {
		f = &flight{gen: gen, done: make(chan struct{})}
		h.flights[id] = f
		var keys []string
		for s := range h.subs[id] {
			keys = append(keys, s.key)
		}
		h.mu.Unlock()
		readCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), snapshotTimeout)
		f.val, f.err = load(readCtx, keys)
		cancel()
		close(f.done)
	} else {
		h.mu.Unlock()
	}
	select {
	case <-f.done:
		return f.val, f.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (h *Hub) setHealthy(v bool) {
	h.mu.Lock()
	h.healthy = v
	h.mu.Unlock()
}

// Run listens until ctx ends, reconnecting with exponential backoff (100 ms to 5 s).
func (h *Hub) Run(ctx context.Context) {
	backoff := 100 * time.Millisecond
	first := true
	for ctx.Err() == nil {
		err := h.listen(ctx, !first)
		first = false
		if h.Healthy() {
			backoff = 100 * time.Millisecond // the connection worked: the next outage starts fresh
		}
		h.setHealthy(false)
		if ctx.Err() != nil {
			return
		}
		h.log.Warn("program status listener lost; reconnecting", "error", err, "backoff", backoff)
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
		backoff = min(backoff*2, 5*time.Second)
	}
}

// listen holds one connection: LISTEN, then wake subscribers per notification.
func (h *Hub) listen(ctx context.Context, reconnected bool) error {
	connectCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
	conn, err := pgx.ConnectConfig(connectCtx, h.cfg)
	cancel()
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, "LISTEN "+Channel); err != nil {
		return err
	}
	h.setHealthy(true)
	if reconnected {
		h.log.Info("program status listener reconnected")
		h.wake(0, true)
	}
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		id, err := strconv.ParseInt(n.Payload, 10, 64)
		if err != nil {
			continue
		}
		h.wake(id, false)
	}
}

// ID is the program the subscription watches.
func (s *Subscription) ID() int64 { return s.id }
