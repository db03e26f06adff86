package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"encoding/json"

	"liftplan/internal/auth"
	"liftplan/internal/llm/llmtest"
	"liftplan/internal/science"
	"liftplan/internal/webtest"
)

// trainee signs a lifter up, generates a program and waits for it: the real submit path.
func trainee(t *testing.T, st *stack, email string) (*browser, int64, science.Program) {
	t.Helper()
	b := st.browser()
	b.Signup(email)
	b.Get("/programs/new")
	id := b.Submit(webtest.GoodForm())
	e := waitStatus(b, id, "completed")
	return b, id, *e.Program
}

// setValues is one set form as the Today page posts it.
func setValues(week, day int, ex science.ProgramExercise, setNo int, kg, reps, key string) url.Values {
	return url.Values{"week": {strconv.Itoa(week)}, "day": {strconv.Itoa(day)}, "exercise_id": {ex.ExerciseID},
		"set_no": {strconv.Itoa(setNo)}, "weight_kg": {kg}, "reps": {reps}, "rir": {"2"}, "client_key": {key}}
}

func logPath(id int64, rest string) string { return "/programs/" + strconv.FormatInt(id, 10) + rest }

// logWholeSession logs every planned set of a session at the top of its range and completes it.
func logWholeSession(t *testing.T, b *browser, id int64, p science.Program, week, day int, kg string, fb url.Values) {
	t.Helper()
	b.Get(logPath(id, fmt.Sprintf("/today?week=%d&day=%d", week, day)))
	for _, ex := range p.Weeks[week-1].Days[day-1].Exercises {
		for set := 1; set <= ex.Sets; set++ {
			r := b.Post(logPath(id, "/log"), setValues(week, day, ex, set, kg, strconv.Itoa(ex.RepMax), fmt.Sprintf("w%dd%d-%s-%d", week, day, ex.ExerciseID, set)), true)
			if r.Status != http.StatusSeeOther {
				t.Fatalf("log %s set %d: %d %.300s", ex.ExerciseID, set, r.Status, r.Body)
			}
		}
	}
	if fb == nil {
		fb = url.Values{"soreness": {"mild"}, "pump": {"good"}, "joint_pain": {"none"}}
	}
	r := b.Post(logPath(id, fmt.Sprintf("/sessions/%d/%d/complete", week, day)), fb, true)
	if r.Status != http.StatusSeeOther || r.Header.Get("Location") != logPath(id, "/today") {
		t.Fatalf("complete week %d day %d: %d %q", week, day, r.Status, r.Header.Get("Location"))
	}
}

// replayConcurrently posts the same form n times at once (a double tap, a flaky connection's
// retries) and returns the statuses.
func replayConcurrently(t *testing.T, b *browser, path string, v url.Values, n int) []int {
	t.Helper()
	var wg sync.WaitGroup
	statuses := make(chan int, n)
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			form := url.Values{"_csrf": {b.Token}}
			for k, vals := range v {
				form[k] = vals
			}
			req, _ := http.NewRequest(http.MethodPost, b.BaseURL+path, strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			res, err := b.HTTP.Do(req)
			if err != nil {
				t.Error(err)
				return
			}
			res.Body.Close()
			statuses <- res.StatusCode
		}()
	}
	wg.Wait()
	close(statuses)
	var out []int
	for s := range statuses {
		out = append(out, s)
	}
	return out
}

