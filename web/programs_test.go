package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"liftplan/web"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"liftplan/internal/science"
	"liftplan/internal/webtest"
)

type exported struct {
	ID      int64            `json:"id"`
	Status  string           `json:"status"`
	Step    string           `json:"step"`
	Error   *string          `json:"error"`
	Source  *string          `json:"source"`
	Attempt int              `json:"attempt"`
	Input   science.Input    `json:"input"`
	Program *science.Program `json:"program"`
}

func export(b *browser, id int64) exported {
	b.T.Helper()
	r := b.Get("/programs/" + strconv.FormatInt(id, 10) + "/export.json")
	if r.Status != http.StatusOK {
		b.T.Fatalf("export = %d", r.Status)
	}
	var e exported
	if err := json.Unmarshal([]byte(r.Body), &e); err != nil {
		b.T.Fatalf("export JSON: %v", err)
	}
	return e
}

// waitStatus polls the export until the program reaches status.
func waitStatus(b *browser, id int64, status string) exported {
	b.T.Helper()
	var e exported
	waitFor(b.T, 30*time.Second, "program "+status, func() bool {
		e = export(b, id)
		return e.Status == status
	})
	return e
}

func TestSubmitGeneratesValidProgram(t *testing.T) {
	st := newStack(t, stackOptions{})
	b := st.browser()
	b.Signup("lifter@example.com")
	b.Get("/programs/new")
	id := b.Submit(webtest.GoodForm())
	e := waitStatus(b, id, "completed")
	if e.Program == nil || e.Source == nil || *e.Source != "builtin" || e.Attempt != 1 || e.Step != "store" || e.Error != nil {
		t.Fatalf("export = %+v, want a builtin program after one attempt", e)
	}
	if e.Input.HasPaidAccess || e.Input.DaysPerWeek != 4 || e.Input.Notes != "mornings only" {
		t.Errorf("frozen input = %+v", e.Input)
	}
	var linked bool
	if err := st.Pool.QueryRow(context.Background(), `SELECT p.river_job_id = j.id FROM training_programs p
		JOIN river_job j ON (j.args->>'program_id')::bigint = p.id WHERE p.id = $1`, id).Scan(&linked); err != nil || !linked {
		t.Errorf("the worker did not record its River job on the program (%v)", err)
	}
	a, err := science.Analyze(e.Input)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range science.Validate(a, *e.Program) {
		if f.Severity == science.SeverityError {
			t.Errorf("stored program breaks %s: %s", f.Rule, f.Message)
		}
	}
	if len(e.Program.Weeks) != 4 {
		t.Errorf("free tier got %d weeks, want 4", len(e.Program.Weeks))
	}
	page := b.Get("/programs/" + strconv.FormatInt(id, 10))
	for _, want := range []string{`data-status="completed"`, `class="volume-chart"`, ">Deload<", "Week 4 · Deload", "Regenerate"} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("program page lacks %q", want)
		}
	}
	if r := b.Get("/programs"); !strings.Contains(r.Body, "/programs/"+strconv.FormatInt(id, 10)) {
		t.Error("history does not list the program")
	}
	metricsText := b.Get("/metrics").Body
	for _, want := range []string{`liftplan_programs{status="completed"} 1`, `liftplan_programs{status="pending"} 0`, "liftplan_oldest_pending_program_age_seconds 0", "liftplan_database_scrape_success 1"} {
		if !strings.Contains(metricsText, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	// The form is pre-filled with the last answers.
	form := b.Get("/programs/new").Body
	for _, want := range []string{`value="intermediate" checked`, `value="pullup_bar" checked`, "mornings only"} {
		if !strings.Contains(form, want) {
			t.Errorf("form not pre-filled: lacks %q", want)
		}
	}
}

func TestSSESequence(t *testing.T) {
	gen := newGated()
	st := newStack(t, stackOptions{generator: gen})
	b := st.browser()
	b.Signup("watcher@example.com")
	b.Get("/programs/new")
	id := b.Submit(webtest.GoodForm())
	stream := b.Stream(id, 30*time.Second)
	var seen []string
	var last string
	for ev := range stream {
		last = ev.Name
		if ev.Name != "status" {
			continue
		}
		seen = append(seen, webtest.StatusOf(ev.Data))
		if seen[len(seen)-1] == "processing/generate" {
			close(gen.release) // the page has shown the worker inside the generate step; let it finish
		}
	}
	if last != "done" {
		t.Fatalf("stream did not end with done: %v", seen)
	}
	// Steps must appear in pipeline order; coalesced notifications may skip some.
	order := []string{"pending/queued", "processing/load", "processing/analyze", "processing/generate", "processing/validate", "processing/store", "completed/store"}
	pos := -1
	for _, s := range seen {
		i := indexOf(order, s)
		if i <= pos {
			t.Fatalf("status sequence out of order: %v", seen)
		}
		pos = i
	}
	if !contains(seen, "processing/generate") || seen[len(seen)-1] != "completed/store" {
		t.Errorf("sequence %v: want processing/generate seen and completed last", seen)
	}
	if seen[0] != "pending/queued" && !strings.HasPrefix(seen[0], "processing/") {
		t.Errorf("first status %q", seen[0])
	}
}

func TestReplayAndDoubleSubmitMakeOneProgram(t *testing.T) {
	gen := newGated() // keep the first program in flight so the second submit must join it
	st := newStack(t, stackOptions{generator: gen})
	b := st.browser()
	b.Signup("clicker@example.com")
	page := b.Get("/programs/new").Body
	key := regexp.MustCompile(`name="idempotency_key" value="([^"]+)"`).FindStringSubmatch(page)[1]
	form := webtest.GoodForm()
	form.Set("idempotency_key", key)
	first := b.Submit(form)
	replay := b.Submit(form)
	if replay != first {
		t.Errorf("replayed form made program %d, want %d", replay, first)
	}
	// A second tab: same answers, its own key, while the first is in flight → joins it.
	form2 := webtest.GoodForm()
	form2.Set("idempotency_key", "another-tab-key")
	if second := b.Submit(form2); second != first {
		t.Errorf("identical in-flight submit made program %d, want to join %d", second, first)
	}
	close(gen.release)
	waitStatus(b, first, "completed")
	// After completion the replay still returns the same program (idempotency), never a new one.
	if again := b.Submit(form); again != first {
		t.Errorf("replay after completion made %d, want %d", again, first)
	}
	var programs, jobs int
	ctx := context.Background()
	_ = st.Pool.QueryRow(ctx, "SELECT count(*) FROM training_programs").Scan(&programs)
	_ = st.Pool.QueryRow(ctx, "SELECT count(*) FROM river_job WHERE kind = 'generate_program'").Scan(&jobs)
	if programs != 1 || jobs != 1 {
		t.Errorf("programs = %d, jobs = %d; want 1 and 1", programs, jobs)
	}
}

func TestFailedGenerationAndTryAgain(t *testing.T) {
	gen := &flakyGenerator{failures: 2}
	st := newStack(t, stackOptions{generator: gen, maxAttempts: 2})
	b := st.browser()
	b.Signup("unlucky@example.com")
	b.Get("/programs/new")
	id := b.Submit(webtest.GoodForm())
	e := waitStatus(b, id, "failed")
	if e.Attempt != 2 || e.Error == nil || !strings.Contains(*e.Error, "Try again") {
		t.Fatalf("failed export = attempt %d, error %v; want attempt 2 with a readable message", e.Attempt, e.Error)
	}
	var detail string
	_ = st.Pool.QueryRow(context.Background(), "SELECT error_detail FROM training_programs WHERE id = $1", id).Scan(&detail)
	if !strings.Contains(detail, "upstream 503") {
		t.Errorf("admin detail %q does not keep the cause", detail)
	}
	page := b.Get("/programs/" + strconv.FormatInt(id, 10))
	if !strings.Contains(page.Body, `id="retry"`) {
		t.Fatal("failed program page has no Try again button")
	}
	if r := b.Post("/programs/"+strconv.FormatInt(id, 10)+"/retry", nil, true); r.Status != http.StatusSeeOther {
		t.Fatalf("retry = %d", r.Status)
	}
	e = waitStatus(b, id, "completed")
	if e.Program == nil || gen.calls.Load() != 3 {
		t.Errorf("after Try again: program %v, generator calls %d (want 3)", e.Program != nil, gen.calls.Load())
	}
	if r := b.Post("/programs/"+strconv.FormatInt(id, 10)+"/retry", nil, true); r.Status != http.StatusConflict {
		t.Errorf("retry of a completed program = %d, want 409", r.Status)
	}
}

func TestPermanentFailureIsImmediate(t *testing.T) {
	gen := &flakyGenerator{failures: 1, permanent: true}
	st := newStack(t, stackOptions{generator: gen, maxAttempts: 3})
	b := st.browser()
	b.Signup("denied@example.com")
	b.Get("/programs/new")
	id := b.Submit(webtest.GoodForm())
	e := waitStatus(b, id, "failed")
	if e.Attempt != 1 || gen.calls.Load() != 1 {
		t.Errorf("permanent failure: attempt %d, calls %d; want 1 and 1 (no retry)", e.Attempt, gen.calls.Load())
	}
}

func TestInvalidFormStoresNothing(t *testing.T) {
	st := newStack(t, stackOptions{})
	b := st.browser()
	b.Signup("typo@example.com")
	b.Get("/programs/new")
	form := webtest.GoodForm()
	form.Set("days_per_week", "9")
	form["weak_points"] = []string{"chest", "back", "quads"}
	form.Set("goal", "bulk")
	r := b.Post("/programs", form, true)
	if r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("invalid form = %d, want 422", r.Status)
	}
	for _, field := range []string{"days_per_week", "weak_points", "goal"} {
		if !strings.Contains(r.Body, `id="`+field+`-error"`) {
			t.Errorf("422 page does not name %s", field)
		}
	}
	var programs, answers int
	_ = st.Pool.QueryRow(context.Background(), "SELECT count(*) FROM training_programs").Scan(&programs)
	_ = st.Pool.QueryRow(context.Background(), "SELECT count(*) FROM onboarding_responses").Scan(&answers)
	if programs != 0 || answers != 0 {
		t.Errorf("invalid form stored %d programs and %d answers", programs, answers)
	}
}

