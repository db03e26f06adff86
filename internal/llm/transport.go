package llm

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// maxResponseBytes bounds how much of an answer the transport buffers; a program is well
// under 1 MB, so anything larger is a broken server, not a long program.
const maxResponseBytes = 16 << 20

// TransportOptions configures RetryTransport.
type TransportOptions struct {
	// Base sends the requests; nil means a clone of http.DefaultTransport.
	Base http.RoundTripper
	// MaxRetries is how many times one request is retried after the first attempt (LLM_MAX_RETRIES).
	MaxRetries int
	// AttemptTimeout bounds one attempt, reading the answer included (LLM_TIMEOUT); 0 means none.
	AttemptTimeout time.Duration
	// BaseDelay is the first backoff; each retry doubles it, with jitter. Default 500 ms.
	BaseDelay time.Duration
	// MaxDelay caps the backoff. A Retry-After longer than it ends the retries and returns the
	// answer: the job is retried later instead of a worker sleeping on it. Default 30 s.
	MaxDelay time.Duration
	// Metrics counts attempts and retries; nil counts nothing.
	Metrics *Metrics
	// Log receives one line per retry; nil discards.
	Log *slog.Logger
}

// RetryTransport is an http.RoundTripper for LLM servers. go-openai has no retries and no
// timeout of its own, so this is where reliability lives: connection errors, timeouts, 408,
// 409, 429 and 5xx are retried with exponential backoff and jitter, honouring Retry-After;
// other 4xx and insufficient_quota are returned at once because repeating them cannot help.
// It never retries past the request context's deadline: when less than one attempt's timeout
// would remain after the wait, the last answer is returned and the caller decides.
type RetryTransport struct {
	o TransportOptions
}

// NewRetryTransport returns a RetryTransport with defaults filled in.
func NewRetryTransport(o TransportOptions) *RetryTransport {
	if o.Base == nil {
		o.Base = http.DefaultTransport.(*http.Transport).Clone()
	}
	if o.BaseDelay <= 0 {
		o.BaseDelay = 500 * time.Millisecond
	}
	if o.MaxDelay <= 0 {
		o.MaxDelay = 30 * time.Second
	}
	if o.MaxRetries < 0 {
		o.MaxRetries = 0
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	return &RetryTransport{o: o}
}

// attemptsKey carries the per-call attempt counter in a request context, so one shared
// transport can report attempts for each generation separately.
type attemptsKey struct{}

// withAttemptCounter returns a context whose requests the transport counts into the counter.
func withAttemptCounter(ctx context.Context) (context.Context, *atomic.Int64) {
	n := new(atomic.Int64)
	return context.WithValue(ctx, attemptsKey{}, n), n
}

// errAttemptTimeout marks an attempt cut off by AttemptTimeout.
var errAttemptTimeout = errors.New("llm attempt timed out")

// RoundTrip implements http.RoundTripper.
func (t *RetryTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	var body []byte
	if req.Body != nil && req.Body != http.NoBody {
		var err error
		body, err = io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, fmt.Errorf("read llm request body: %w", err)
		}
	}
	counter, _ := ctx.Value(attemptsKey{}).(*atomic.Int64)
	for attempt := 1; ; attempt++ {
		if counter != nil {
			counter.Add(1)
		}
		res, cancel, err := t.attempt(ctx, req, body)
		reason := t.retryReason(ctx, res, err)
		t.count(res, err)
		if reason == "" || attempt > t.o.MaxRetries {
			return res, err
		}
		delay := t.backoff(attempt)
		if ra, ok := retryAfter(res, time.Now()); ok {
			delay = ra
		}
		if delay > t.o.MaxDelay || !t.timeLeft(ctx, delay) {
			return res, err
		}
		if res != nil {
			res.Body.Close()
		}
		cancel()
		if t.o.Metrics != nil {
			t.o.Metrics.Retries.WithLabelValues(reason).Inc()
		}
		t.o.Log.Warn("llm request failed; retrying", "reason", reason, "attempt", attempt, "delay", delay, "error", err)
		timer := time.NewTimer(delay)
		select {
		case <-ctx.Done():
			timer.Stop()
			return nil, fmt.Errorf("waiting to retry llm request: %w", ctx.Err())
		case <-timer.C:
		}
	}
}

