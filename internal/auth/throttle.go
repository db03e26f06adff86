package auth

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/netip"
	"time"

	"github.com/jackc/pgx/v5"

	"liftplan/internal/db/dbq"
)

// Limits are the throttling limits (OWASP's credential-stuffing guidance): a few failures per
// (account, client address) and per address, and a far higher per-account ceiling past which
// attempts slow down exponentially, so an attacker can neither guess freely from many addresses
// nor lock the owner out from their own.
type Limits struct {
	// Window is the counting window of every limit.
	Window time.Duration
	// PerAccountIP is the sign-in attempts one address may make at one account.
	PerAccountIP int
	// PerIP is the sign-in attempts one address may make at all accounts together.
	PerIP int
	// AccountCeiling is the attempts at one account from every address before backoff starts.
	AccountCeiling int
	// MaxBackoff caps the per-account wait past the ceiling.
	MaxBackoff time.Duration
	// SignupPerIP is the sign-ups one address may attempt.
	SignupPerIP int
}

// DefaultLimits are liftplan's production limits.
var DefaultLimits = Limits{Window: 15 * time.Minute, PerAccountIP: 5, PerIP: 20, AccountCeiling: 100,
	MaxBackoff: 15 * time.Minute, SignupPerIP: 20}

// ThrottledError is ErrThrottled with when to try again.
type ThrottledError struct{ RetryAfter time.Duration }

func (e *ThrottledError) Error() string { return ErrThrottled.Error() }

// Is makes errors.Is(err, ErrThrottled) hold.
func (e *ThrottledError) Is(target error) bool { return target == ErrThrottled }

// RetryAfter is how long a throttled client should wait (the window when err says nothing).
func RetryAfter(err error) time.Duration {
	var te *ThrottledError
	if errors.As(err, &te) {
		return te.RetryAfter
	}
	return DefaultLimits.Window
}

// loginKeys are the throttle keys of one sign-in. The email is hashed: any bytes a client sends
// (NUL, invalid UTF-8, megabytes) make a valid, short key.
func loginKeys(email string, ip netip.Addr) (pair, perIP, account string) {
	h := sha256.Sum256([]byte(email))
	e := hex.EncodeToString(h[:16])
	return "login:" + e + "|" + ip.String(), "login-ip:" + ip.String(), "login-account:" + e
}

// takeLogin takes one sign-in attempt from every limit, or returns a ThrottledError. What it took
// is handed back by the caller when the attempt succeeds.
func (u *Users) takeLogin(ctx context.Context, pair, perIP, account string) error {
	l := u.limits
	granted, err := u.q.TakeThrottle(ctx, takeParams([]string{pair, perIP}, []int32{int32(l.PerAccountIP), int32(l.PerIP)}, l.Window))
	if err != nil {
		return fmt.Errorf("throttle sign-in: %w", err)
	}
	if len(granted) < 2 {
		return &ThrottledError{RetryAfter: l.Window}
	}
	_, err = u.q.TakeAccountAttempt(ctx, takeAccountParams(account, l))
	if errors.Is(err, pgx.ErrNoRows) {
		// The account is in backoff: this address's own budget is not spent on the wait.
		if err := u.q.RefundThrottle(ctx, []string{pair, perIP}); err != nil {
			return fmt.Errorf("refund throttle: %w", err)
		}
		return &ThrottledError{RetryAfter: time.Second}
	}
	if err != nil {
		return fmt.Errorf("throttle account: %w", err)
	}
	return nil
}

// takeSignup takes one sign-up attempt from the client address's budget.
func (u *Users) takeSignup(ctx context.Context, ip netip.Addr) error {
	granted, err := u.q.TakeThrottle(ctx, takeParams([]string{"signup-ip:" + ip.String()}, []int32{int32(u.limits.SignupPerIP)}, u.limits.Window))
	if err != nil {
		return fmt.Errorf("throttle sign-up: %w", err)
	}
	if len(granted) < 1 {
		return &ThrottledError{RetryAfter: u.limits.Window}
	}
	return nil
}

func takeParams(keys []string, limits []int32, window time.Duration) dbq.TakeThrottleParams {
	return dbq.TakeThrottleParams{Keys: keys, Limits: limits, WindowSeconds: int32(window.Seconds())}
}

func takeAccountParams(key string, l Limits) dbq.TakeAccountAttemptParams {
	return dbq.TakeAccountAttemptParams{Key: key, Ceiling: int32(l.AccountCeiling), WindowSeconds: int32(l.Window.Seconds()),
		MaxBackoffSeconds: int32(l.MaxBackoff.Seconds())}
}
