package programs

import (
	"bytes"
	"context"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

func renderStatus(t *testing.T, s StatusView) string {
	t.Helper()
	var b bytes.Buffer
	if err := Status(s).Render(context.Background(), &b); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

var valueNow = regexp.MustCompile(`role="progressbar"[^>]*aria-valuenow="(\d+)"`)

// TestStatusProgress: every running step has its own progress value, in order, the retry wait
// near the start (it never fills the bar and drops back), and the bar says where it is.
func TestStatusProgress(t *testing.T) {
	prev := -1
	for _, step := range []string{"queued", "load", "analyze", "generate", "validate", "store"} {
		status := "processing"
		if step == "queued" {
			status = "pending"
		}
		html := renderStatus(t, StatusView{ID: 1, Status: status, Step: step, Attempt: 1, MaxAttempts: 3})
		m := valueNow.FindStringSubmatch(html)
		if m == nil || !strings.Contains(html, `class="progress s-`+step+`"`) {
			t.Fatalf("%s: no progress bar with a value and a width class:\n%s", step, html)
		}
		n, _ := strconv.Atoi(m[1])
		if n <= prev || n >= 100 {
			t.Errorf("%s: progress %d after %d, want rising below 100", step, n, prev)
		}
		prev = n
	}
	wait := renderStatus(t, StatusView{ID: 1, Status: "pending", Step: "retry_wait", Attempt: 1, MaxAttempts: 3,
		Message: "The generator had a hiccup; retrying (attempt 2 of 3)."})
	if m := valueNow.FindStringSubmatch(wait); m == nil || m[1] != "8" || !strings.Contains(wait, "s-retry_wait") {
		t.Errorf("retry wait bar: %v\n%s", m, wait)
	}
	// One sentence during the retry: the stored retry note is not repeated under it.
	if strings.Count(wait, "attempt 2 of 3") != 2 || strings.Contains(wait, "hiccup") { // sentence + aria-valuetext
		t.Errorf("retry wait should say it once (and in the bar's text):\n%s", wait)
	}
}

// TestStatusFinishedHasNoAttemptNote: a program that finished after a retry does not keep saying
// "Attempt 2 of 3".
func TestStatusFinishedHasNoAttemptNote(t *testing.T) {
	for _, st := range []string{"completed", "failed"} {
		html := renderStatus(t, StatusView{ID: 1, Status: st, Step: "store", Attempt: 2, MaxAttempts: 3, Message: "x"})
		if strings.Contains(html, "Attempt 2 of 3") || strings.Contains(html, "progressbar") {
			t.Errorf("%s: attempt note or progress bar left:\n%s", st, html)
		}
	}
	if html := renderStatus(t, StatusView{ID: 1, Status: "processing", Step: "generate", Attempt: 2, MaxAttempts: 3}); !strings.Contains(html, "Attempt 2 of 3.") {
		t.Errorf("a running retry should say which attempt it is:\n%s", html)
	}
}

// TestStatusNoRetryWhenOnlyAnAdminCanFix: without CanRetry, the failure says who can fix it.
func TestStatusNoRetryWhenOnlyAnAdminCanFix(t *testing.T) {
	html := renderStatus(t, StatusView{ID: 1, Status: "failed", Message: "Out of credit. An administrator needs to top it up.",
		FixedBy: "Trying again would fail the same way until an administrator fixes this."})
	if strings.Contains(html, `id="retry"`) || !strings.Contains(html, `id="fixed-by"`) {
		t.Errorf("want no Try again and a note on who fixes it:\n%s", html)
	}
}