// attempt sends one attempt and, unless the answer is a stream, reads it whole inside the
// attempt's timeout, so a server that stalls mid-body is retried like one that never answers.
// The returned cancel releases the attempt's context; a stream's body releases it on Close.
func (t *RetryTransport) attempt(ctx context.Context, req *http.Request, body []byte) (*http.Response, func(), error) {
	actx, cancel := ctx, context.CancelFunc(func() {})
	if t.o.AttemptTimeout > 0 {
		actx, cancel = context.WithTimeoutCause(ctx, t.o.AttemptTimeout, errAttemptTimeout)
	}
	r := req.Clone(actx)
	if body != nil {
		r.Body = io.NopCloser(bytes.NewReader(body))
		r.ContentLength = int64(len(body))
		r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	}
	res, err := t.o.Base.RoundTrip(r)
	if err != nil {
		cancel()
		return nil, cancel, t.attemptError(ctx, actx, err)
	}
	if strings.HasPrefix(res.Header.Get("Content-Type"), "text/event-stream") {
		res.Body = &cancelOnClose{ReadCloser: res.Body, cancel: cancel}
		return res, func() {}, nil
	}
	b, err := io.ReadAll(io.LimitReader(res.Body, maxResponseBytes))
	res.Body.Close()
	cancel()
	if err != nil {
		return nil, cancel, t.attemptError(ctx, actx, fmt.Errorf("read llm response: %w", err))
	}
	res.Body = io.NopCloser(bytes.NewReader(b))
	res.ContentLength = int64(len(b))
	return res, cancel, nil
}

// attemptError names a timeout of the attempt as such: the bare context error would look like
// the caller's own deadline.
func (t *RetryTransport) attemptError(ctx, actx context.Context, err error) error {
	if ctx.Err() == nil && errors.Is(context.Cause(actx), errAttemptTimeout) {
		return fmt.Errorf("%w after %s: %w", errAttemptTimeout, t.o.AttemptTimeout, err)
	}
	return err
}

// retryReason says why an attempt is worth repeating, or "" when it is not.
func (t *RetryTransport) retryReason(ctx context.Context, res *http.Response, err error) string {
	if ctx.Err() != nil {
		return "" // the caller gave up or the overall deadline passed
	}
	if err != nil {
		if errors.Is(err, errAttemptTimeout) {
			return "timeout"
		}
		return "connection_error"
	}
	switch c := res.StatusCode; {
	case c == http.StatusTooManyRequests:
		if isQuotaError(res) {
			return "" // exhausted quota does not come back by waiting a few seconds
		}
		return "http_429"
	case c == http.StatusRequestTimeout, c == http.StatusConflict, c >= 500:
		return "http_" + strconv.Itoa(c)
	}
	return ""
}

// isQuotaError reports whether a (buffered) 429 answer says the account is out of quota.
func isQuotaError(res *http.Response) bool {
	b, err := io.ReadAll(res.Body)
	res.Body = io.NopCloser(bytes.NewReader(b))
	return err == nil && bytes.Contains(b, []byte("insufficient_quota"))
}

// count records the result of one attempt.
func (t *RetryTransport) count(res *http.Response, err error) {
	if t.o.Metrics == nil {
		return
	}
	result := "connection_error"
	switch {
	case err != nil && errors.Is(err, errAttemptTimeout):
		result = "timeout"
	case err != nil:
	case res.StatusCode < 300:
		result = "2xx"
	default:
		result = "http_" + strconv.Itoa(res.StatusCode)
	}
	t.o.Metrics.Attempts.WithLabelValues(result).Inc()
}

// backoff is BaseDelay·2^(attempt-1), capped at MaxDelay, with "equal jitter" (between half
// and all of it) so that many workers hit by the same outage do not retry in lockstep.
func (t *RetryTransport) backoff(attempt int) time.Duration {
	d := t.o.BaseDelay << min(attempt-1, 20)
	if d <= 0 || d > t.o.MaxDelay {
		d = t.o.MaxDelay
	}
	half := d / 2
	return half + rand.N(half+1)
}

// timeLeft reports whether, after waiting delay, a whole attempt still fits before the
// request's deadline; retrying into a deadline only burns quota.
func (t *RetryTransport) timeLeft(ctx context.Context, delay time.Duration) bool {
	dl, ok := ctx.Deadline()
	if !ok {
		return true
	}
	need := delay + t.o.AttemptTimeout
	if t.o.AttemptTimeout == 0 {
		need = delay
	}
	return time.Until(dl) >= need
}

// retryAfter reads Retry-After (seconds or an HTTP date) and OpenAI's retry-after-ms.
func retryAfter(res *http.Response, now time.Time) (time.Duration, bool) {
	if res == nil {
		return 0, false
	}
	if ms := res.Header.Get("Retry-After-Ms"); ms != "" {
		if f, err := strconv.ParseFloat(ms, 64); err == nil && f >= 0 {
			return time.Duration(f * float64(time.Millisecond)), true
		}
	}
	v := strings.TrimSpace(res.Header.Get("Retry-After"))
	if v == "" {
		return 0, false
	}
	if f, err := strconv.ParseFloat(v, 64); err == nil && f >= 0 {
		return time.Duration(f * float64(time.Second)), true
	}
	if at, err := http.ParseTime(v); err == nil {
		return max(at.Sub(now), 0), true
	}
	return 0, false
}

// cancelOnClose releases a streamed attempt's context when the body is closed.
type cancelOnClose struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (c *cancelOnClose) Close() error {
	err := c.ReadCloser.Close()
	c.cancel()
	return err
}
