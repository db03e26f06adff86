package web_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"liftplan/internal/auth"
	"liftplan/internal/browsertest"
	"liftplan/internal/llm"
	"liftplan/internal/llm/llmtest"
)

// streamPace is a model somewhat faster than issue 14's benchmark pace (0.6 s, 90 tokens/s):
// the 3-day blueprint's days still arrive seconds apart, and the test ends well inside the job
// timeout.
var streamPace = llmtest.Pace{TimeToFirstToken: 600 * time.Millisecond, TokensPerSecond: 150}

// streamedDaysShown is how many written days the status element must list, while the program
// is still processing, before the test (and the README picture) accepts it.
const streamedDaysShown = 2

// TestBrowserDaysArrive: through the LLM path against a fake model writing at a real pace, the
// page lists the days the model has written (with data-days-ready) while the program is still
// processing, then turns into the completed program without a reload.
func TestBrowserDaysArrive(t *testing.T) {
	fake := llmtest.New(t, llmtest.Options{Pace: streamPace})
	gen, err := llm.NewOpenAI(llm.OpenAIOptions{BaseURL: fake.URL, APIKey: "fake-key", Model: "gpt-4o-mini", BaseDelay: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	st := newStack(t, stackOptions{generator: gen})
	st.user(t, "lifter@example.com", auth.RoleUser, "")
	br := browsertest.New(t)
	tab := br.Tab()
	browserLogin(t, tab, st.URL, "lifter@example.com")
	browsertest.Do(t, tab, 30*time.Second,
		chromedp.Navigate(st.URL+"/programs/new"),
		chromedp.WaitVisible(chromedp.CSS("#generate")),
		chromedp.Click(chromedp.CSS(`input[name=goal][value=hypertrophy]`)),
		chromedp.Click(chromedp.CSS(`input[name=experience][value=intermediate]`)),
		chromedp.SetValue(chromedp.CSS("#days_per_week"), "3"),
		chromedp.SetValue(chromedp.CSS("#session_minutes"), "60"),
		chromedp.Click(chromedp.CSS(`input[name=equipment][value=barbell]`)),
		chromedp.Click(chromedp.CSS(`input[name=equipment][value=dumbbells]`)),
		chromedp.Click(chromedp.CSS(`input[name=equipment][value=bench]`)),
		chromedp.Click(chromedp.CSS("#generate")),
		chromedp.WaitVisible(chromedp.CSS("#program-status")),
		chromedp.Evaluate[chromedp.Void](`window.__liftplanMarker = "kept"`),
	)
	// The first of: enough days listed while processing, or the end (which fails the test).
	seen, err := chromedp.Run(tabTimeout(tab, 30*time.Second), chromedp.Poll[string](`(() => {
		const s = document.getElementById("program-status");
		if (!s) return "";
		const n = +s.dataset.daysReady, items = s.querySelectorAll("ol.draft-days li").length;
		if (s.dataset.status === "processing" && n >= `+strconv.Itoa(streamedDaysShown)+`) return "processing " + n + " days, " + items + " listed";
		if (s.dataset.status === "completed" || s.dataset.status === "failed") return s.dataset.status + " " + n + " days, " + items + " listed";
		return "";
	})()`, chromedp.WithPollingInterval(20*time.Millisecond)))
	if err != nil {
		t.Fatalf("the status element never listed %d days nor ended: %v", streamedDaysShown, err)
	}
	if !strings.HasPrefix(seen, "processing ") || !listedAsReady(seen) {
		t.Fatalf("status element: %s; want at least %d written days listed while still processing", seen, streamedDaysShown)
	}
	screenshot(t, tab, "running-days.png", false)
	phoneScreenshot(t, tab, "phone-running-days.png")
	// The written days fit a small phone and pass axe (run while the list is most likely still
	// there: the last day is seconds away at this pace).
	browsertest.Do(t, tab, 10*time.Second, chromedp.EmulateViewport(phoneWidths[0], phoneHeight))
	if msg := overflow(t, tab); msg != "" {
		t.Errorf("the live status at %d px scrolls sideways: %s", phoneWidths[0], msg)
	}
	for _, v := range axeViolations(t, tab) {
		t.Errorf("live status: axe: %s", v)
	}
	browsertest.Do(t, tab, 10*time.Second, chromedp.EmulateViewport(desktopWidth, desktopHeight))

	browsertest.Do(t, tab, 30*time.Second,
		chromedp.WaitVisible(chromedp.CSS(`#program-status[data-status=completed]`)),
		chromedp.WaitVisible(chromedp.CSS(`.program-table`)),
	)
	left, err := chromedp.Run(tab, chromedp.Evaluate[string](`(window.__liftplanMarker || "reloaded") + " " + document.querySelectorAll(".draft-days").length`))
	if err != nil || left != "kept 0" {
		t.Errorf("after completion: %q (%v); want the same page (no reload) and no draft list left", left, err)
	}
	if reqs := fake.Requests(); len(reqs) != 1 || !reqs[0].Body.Stream {
		t.Errorf("fake saw %d requests; want one streamed request", len(reqs))
	}
	if p := br.Problems(); len(p) > 0 {
		t.Errorf("browser reported problems:\n%s", strings.Join(p, "\n"))
	}
}

// listedAsReady reports whether a poll result "processing N days, M listed" lists as many
// days as it counts.
func listedAsReady(seen string) bool {
	f := strings.Fields(seen)
	return len(f) == 5 && f[1] == f[3]
}
