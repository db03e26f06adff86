package web_test

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"liftplan/internal/browsertest"
	"liftplan/internal/webtest"
)

// screenshot saves a README picture when LIFTPLAN_SCREENSHOTS names a folder (make screenshots).
func screenshot(t *testing.T, tab context.Context, name string, full bool) {
	t.Helper()
	dir := os.Getenv("LIFTPLAN_SCREENSHOTS")
	if dir == "" {
		return
	}
	browsertest.Do(t, tab, 10*time.Second, browsertest.Screenshot(filepath.Join(dir, name), full))
}

// phoneScreenshot saves a README picture at 390×844 and puts the desktop window back.
func phoneScreenshot(t *testing.T, tab context.Context, name string) {
	t.Helper()
	if os.Getenv("LIFTPLAN_SCREENSHOTS") == "" {
		return
	}
	browsertest.Do(t, tab, 10*time.Second, chromedp.EmulateViewport(390, phoneHeight, chromedp.EmulateMobile))
	screenshot(t, tab, name, false)
	browsertest.Do(t, tab, 10*time.Second, chromedp.EmulateViewport(1280, 900))
}

// fillAndGenerate signs up, fills the onboarding form like a person and clicks Generate.
func fillAndGenerate(t *testing.T, tab context.Context, base string) {
	t.Helper()
	browsertest.Do(t, tab, 30*time.Second,
		chromedp.Navigate(base+"/signup"),
		chromedp.WaitVisible(chromedp.CSS("#email")),
		chromedp.SendKeys(chromedp.CSS("#email"), "athlete@example.com"),
		chromedp.SendKeys(chromedp.CSS("#password"), "a long enough password"),
		chromedp.Click(chromedp.CSS("button[type=submit]")),
		browsertest.WaitPath("/programs/new"),
		chromedp.WaitVisible(chromedp.CSS("#generate")),
		chromedp.Click(chromedp.CSS(`input[name=goal][value=hypertrophy]`)),
		chromedp.Click(chromedp.CSS(`input[name=experience][value=intermediate]`)),
		chromedp.SetValue(chromedp.CSS("#days_per_week"), "4"),
		chromedp.SetValue(chromedp.CSS("#session_minutes"), "60"),
		chromedp.Click(chromedp.CSS(`input[name=equipment][value=barbell]`)),
		chromedp.Click(chromedp.CSS(`input[name=equipment][value=dumbbells]`)),
		chromedp.Click(chromedp.CSS(`input[name=equipment][value=bench]`)),
		chromedp.Click(chromedp.CSS(`input[name=equipment][value=pullup_bar]`)),
		chromedp.Click(chromedp.CSS(`input[name=weak_points][value=side_delts]`)),
		chromedp.SendKeys(chromedp.CSS("#notes"), "Training before work."),
	)
	screenshot(t, tab, "form.png", true)
	browsertest.Do(t, tab, 10*time.Second, chromedp.Click(chromedp.CSS("#generate")))
	if err := chromedp.Do(tabTimeout(tab, 20*time.Second), chromedp.WaitVisible(chromedp.CSS("#program-status"))); err != nil {
		html, _ := chromedp.Run(tab, chromedp.Evaluate[string](`location.pathname + " " + document.querySelector("main").innerText.slice(0, 800)`))
		t.Fatalf("no status element after Generate: %v\n%s", err, html)
	}
}

// liveStatusTest drives a generation in Chromium and checks the status element turns completed
// without any navigation or reload after the redirect.
func liveStatusTest(t *testing.T, wrap func(http.Handler) http.Handler) *browsertest.Browser {
	gen := newGated()
	st := newStack(t, stackOptions{generator: gen, wrap: wrap})
	br := browsertest.New(t)
	tab := br.Tab()
	fillAndGenerate(t, tab, st.URL)
	<-gen.entered
	// A marker on window survives everything but a real page load.
	status, err := chromedp.Run(tab, chromedp.Evaluate[string](`window.__liftplanMarker = "kept"; document.getElementById("program-status").dataset.status`))
	if err != nil {
		t.Fatal(err)
	}
	if status != "pending" && status != "processing" {
		t.Fatalf("right after Generate the status is %q, want pending or processing", status)
	}
	if err := chromedp.Do(tabTimeout(tab, 20*time.Second), chromedp.WaitVisible(chromedp.CSS(`#program-status[data-step=generate]`))); err != nil {
		html, _ := chromedp.Run(tab, chromedp.Evaluate[string](`document.getElementById("program-live").outerHTML.slice(0, 600)`))
		t.Fatalf("status never showed the generate step: %v\n%s\nproblems: %v", err, html, br.Problems())
	}
	screenshot(t, tab, "running.png", false)
	phoneScreenshot(t, tab, "phone-running.png")
	close(gen.release)
	browsertest.Do(t, tab, 30*time.Second,
		chromedp.WaitVisible(chromedp.CSS(`#program-status[data-status=completed]`)),
		chromedp.WaitVisible(chromedp.CSS(`.program-table`)),
	)
	marker, err := chromedp.Run(tab, chromedp.Evaluate[string](`window.__liftplanMarker || "reloaded"`))
	if err != nil || marker != "kept" {
		t.Errorf("the page was reloaded or navigated (marker %q, %v)", marker, err)
	}
	path, _ := chromedp.Run(tab, chromedp.Evaluate[string](`location.pathname`))
	if webtest.ProgramID(path) == 0 {
		t.Errorf("ended on %q, want /programs/{id}", path)
	}
	if _, err := chromedp.Run(tab, chromedp.Evaluate[chromedp.Void](`document.getElementById("program").scrollIntoView()`)); err == nil {
		screenshot(t, tab, "program.png", false)
	}
	return br
}

