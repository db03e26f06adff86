package auth

import (
	"context"
	"errors"
	"net/netip"
	"testing"
	"time"

	"liftplan/internal/testdb"
)

func TestHasherRefusesWhenFull(t *testing.T) {
	h := NewHasher(1, 20*time.Millisecond)
	busy, release := make(chan struct{}), make(chan struct{})
	go func() { _ = h.run(context.Background(), func() { close(busy); <-release }) }()
	<-busy
	if _, err := h.Hash(context.Background(), "a long enough password"); !errors.Is(err, ErrBusy) {
		t.Errorf("Hash with every worker busy = %v, want ErrBusy", err)
	}
	close(release)
	enc, err := h.Hash(context.Background(), "a long enough password")
	if err != nil {
		t.Fatalf("Hash after the worker freed up: %v", err)
	}
	if ok, err := h.Check(context.Background(), enc, "a long enough password"); !ok || err != nil {
		t.Errorf("Check = %v, %v; want true", ok, err)
	}
}

// A registered email costs the same work as a new one: sign-up hashes before it looks at the
// email, so with every hashing worker busy both wait and get ErrBusy alike (a registered email
// answered at once would tell an attacker which emails exist). Sign-in with an unknown email
// hashes too (against a dummy).
func TestRegisteredAndNewEmailsCostTheSameWork(t *testing.T) {
	pool := testdb.New(t)
	ctx := context.Background()
	h := NewHasher(1, 20*time.Millisecond)
	users := NewUsers(pool, WithHasher(h))
	if _, err := users.Create(ctx, NewUser{Email: "taken@example.com", Password: "a long enough password"}); err != nil {
		t.Fatal(err)
	}
	busy, release := make(chan struct{}), make(chan struct{})
	go func() { _ = h.run(ctx, func() { close(busy); <-release }) }()
	<-busy
	defer close(release)
	for _, email := range []string{"taken@example.com", "new@example.com"} {
		if _, err := users.Create(ctx, NewUser{Email: email, Password: "a long enough password"}); !errors.Is(err, ErrBusy) {
			t.Errorf("sign-up of %s with the pool busy = %v, want ErrBusy (hashed first)", email, err)
		}
		if _, err := users.Authenticate(ctx, email, "a long enough password", netip.MustParseAddr("192.0.2.1")); !errors.Is(err, ErrBusy) {
			t.Errorf("sign-in of %s with the pool busy = %v, want ErrBusy", email, err)
		}
	}
}
