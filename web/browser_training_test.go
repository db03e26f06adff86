package web_test

import (
	"context"
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"liftplan/internal/auth"
	"liftplan/internal/browsertest"
	"liftplan/internal/science"
	"liftplan/internal/webtest"
)

// phoneWidth is the screen the Today page is designed for (phoneHeight: browser_layout_test.go).
const phoneWidth = 390

// TestBrowserLogSession logs a whole session on a 390 px screen, with JavaScript (htmx rows, rest
// timer, one exercise at a time) and without (every form posts and the page comes back).
func TestBrowserLogSession(t *testing.T) {
	for _, js := range []bool{true, false} {
		t.Run(map[bool]string{true: "javascript", false: "no-javascript"}[js], func(t *testing.T) {
			browserLogSession(t, js)
		})
	}
}

func browserLogSession(t *testing.T, js bool) {
	st := newStack(t, stackOptions{})
	st.user(t, "lifter@example.com", auth.RoleUser, "")
	api := st.browser()
	api.Login("lifter@example.com", webtest.Password)
	api.Get("/programs/new")
	id := api.Submit(webtest.GoodForm())
	p := *waitStatus(api, id, "completed").Program
	day := p.Weeks[0].Days[0]

	br := browsertest.New(t)
	tab := br.Tab()
	// Not a "mobile" viewport: that would widen itself to fit an overflowing page and hide it.
	browsertest.Do(t, tab, 10*time.Second, chromedp.EmulateViewport(phoneWidth, phoneHeight))
	browserLogin(t, tab, st.URL, "lifter@example.com")
	if !js {
		if _, err := chromedp.Call(tab, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
			t.Fatal(err)
		}
	}
	today := logPath(id, "/today")
	browsertest.Do(t, tab, 30*time.Second, chromedp.Navigate(st.URL+today), chromedp.WaitVisible(chromedp.CSS("#today")))
	if js {
		browsertest.Do(t, tab, 10*time.Second, chromedp.WaitReady(chromedp.CSS("#today.paged")))
	}
	if js {
		screenshot(t, tab, "today.png", false)
	}
	refusedInBrowser(t, st, tab, "#set-"+day.Exercises[0].ExerciseID+"-1")
	sets := 0
	for i, ex := range day.Exercises {
		card := fmt.Sprintf("#ex-%d", i+1)
		browsertest.Do(t, tab, 10*time.Second, chromedp.WaitVisible(chromedp.CSS(card)))
		visible := evalInt(t, tab, `[...document.querySelectorAll("article.exercise")].filter(e => e.offsetParent !== null).length`)
		if js && visible != 1 {
			t.Fatalf("exercise %d: %d cards visible on a phone, want one at a time", i+1, visible)
		}
		if !js && visible != len(day.Exercises) {
			t.Fatalf("without JavaScript %d of %d cards are visible", visible, len(day.Exercises))
		}
		logSetsInBrowser(t, tab, ex, js && i == 0)
		sets += ex.Sets
		if w := evalInt(t, tab, `document.documentElement.scrollWidth`); w > phoneWidth {
			t.Errorf("exercise %d: the page is %d px wide on a %d px screen (horizontal scroll)", i+1, w, phoneWidth)
		}
	}
	if js {
		screenshot(t, tab, "today-logged.png", false)
	}
	if n := st.count("SELECT count(*) FROM workout_sets"); n != sets {
		t.Fatalf("%d sets in the database after logging %d", n, sets)
	}
	browsertest.Do(t, tab, 20*time.Second,
		chromedp.Click(chromedp.CSS(`input[name=soreness][value=mild]`)),
		chromedp.Click(chromedp.CSS(`input[name=pump][value=good]`)),
		chromedp.Click(chromedp.CSS(`input[name=joint_pain][value=none]`)),
		chromedp.Click(chromedp.CSS("#complete-session")),
		chromedp.WaitReady(chromedp.CSS(`#today[data-day="2"]`)),
	)
	if n := st.count("SELECT count(*) FROM session_logs WHERE week = 1 AND day = 1"); n != 1 {
		t.Fatalf("session not completed (%d feedback rows)", n)
	}
	// The history shows the session and an e1RM chart per loaded exercise, without scrolling sideways.
	browsertest.Do(t, tab, 20*time.Second, chromedp.Navigate(st.URL+logPath(id, "/log")), chromedp.WaitVisible(chromedp.CSS(".e1rm-chart svg")))
	if w := evalInt(t, tab, `document.documentElement.scrollWidth`); w > phoneWidth {
		t.Errorf("the history is %d px wide on a %d px screen", w, phoneWidth)
	}
	if js {
		screenshot(t, tab, "history.png", false)
	}
	if problems := br.Problems("422"); len(problems) > 0 {
		t.Errorf("the page complained: %v", problems)
	}
}

func evalInt(t *testing.T, tab context.Context, expr string) int {
	t.Helper()
	ctx, cancel := context.WithTimeout(tab, 10*time.Second)
	defer cancel()
	n, err := chromedp.Run(ctx, chromedp.Evaluate[int](expr))
	if err != nil {
		t.Fatalf("%s: %v", expr, err)
	}
	return n
}

// logSetsInBrowser saves every set of one exercise through its row's form (typing a load where
// none is suggested) and waits for each row to come back logged; firstRest checks the rest timer.
func logSetsInBrowser(t *testing.T, tab context.Context, ex science.ProgramExercise, firstRest bool) {
	t.Helper()
	for set := 1; set <= ex.Sets; set++ {
		row := "#set-" + ex.ExerciseID + "-" + strconv.Itoa(set)
		weight := row + ` input[name="weight_kg"]`
		if v, _ := chromedp.Run(tab, chromedp.Value(chromedp.CSS(weight))); v == "" {
			browsertest.Do(t, tab, 30*time.Second, chromedp.SetValue(chromedp.CSS(weight), "20"))
		}
		// Generous bounds: make test runs the CPU-heavy science and reliability packages beside
		// this one on two cores.
		browsertest.Do(t, tab, 45*time.Second,
			chromedp.Click(chromedp.CSS(row+" button[type=submit]")),
			chromedp.WaitReady(chromedp.CSS(row+`[data-logged="true"]`)),
		)
		if firstRest && set == 1 {
			browsertest.Do(t, tab, 10*time.Second, chromedp.WaitVisible(chromedp.CSS("#rest-timer")))
		}
	}
}

// refusedInBrowser types a bad load into row and saves: the row comes back with a 422 naming
// weight_kg and nothing is written. The field is cleared again for the real log.
func refusedInBrowser(t *testing.T, st *stack, tab context.Context, row string) {
	t.Helper()
	weight := chromedp.CSS(row + ` input[name="weight_kg"]`)
	browsertest.Do(t, tab, 20*time.Second,
		chromedp.SetValue(weight, "heavy"),
		chromedp.Click(chromedp.CSS(row+" button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS(row+` .field-error[data-field="weight_kg"]`)),
	)
	if n := st.count("SELECT count(*) FROM workout_sets"); n != 0 {
		t.Fatalf("a refused set wrote %d rows", n)
	}
	browsertest.Do(t, tab, 10*time.Second, chromedp.Clear(weight))
}
