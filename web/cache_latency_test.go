package web_test

import (
	"context"
	"flag"
	"net/url"
	"slices"
	"strconv"
	"testing"
	"time"

	"liftplan/internal/webtest"
)

// latencySamples is how many hits and misses TestCacheHitLatency times; the default keeps
// `go test ./...` quick, `-cache-latency-samples=100 -v` reports medians worth quoting.
var latencySamples = flag.Int("cache-latency-samples", 10, "submissions per kind (hit, miss) that TestCacheHitLatency times")

// TestCacheHitLatency measures submit-to-completed, as a user sees it (HTTP POST until the
// program row is completed), for cache hits and misses with the built-in generator, and holds the
// cache to its promise: a hit is answered well under a second and faster than any generation.
func TestCacheHitLatency(t *testing.T) {
	st := newStack(t, stackOptions{})
	ctx := context.Background()
	b := st.browser()
	b.Signup("stopwatch@example.com")
	b.Get("/programs/new")

	// Completion is awaited on the same notification the product uses, not by polling.
	conn, err := st.Pool.Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, "LISTEN program_status"); err != nil {
		t.Fatal(err)
	}
	completed := func(id int64) bool {
		var done bool
		if err := conn.QueryRow(ctx, "SELECT generation_status = 'completed' FROM training_programs WHERE id = $1", id).Scan(&done); err != nil {
			t.Fatal(err)
		}
		return done
	}
	measure := func(form url.Values) (time.Duration, int64) {
		start := time.Now()
		id := b.Submit(form)
		for !completed(id) {
			wctx, cancel := context.WithTimeout(ctx, 30*time.Second)
			_, err := conn.Conn().WaitForNotification(wctx)
			cancel()
			if err != nil {
				t.Fatalf("waiting for program %d: %v", id, err)
			}
		}
		return time.Since(start), id
	}

	if _, id := measure(webtest.GoodForm()); sourceOf(export(b, id)) != "builtin" {
		t.Fatal("the priming submission was not generated")
	}
	var hits, misses []time.Duration
	for i := range *latencySamples {
		d, id := measure(webtest.GoodForm())
		if src := sourceOf(export(b, id)); src != "cache" {
			t.Fatalf("sample %d: identical answers were not served from the cache (source %s)", i, src)
		}
		hits = append(hits, d)

		miss := webtest.GoodForm()
		miss.Set("notes", "timed miss "+strconv.Itoa(i)) // new answers: a new key
		d, id = measure(miss)
		if src := sourceOf(export(b, id)); src != "builtin" {
			t.Fatalf("sample %d: new answers were not generated (source %s)", i, src)
		}
		misses = append(misses, d)
	}
	hit, miss := median(hits), median(misses)
	t.Logf("submit-to-completed over %d samples each, built-in generator: cache hit median %s (p90 %s), miss median %s (p90 %s)",
		len(hits), hit, percentile(hits, 0.9), miss, percentile(misses, 0.9))
	if hit >= 100*time.Millisecond {
		t.Errorf("cache hit median %s, want well under a second (< 100ms)", hit)
	}
	if hit >= miss {
		t.Errorf("cache hit median %s is not faster than a generation (%s)", hit, miss)
	}
}

func median(ds []time.Duration) time.Duration { return percentile(ds, 0.5) }

// percentile is the nearest-rank percentile p (0–1] of ds.
func percentile(ds []time.Duration, p float64) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	i := int(float64(len(s))*p+0.5) - 1
	return s[max(0, min(i, len(s)-1))]
}