// postHTMX posts a form the way htmx does: a fragment request with the CSRF header.
func postHTMX(b *browser, path string, v url.Values) response {
	req, _ := http.NewRequest(http.MethodPost, b.BaseURL+path, strings.NewReader(v.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("HX-Request", "true")
	req.Header.Set("X-CSRF-Token", b.Token)
	return b.Do(req)
}

func TestTrainingLogOverHTTP(t *testing.T) {
	st := newStack(t, stackOptions{})
	b, id, p := trainee(t, st, "lifter@example.com")
	ex := p.Weeks[0].Days[0].Exercises[0]

	r := b.Get(logPath(id, "/today"))
	if r.Status != http.StatusOK || !strings.Contains(r.Body, `data-exercise-id="`+ex.ExerciseID+`"`) || !strings.Contains(r.Body, `data-suggested-kg=""`) {
		t.Fatalf("today = %d, want the first exercise with an empty suggestion; %.500s", r.Status, r.Body)
	}
	if !strings.Contains(r.Body, "Week 1, day 1") || strings.Count(r.Body, `name="client_key"`) < ex.Sets {
		t.Fatalf("today does not show week 1 day 1 with a form per set")
	}

	// One set, then the same set replayed concurrently (a double tap, a retry): one row.
	v := setValues(1, 1, ex, 1, "60", strconv.Itoa(ex.RepMax), "replayed-key-0001")
	r = b.Post(logPath(id, "/log"), v, true)
	if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), logPath(id, "/today?week=1&day=1")) {
		t.Fatalf("log = %d %q, want 303 to today", r.Status, r.Header.Get("Location"))
	}
	for _, status := range replayConcurrently(t, b, logPath(id, "/log"), v, 12) {
		if status != http.StatusSeeOther {
			t.Errorf("replay answered %d, want 303", status)
		}
	}
	if n := st.count("SELECT count(*) FROM workout_sets"); n != 1 {
		t.Fatalf("%d rows after 13 posts of one client_key, want 1", n)
	}

	// Bad values: 422 naming the field, nothing written.
	for field, value := range map[string]string{"weight_kg": "1000.01", "reps": "101", "rir": "11", "week": "99", "day": "7", "exercise_id": "moon_press"} {
		bad := setValues(1, 1, ex, 2, "60", "8", "bad-value-key-"+field)
		bad.Set(field, value)
		r := b.Post(logPath(id, "/log"), bad, true)
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `data-field="`+field+`"`) {
			t.Errorf("%s=%s: %d, want 422 naming %s; %.300s", field, value, r.Status, field, r.Body)
		}
	}
	if n := st.count("SELECT count(*) FROM workout_sets"); n != 1 {
		t.Fatalf("refused sets wrote rows: %d", n)
	}

	// htmx gets the row back, logged, with the next set's fresh key.
	hr := postHTMX(b, logPath(id, "/log"), setValues(1, 1, ex, 2, "60", "9", "htmx-key-00001"))
	if hr.Status != http.StatusOK || !strings.Contains(hr.Body, `data-logged="true"`) || strings.Contains(hr.Body, "<html") {
		t.Fatalf("htmx log = %d, want the logged row fragment; %.300s", hr.Status, hr.Body)
	}

	// Complete: Today moves to the next session; History and CSV show the sets.
	r = b.Post(logPath(id, "/sessions/1/1/complete"), url.Values{"soreness": {"mild"}, "pump": {"good"}, "joint_pain": {"some"}, "painful_exercise": {ex.ExerciseID}}, true)
	if r.Status != http.StatusSeeOther {
		t.Fatalf("complete = %d %.300s", r.Status, r.Body)
	}
	if r := b.Post(logPath(id, "/sessions/1/1/complete"), url.Values{"soreness": {"sore"}, "pump": {"good"}, "joint_pain": {"none"}}, true); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `data-field="soreness"`) {
		t.Errorf("bad feedback = %d, want 422 naming soreness", r.Status)
	}
	if r := b.Get(logPath(id, "/today")); !strings.Contains(r.Body, "Week 1, day 2") {
		t.Errorf("after completing day 1, today is not week 1 day 2")
	}
	r = b.Get(logPath(id, "/log"))
	if r.Status != http.StatusOK || !strings.Contains(r.Body, `class="card e1rm-chart" data-exercise-id="`+ex.ExerciseID+`"`) || !strings.Contains(r.Body, "<polyline") {
		t.Errorf("history = %d without the e1RM chart of %s", r.Status, ex.ExerciseID)
	}
	r = b.Get(logPath(id, "/log.csv"))
	lines := strings.Split(strings.TrimSpace(r.Body), "\n")
	if r.Status != http.StatusOK || lines[0] != "date,week,day,exercise_id,exercise,set,weight_kg,reps,rir" || len(lines) != 3 ||
		!strings.Contains(lines[1], ",1,1,"+ex.ExerciseID+",") {
		t.Errorf("log.csv = %d:\n%s", r.Status, r.Body)
	}
}