func TestProgramAccess(t *testing.T) {
	st := newStack(t, stackOptions{})
	owner := st.browser()
	owner.Signup("owner@example.com")
	owner.Get("/programs/new")
	id := owner.Submit(webtest.GoodForm())
	waitStatus(owner, id, "completed")
	other := st.browser()
	other.Signup("other@example.com")
	p := "/programs/" + strconv.FormatInt(id, 10)
	for _, path := range []string{p, p + "/status", p + "/events", p + "/export.json"} {
		if r := other.Get(path); r.Status != http.StatusNotFound {
			t.Errorf("another user: GET %s = %d, want 404", path, r.Status)
		}
	}
	for _, path := range []string{p + "/retry", p + "/regenerate"} {
		if r := other.Post(path, nil, true); r.Status != http.StatusNotFound {
			t.Errorf("another user: POST %s = %d, want 404", path, r.Status)
		}
	}
	anon := st.browser()
	for _, path := range []string{p + "/status", p + "/events", p + "/export.json"} {
		if r := anon.Get(path); r.Status != http.StatusUnauthorized {
			t.Errorf("anonymous: GET %s = %d, want 401", path, r.Status)
		}
	}
	if r := anon.Get(p); r.Status != http.StatusSeeOther {
		t.Errorf("anonymous program page = %d, want 303", r.Status)
	}
	if r := owner.Get(p + "/status"); r.Status != web.StatusPollingDone || !strings.Contains(r.Body, `data-status="completed"`) {
		t.Errorf("poll of a finished program = %d, want 286", r.Status)
	}
	if r := owner.Get("/programs/abc"); r.Status != http.StatusNotFound {
		t.Errorf("non-numeric id = %d, want 404", r.Status)
	}
	// Regenerate makes a new program from the same answers.
	r := owner.Post(p+"/regenerate", nil, true)
	newID := webtest.ProgramID(r.Header.Get("Location"))
	if r.Status != http.StatusSeeOther || newID == 0 || newID == id {
		t.Fatalf("regenerate = %d %q, want 303 to a new program", r.Status, r.Header.Get("Location"))
	}
}

