package web_test

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"liftplan/internal/browsertest"
)

// TestBrowserSignup signs up in a real Chromium: the boosted form submits, the redirect lands on
// /programs/new, and the page raises no CSP violation or console error on the way.
func TestBrowserSignup(t *testing.T) {
	env := newTestEnv(t)
	br := browsertest.New(t)
	tab := br.Tab()
	browsertest.Do(t, tab, 30*time.Second,
		chromedp.Navigate(env.URL+"/signup"),
		chromedp.WaitVisible(chromedp.CSS("#email")),
		chromedp.SendKeys(chromedp.CSS("#email"), "browser@example.com"),
		chromedp.SendKeys(chromedp.CSS("#password"), "short"),
		chromedp.Click(chromedp.CSS("button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("#password-error")),
	)
	// The 422 came back through htmx and was swapped in: still on /signup, error shown.
	browsertest.Do(t, tab, 30*time.Second,
		browsertest.WaitPath("/signup"),
		chromedp.SendKeys(chromedp.CSS("#password"), " but now long enough"),
		chromedp.Click(chromedp.CSS("button[type=submit]")),
		browsertest.WaitPath("/programs/new"),
		chromedp.WaitReady(chromedp.CSS(`meta[name="csrf-token"]`)),
	)
	heading, err := chromedp.Run(tab, chromedp.Text(chromedp.CSS("h1")))
	if err != nil || heading != "New program" {
		t.Errorf("landed on heading %q (%v), want New program", heading, err)
	}
	email, err := chromedp.Run(tab, chromedp.Text(chromedp.CSS("header.site .muted")))
	if err != nil || email != "browser@example.com" {
		t.Errorf("navigation shows %q (%v), want the signed-in email", email, err)
	}
	if p := br.Problems("422"); len(p) > 0 {
		t.Errorf("browser reported problems:\n%v", p)
	}
}