func TestTrainingAuthorization(t *testing.T) {
	st := newStack(t, stackOptions{})
	st.user(t, "coach@example.com", auth.RoleCoach, "")
	st.user(t, "client@example.com", auth.RoleUser, "coach@example.com")
	owner := st.browser()
	owner.Login("client@example.com", webtest.Password)
	owner.Get("/programs/new")
	id := owner.Submit(webtest.GoodForm())
	p := *waitStatus(owner, id, "completed").Program
	ex := p.Weeks[0].Days[0].Exercises[0]
	if r := owner.Post(logPath(id, "/log"), setValues(1, 1, ex, 1, "50", "8", "owner-key-00001"), true); r.Status != http.StatusSeeOther {
		t.Fatalf("owner logs: %d", r.Status)
	}

	coach := st.browser()
	coach.Login("coach@example.com", webtest.Password)
	stranger := st.browser()
	stranger.Signup("stranger@example.com")
	anon := st.browser()

	reads := []string{"/today", "/today?week=1&day=1", "/log", "/log.csv"}
	for _, path := range reads {
		if r := coach.Get(logPath(id, path)); r.Status != http.StatusOK {
			t.Errorf("coach GET %s = %d, want 200", path, r.Status)
		}
		if r := stranger.Get(logPath(id, path)); r.Status != http.StatusNotFound {
			t.Errorf("stranger GET %s = %d, want 404", path, r.Status)
		}
		if r := anon.Get(logPath(id, path)); r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/login" {
			t.Errorf("anonymous GET %s = %d %q, want 303 /login", path, r.Status, r.Header.Get("Location"))
		}
	}
	if r := coach.Get(logPath(id, "/today")); strings.Contains(r.Body, `name="client_key"`) || !strings.Contains(r.Body, "read-only") {
		t.Error("the coach's Today has set forms; it should be read-only")
	}
	writes := []struct {
		path string
		form url.Values
	}{
		{"/log", setValues(1, 1, ex, 2, "50", "8", "intruder-key-001")},
		{"/sessions/1/1/complete", url.Values{"soreness": {"none"}, "pump": {"good"}, "joint_pain": {"none"}}},
		{"/next-block", nil},
	}
	for _, w := range writes {
		if r := coach.Post(logPath(id, w.path), w.form, true); r.Status != http.StatusForbidden {
			t.Errorf("coach POST %s = %d, want 403", w.path, r.Status)
		}
		if r := stranger.Post(logPath(id, w.path), w.form, true); r.Status != http.StatusNotFound {
			t.Errorf("stranger POST %s = %d, want 404", w.path, r.Status)
		}
		if r := owner.Post(logPath(id, w.path), w.form, false); r.Status != http.StatusForbidden {
			t.Errorf("owner POST %s without CSRF = %d, want 403", w.path, r.Status)
		}
	}
	if n := st.count("SELECT count(*) FROM workout_sets"); n != 1 {
		t.Errorf("%d sets, want only the owner's 1", n)
	}
	if n := st.count("SELECT count(*) FROM session_logs") + st.count("SELECT count(*) FROM training_programs WHERE previous_program_id IS NOT NULL"); n != 0 {
		t.Errorf("refused writes left %d rows", n)
	}
	// A stranger coach cannot start a next block for someone else's client.
	st.user(t, "coach2@example.com", auth.RoleCoach, "")
	other := st.browser()
	other.Login("coach2@example.com", webtest.Password)
	clientID := st.count("SELECT id FROM users WHERE email = 'client@example.com'")
	if r := other.Post(fmt.Sprintf("/coach/clients/%d/next-block", clientID), nil, true); r.Status != http.StatusNotFound {
		t.Errorf("another coach's next block = %d, want 404", r.Status)
	}
	if r := stranger.Post("/coach/next-blocks", nil, true); r.Status != http.StatusForbidden {
		t.Errorf("a user on /coach/next-blocks = %d, want 403", r.Status)
	}
}

