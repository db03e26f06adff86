package auth

import (
	"context"
	"errors"
	"testing"
	"time"
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
