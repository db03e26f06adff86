package browsertest

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestReportsCSPViolation proves the collector sees what the browser tests rely on it to see:
// an inline script blocked by a CSP like liftplan's, and a console error.
func TestReportsCSPViolation(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", "default-src 'self'; script-src 'self'")
		w.Header().Set("Content-Type", "text/html")
		if r.URL.Path == "/favicon.ico" {
			w.Header().Set("Content-Type", "image/x-icon")
			return
		}
		_, _ = w.Write([]byte(`<!doctype html><title>t</title><script>console.error("inline ran")</script><p id=ok>ok</p>`))
	}))
	defer srv.Close()
	br := New(t)
	tab := br.Tab()
	Do(t, tab, 20*time.Second, chromedp.Navigate(srv.URL), chromedp.WaitVisible(chromedp.CSS("#ok")))
	probs := strings.Join(br.Problems(), "\n")
	if !strings.Contains(probs, "Content Security Policy") {
		t.Errorf("CSP violation not reported; got:\n%s", probs)
	}
	if strings.Contains(probs, "inline ran") {
		t.Errorf("the inline script ran despite the CSP")
	}
}