func TestNextBlockFromLog(t *testing.T) {
	st := newStack(t, stackOptions{})
	b, id, p := trainee(t, st, "lifter@example.com")
	for day := 1; day <= len(p.Weeks[0].Days); day++ {
		logWholeSession(t, b, id, p, 1, day, "40", nil)
	}
	r := b.Post(logPath(id, "/next-block"), nil, true)
	next := webtest.ProgramID(r.Header.Get("Location"))
	if r.Status != http.StatusSeeOther || next == 0 || next == id {
		t.Fatalf("next-block = %d %q", r.Status, r.Header.Get("Location"))
	}
	e := waitStatus(b, next, "completed")
	if e.Input.PreviousProgramID != id || e.Input.LogSummary == nil || e.Input.LogSummary.SessionsLogged != len(p.Weeks[0].Days) {
		t.Fatalf("next block input = %+v", e.Input)
	}
	if prev := st.count("SELECT coalesce(previous_program_id, 0) FROM training_programs WHERE id = $1", next); prev != int(id) {
		t.Errorf("previous_program_id = %d, want %d", prev, id)
	}
	if !strings.Contains(e.Program.Science.Rationale, "This block follows your last one") {
		t.Errorf("rationale does not say what changed: %s", e.Program.Science.Rationale)
	}
	loads := 0
	for _, ex := range e.Program.Weeks[0].Days[0].Exercises {
		if ex.StartKg != nil {
			loads++
		}
	}
	if loads == 0 {
		t.Error("no start_kg in the next block's first session")
	}
	// Same log: the cache answers. A new log: a new key, a new generation.
	again := webtest.ProgramID(b.Post(logPath(id, "/next-block"), nil, true).Header.Get("Location"))
	if e := waitStatus(b, again, "completed"); e.Source == nil || *e.Source != "cache" {
		t.Errorf("the same log again: source %v, want cache", e.Source)
	}
	logWholeSession(t, b, id, p, 2, 1, "42.5", nil)
	third := webtest.ProgramID(b.Post(logPath(id, "/next-block"), nil, true).Header.Get("Location"))
	if e := waitStatus(b, third, "completed"); e.Source == nil || *e.Source == "cache" {
		t.Errorf("after a new session was logged the next block came from the cache")
	}
	if n := st.count("SELECT count(DISTINCT cache_key) FROM training_programs WHERE id IN ($1, $2, $3)", next, again, third); n != 2 {
		t.Errorf("%d distinct cache keys for (log A, log A, log B), want 2", n)
	}
}

