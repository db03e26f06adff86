package llm

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// statusServer answers every request with status and body, counting requests.
func statusServer(t *testing.T, status int, body string) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		_, _ = io.Copy(io.Discard, r.Body)
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

func post(t *testing.T, ctx context.Context, rt http.RoundTripper, url string) (*http.Response, error) {
	t.Helper()
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, url, strings.NewReader(`{"model":"m"}`))
	return (&http.Client{Transport: rt}).Do(req)
}

func TestTransportRetriesOnlyWhatCanSucceed(t *testing.T) {
	tests := []struct {
		status   int
		body     string
		attempts int64
	}{
		{http.StatusOK, `{}`, 1},
		{http.StatusRequestTimeout, `{}`, 3},
		{http.StatusConflict, `{}`, 3},
		{http.StatusTooManyRequests, `{"error":{"type":"requests","code":"rate_limit_exceeded"}}`, 3},
		{http.StatusTooManyRequests, `{"error":{"type":"insufficient_quota","code":"insufficient_quota"}}`, 1},
		{http.StatusInternalServerError, `{}`, 3},
		{http.StatusBadGateway, `<html>bad gateway</html>`, 3},
		{http.StatusServiceUnavailable, `{}`, 3},
		{http.StatusBadRequest, `{}`, 1},
		{http.StatusUnauthorized, `{}`, 1},
		{http.StatusNotFound, `{}`, 1},
		{http.StatusUnprocessableEntity, `{}`, 1},
	}
	for _, tt := range tests {
		t.Run(http.StatusText(tt.status)+" "+tt.body, func(t *testing.T) {
			srv, n := statusServer(t, tt.status, tt.body)
			m, _ := NewMetrics(nil)
			rt := NewRetryTransport(TransportOptions{MaxRetries: 2, BaseDelay: time.Millisecond, MaxDelay: 10 * time.Millisecond, Metrics: m})
			ctx, counter := withAttemptCounter(context.Background())
			res, err := post(t, ctx, rt, srv.URL)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if got := n.Load(); got != tt.attempts || counter.Load() != tt.attempts {
				t.Errorf("server saw %d attempts, counter %d; want %d", got, counter.Load(), tt.attempts)
			}
			if res.StatusCode != tt.status || string(body) != tt.body {
				t.Errorf("final answer = %d %q, want %d %q (the last answer, body intact)", res.StatusCode, body, tt.status, tt.body)
			}
		})
	}
}

func TestTransportRetriesConnectionErrors(t *testing.T) {
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			// Drop the connection without an answer, as a crashing upstream does.
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				conn.Close()
			}
			return
		}
		_, _ = io.WriteString(w, "ok")
	}))
	t.Cleanup(srv.Close)
	rt := NewRetryTransport(TransportOptions{MaxRetries: 2, BaseDelay: time.Millisecond})
	res, err := post(t, context.Background(), rt, srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if n.Load() != 2 || res.StatusCode != http.StatusOK {
		t.Errorf("attempts = %d, status %d; want 2 and 200", n.Load(), res.StatusCode)
	}
}

func TestTransportStopsBeforeTheDeadline(t *testing.T) {
	srv, n := statusServer(t, http.StatusServiceUnavailable, `{}`)
	rt := NewRetryTransport(TransportOptions{MaxRetries: 1000, AttemptTimeout: 200 * time.Millisecond, BaseDelay: 20 * time.Millisecond, MaxDelay: 20 * time.Millisecond})
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	start := time.Now()
	res, err := post(t, ctx, rt, srv.URL)
	if err != nil {
		t.Fatalf("err = %v, want the last 503 answer", err)
	}
	res.Body.Close()
	elapsed := time.Since(start)
	// Retries continue while a whole attempt still fits: about 300 ms of 20 ms waits.
	if res.StatusCode != http.StatusServiceUnavailable || n.Load() < 2 || elapsed > 400*time.Millisecond {
		t.Errorf("status %d after %d attempts in %s; want 503, several attempts, and a stop while 200 ms remained", res.StatusCode, n.Load(), elapsed)
	}
}

func TestTransportAttemptTimeout(t *testing.T) {
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body) // the server notices a closed connection only after the body
		if n.Add(1) == 1 {
			<-r.Context().Done() // hang until the client gives up on the attempt
			return
		}
		_, _ = io.WriteString(w, "ok")
	}))
	t.Cleanup(srv.Close)
	rt := NewRetryTransport(TransportOptions{MaxRetries: 1, AttemptTimeout: 100 * time.Millisecond, BaseDelay: time.Millisecond})
	res, err := post(t, context.Background(), rt, srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if n.Load() != 2 || string(b) != "ok" {
		t.Errorf("attempts = %d, body %q; want 2 and ok", n.Load(), b)
	}
}

func TestRetryAfterParsing(t *testing.T) {
	now := time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		header, value string
		want          time.Duration
		ok            bool
	}{
		{"Retry-After", "2", 2 * time.Second, true},
		{"Retry-After", "0.5", 500 * time.Millisecond, true},
		{"Retry-After", now.Add(3 * time.Second).Format(http.TimeFormat), 3 * time.Second, true},
		{"Retry-After-Ms", "250", 250 * time.Millisecond, true},
		{"Retry-After", "soon", 0, false},
		{"X-Other", "1", 0, false},
	}
	for _, tt := range tests {
		res := &http.Response{Header: http.Header{}}
		res.Header.Set(tt.header, tt.value)
		got, ok := retryAfter(res, now)
		if got != tt.want || ok != tt.ok {
			t.Errorf("%s: %s = %s, %v; want %s, %v", tt.header, tt.value, got, ok, tt.want, tt.ok)
		}
	}
}