func indexOf(list []string, s string) int {
	for i, v := range list {
		if v == s {
			return i
		}
	}
	return -1
}

func contains(list []string, s string) bool { return indexOf(list, s) >= 0 }

// TestSubmitBurst: many simultaneous submissions on a small pool (the test pool has pgx's
// default of max(4, CPUs) connections) all answer. Each submit's cache probe needs a second
// connection; unbounded, a burst once left every connection waiting for a probe.
func TestSubmitBurst(t *testing.T) {
	st := newStack(t, stackOptions{generator: newGated()})
	b := st.browser()
	b.Signup("burst@example.com")
	b.Get("/programs/new")
	var wg sync.WaitGroup
	errs := make(chan string, 50)
	for i := range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			f := webtest.GoodForm()
			f.Set("notes", "burst "+strconv.Itoa(i))
			req, _ := http.NewRequest(http.MethodPost, st.URL+"/programs", strings.NewReader(f.Encode()+"&_csrf="+b.Token))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
			defer cancel()
			res, err := b.HTTP.Do(req.WithContext(ctx))
			if err != nil {
				errs <- err.Error()
				return
			}
			res.Body.Close()
			if res.StatusCode != http.StatusSeeOther {
				errs <- fmt.Sprintf("status %d", res.StatusCode)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Errorf("burst submit: %s", e)
	}
}