func TestBrowserGenerateLive(t *testing.T) {
	br := liveStatusTest(t, nil)
	if p := br.Problems(); len(p) > 0 {
		t.Errorf("browser reported problems:\n%s", strings.Join(p, "\n"))
	}
}

// TestBrowserPollingFallback breaks the SSE endpoint; the page must still go live by polling.
func TestBrowserPollingFallback(t *testing.T) {
	noSSE := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if strings.HasSuffix(r.URL.Path, "/events") {
				http.Error(w, "event streams are blocked here", http.StatusServiceUnavailable)
				return
			}
			next.ServeHTTP(w, r)
		})
	}
	br := liveStatusTest(t, noSSE)
	// The blocked stream is expected to be reported (htmx logs each failed EventSource as an Event
	// object); nothing else may be.
	if p := br.Problems("/events", "[object Event]"); len(p) > 0 {
		t.Errorf("browser reported problems:\n%s", strings.Join(p, "\n"))
	}
}

func tabTimeout(tab context.Context, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(tab, d)
	_ = cancel // released when the test's tab ends
	return ctx
}

// TestBrowserAdminRetry: an admin opens the failed list and clicks Retry; the program's page,
// open in another browser as its owner, moves from failed to completed without a reload.
func TestBrowserAdminRetry(t *testing.T) {
	gen := &flakyGenerator{failures: 1, permanent: true}
	st := newStack(t, stackOptions{generator: gen})
	owner := st.browser()
	owner.Signup("owner@example.com")
	owner.Get("/programs/new")
	id := owner.Submit(webtest.GoodForm())
	waitStatus(owner, id, "failed")
	newAdmin(t, st, "admin@example.com")

	ownerBrowser := browsertest.New(t)
	ownerTab := ownerBrowser.Tab()
	programURL := st.URL + "/programs/" + strconv.FormatInt(id, 10)
	browserLogin(t, ownerTab, st.URL, "owner@example.com")
	browsertest.Do(t, ownerTab, 30*time.Second,
		chromedp.Navigate(programURL),
		chromedp.WaitVisible(chromedp.CSS(`#program-status[data-status=failed]`)),
	)
	if _, err := chromedp.Run(ownerTab, chromedp.Evaluate[string](`window.__liftplanMarker = "kept"`)); err != nil {
		t.Fatal(err)
	}

	adminBrowser := browsertest.New(t)
	adminTab := adminBrowser.Tab()
	browserLogin(t, adminTab, st.URL, "admin@example.com")
	browsertest.Do(t, adminTab, 30*time.Second,
		chromedp.Navigate(st.URL+"/admin/programs?status=failed"),
		chromedp.WaitVisible(chromedp.CSS(`tr[data-program-id="`+strconv.FormatInt(id, 10)+`"] button`)),
		chromedp.Click(chromedp.CSS(`tr[data-program-id="`+strconv.FormatInt(id, 10)+`"] button`)),
		chromedp.WaitVisible(chromedp.CSS(`.flash`)),
	)
	browsertest.Do(t, ownerTab, 30*time.Second,
		chromedp.WaitVisible(chromedp.CSS(`#program-status[data-status=completed]`)),
		chromedp.WaitVisible(chromedp.CSS(`.program-table`)),
	)
	marker, err := chromedp.Run(ownerTab, chromedp.Evaluate[string](`window.__liftplanMarker || "reloaded"`))
	if err != nil || marker != "kept" {
		t.Errorf("the owner's page was reloaded (marker %q, %v)", marker, err)
	}
	for name, br := range map[string]*browsertest.Browser{"owner": ownerBrowser, "admin": adminBrowser} {
		if p := br.Problems(); len(p) > 0 {
			t.Errorf("%s's browser reported problems:\n%s", name, strings.Join(p, "\n"))
		}
	}
}
