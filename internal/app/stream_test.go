package app

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"liftplan/internal/llm/llmtest"
	"liftplan/internal/testdb"
	"liftplan/internal/webtest"
)

var daysReady = regexp.MustCompile(`data-days-ready="(\d+)"`)

// TestStreamedDaysReachAnotherProcess: a worker process streams a blueprint from a paced fake
// LLM; the web process's SSE client sees data-days-ready count up, day by day, while the
// program is still processing, and then the completed program. Only PostgreSQL connects the two
// processes (the draft column and LISTEN/NOTIFY).
func TestStreamedDaysReachAnotherProcess(t *testing.T) {
	// About 1,800 tokens for the 4-day form at 400 tokens/s: the days arrive about a second apart.
	fake := llmtest.New(t, llmtest.Options{Pace: llmtest.Pace{TimeToFirstToken: 300 * time.Millisecond, TokensPerSecond: 400}})
	dbURL := testdb.NewURL(t)
	env := map[string]string{"DATABASE_URL": dbURL, "LLM_PROVIDER": "openai", "OPENAI_API_KEY": "k", "OPENAI_BASE_URL": fake.URL}
	web := startServe(t, env, "--role", "web")
	startServe(t, env, "--role", "worker")

	c := webtest.New(t, web.url())
	c.Signup("streamed@example.com")
	c.Get("/programs/new")
	form := webtest.GoodForm()
	id := c.Submit(form)
	days, _ := strconv.Atoi(form.Get("days_per_week"))
	var ready []int // data-days-ready of each processing fragment, in order
	last := ""
	for ev := range c.Stream(id, 60*time.Second) {
		if ev.Name != "status" {
			continue
		}
		last = webtest.StatusOf(ev.Data)
		if m := daysReady.FindStringSubmatch(ev.Data); m != nil && strings.HasPrefix(last, "processing/") {
			n, _ := strconv.Atoi(m[1])
			ready = append(ready, n)
		}
	}
	if last != "completed/store" {
		t.Fatalf("SSE ended at %q, want completed/store", last)
	}
	// The counts only go up, and the days were shown one by one while processing: every count
	// up to the day before the last (the last day ends the answer, so its notification may
	// coincide with the next step's; the hub coalesces wake-ups that close together).
	seen := map[int]bool{}
	for i, n := range ready {
		if i > 0 && n < ready[i-1] {
			t.Errorf("data-days-ready went back: %v", ready)
		}
		seen[n] = true
	}
	for n := 1; n < days; n++ {
		if !seen[n] {
			t.Errorf("processing fragments showed data-days-ready %v; want every count 1..%d before completion", ready, days-1)
			break
		}
	}
	if len(fake.Requests()) != 1 || !fake.Requests()[0].Body.Stream {
		t.Errorf("fake saw %d requests; want one streamed request", len(fake.Requests()))
	}
	conn, err := pgx.Connect(context.Background(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var draftCleared bool
	if err := conn.QueryRow(context.Background(), "SELECT draft IS NULL FROM training_programs WHERE id = $1", id).Scan(&draftCleared); err != nil || !draftCleared {
		t.Errorf("draft cleared at completion = %v (%v), want true", draftCleared, err)
	}
}
