package auth

import (
	"context"
	"runtime"
	"time"

	"liftplan/internal/derrors"
)

// ErrBusy means every hashing worker stayed busy for the whole queue wait: the request is refused
// (503 with Retry-After) rather than queued without bound. Each argon2id run holds 19 MiB, so the
// pool size is also the bound on the memory hashing can take. It is derrors.Unavailable: shed
// load a flood is expected to cause, logged as a warning.
var ErrBusy = derrors.New(derrors.Unavailable, "liftplan is busy right now. Try again in a moment.")

// DefaultHashQueueWait is how long a sign-in or sign-up waits for a hashing worker: long enough
// to ride out a burst, short enough that a flood is answered quickly instead of piling up.
const DefaultHashQueueWait = time.Second

// Hasher runs argon2id on a bounded number of workers.
type Hasher struct {
	slots chan struct{}
	wait  time.Duration
}

// NewHasher returns a pool of workers (≤ 0: the number of CPUs) that waits at most wait (≤ 0:
// DefaultHashQueueWait) for a free worker.
func NewHasher(workers int, wait time.Duration) *Hasher {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	if wait <= 0 {
		wait = DefaultHashQueueWait
	}
	return &Hasher{slots: make(chan struct{}, workers), wait: wait}
}

// run runs f on a worker, or returns ErrBusy (or ctx's error) when none frees up in time.
func (h *Hasher) run(ctx context.Context, f func()) error {
	t := time.NewTimer(h.wait)
	defer t.Stop()
	select {
	case h.slots <- struct{}{}:
	case <-t.C:
		return ErrBusy
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-h.slots }()
	f()
	return nil
}

// Hash hashes password on a worker.
func (h *Hasher) Hash(ctx context.Context, password string) (hash string, err error) {
	if rerr := h.run(ctx, func() { hash, err = HashPassword(password) }); rerr != nil {
		return "", rerr
	}
	return hash, err
}

// Check compares password with encoded on a worker.
func (h *Hasher) Check(ctx context.Context, encoded, password string) (ok bool, err error) {
	if rerr := h.run(ctx, func() { ok, err = CheckPassword(encoded, password) }); rerr != nil {
		return false, rerr
	}
	return ok, err
}