// completedProgramFor stores a built-in program as a finished generation would (test setup only).
func completedProgramFor(t *testing.T, st *stack, userID int64, in science.Input) int64 {
	t.Helper()
	a, err := science.Analyze(in)
	if err != nil {
		t.Fatal(err)
	}
	pj, _ := jsonMarshal(science.Generate(a))
	ij, _ := jsonMarshal(in)
	var id int64
	if err := st.Pool.QueryRow(context.Background(), `INSERT INTO training_programs (user_id, generation_status, progress_step, input, cache_key, program, source, completed_at)
		VALUES ($1, 'completed', 'store', $2, $3, $4, 'builtin', now()) RETURNING id`, userID, ij, fmt.Sprintf("seed:%d", userID), pj).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

func TestCoachNextBlocksBatch(t *testing.T) {
	st := newStack(t, stackOptions{})
	st.user(t, "coach@example.com", auth.RoleCoach, "")
	const clients = 20
	in := science.Input{Goal: science.GoalHypertrophy, Experience: science.LevelIntermediate, DaysPerWeek: 3, SessionMinutes: 60,
		Equipment: []string{"barbell", "dumbbells", "bench"}}
	var prev []int64
	for i := range clients {
		u := st.user(t, fmt.Sprintf("client%02d@example.com", i), auth.RoleUser, "coach@example.com")
		prev = append(prev, completedProgramFor(t, st, u.ID, in))
	}
	// One client has logged a session, so their summary differs.
	_, err := st.Pool.Exec(context.Background(), `INSERT INTO session_logs (program_id, week, day, soreness, pump, joint_pain) VALUES ($1, 1, 1, 'none', 'great', 'some')`, prev[0])
	if err != nil {
		t.Fatal(err)
	}
	coach := st.browser()
	coach.Login("coach@example.com", webtest.Password)
	page := coach.Get("/coach")
	if !strings.Contains(page.Body, `id="next-blocks"`) || !strings.Contains(page.Body, `data-logged="1"`) {
		t.Fatalf("coach page lacks the batch button or adherence")
	}
	jobsBefore := st.count("SELECT count(*) FROM river_job WHERE kind = 'generate_program'")
	r := coach.Post("/coach/next-blocks", nil, true)
	if r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/coach" {
		t.Fatalf("batch = %d %q", r.Status, r.Header.Get("Location"))
	}
	if page := coach.Get("/coach"); !strings.Contains(page.Body, fmt.Sprintf("Started %d next blocks.", clients)) {
		t.Errorf("coach page does not say how many started")
	}
	if n := st.count("SELECT count(*) FROM river_job WHERE kind = 'generate_program'") - jobsBefore; n != clients {
		t.Fatalf("%d jobs inserted, want %d", n, clients)
	}
	// now() is the transaction's start time: one value means one transaction.
	if n := st.count("SELECT count(DISTINCT created_at) FROM training_programs WHERE previous_program_id IS NOT NULL"); n != 1 {
		t.Errorf("the batch's programs were created in %d transactions, want 1", n)
	}
	waitFor(t, 60*time.Second, "every next block completed", func() bool {
		return st.count("SELECT count(*) FROM training_programs WHERE previous_program_id IS NOT NULL AND generation_status = 'completed'") == clients
	})
	if n := st.count("SELECT count(*) FROM training_programs WHERE previous_program_id = ANY($1)", prev); n != clients {
		t.Errorf("%d next blocks link their previous block, want %d", n, clients)
	}
	// One client's block after that: it follows the block the batch made.
	first := st.count("SELECT user_id FROM training_programs WHERE id = $1", prev[0])
	followed := st.count("SELECT id FROM training_programs WHERE previous_program_id = $1", prev[0])
	if page := coach.Get(fmt.Sprintf("/coach/clients/%d", first)); !strings.Contains(page.Body, `id="client-next-block"`) || !strings.Contains(page.Body, `class="adherence"`) {
		t.Fatalf("the client page lacks adherence or the next-block button")
	}
	r = coach.Post(fmt.Sprintf("/coach/clients/%d/next-block", first), nil, true)
	if r.Status != http.StatusSeeOther || !strings.Contains(coach.Get("/coach").Body, "Started 1 next block.") {
		t.Fatalf("one client's next block = %d", r.Status)
	}
	if n := st.count("SELECT count(*) FROM training_programs WHERE previous_program_id = $1", followed); n != 1 {
		t.Errorf("%d blocks follow the batch's block, want 1", n)
	}
}

func jsonMarshal(v any) ([]byte, error) { return json.Marshal(v) }

// TestNextBlockThroughLLM: the LLM path builds the next block from the same analysis, so it
// swaps the exercise that hurt, and the engine sets start loads and says what changed.
func TestNextBlockThroughLLM(t *testing.T) {
	fake := llmtest.New(t, llmtest.Options{})
	st, _ := newLLMStack(t, fake, 3)
	b, id, p := trainee(t, st, "lifter@example.com")
	painful := p.Weeks[0].Days[0].Exercises[0].ExerciseID
	logWholeSession(t, b, id, p, 1, 1, "40", url.Values{"soreness": {"none"}, "pump": {"great"}, "joint_pain": {"stop"}, "painful_exercise": {painful}})
	r := b.Post(logPath(id, "/next-block"), nil, true)
	next := webtest.ProgramID(r.Header.Get("Location"))
	e := waitStatus(b, next, "completed")
	if e.Source == nil || *e.Source != "llm" {
		t.Fatalf("source %v, want llm", e.Source)
	}
	loads := 0
	for _, w := range e.Program.Weeks {
		for _, d := range w.Days {
			for _, ex := range d.Exercises {
				if ex.ExerciseID == painful {
					t.Fatalf("week %d day %d still has %s, which hurt", w.Week, d.Day, painful)
				}
				if ex.StartKg != nil {
					loads++
				}
			}
		}
	}
	if loads == 0 || !strings.Contains(e.Program.Science.Rationale, "swapped out") {
		t.Errorf("LLM next block: %d start loads, rationale %q", loads, e.Program.Science.Rationale)
	}
}
