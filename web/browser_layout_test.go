package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"liftplan/internal/auth"
	"liftplan/internal/browsertest"
	"liftplan/internal/webtest"
)

// Phone widths every page must fit without sideways scrolling: a small Android and an iPhone.
// The viewport is emulated without "mobile" so the window keeps exactly this width; a mobile
// viewport would widen itself to fit an overflowing page.
var phoneWidths = []int64{360, 390}

const (
	phoneHeight  = 844
	desktopWidth = 1280
)

// layoutFixture is a stack with every role and something on each page: a coach with a client
// whose first program failed (admin's failed list) and whose second completed.
type layoutFixture struct {
	st                    *stack
	program, failed, user int64
}

func newLayoutFixture(t *testing.T) layoutFixture {
	t.Helper()
	st := newStack(t, stackOptions{generator: &flakyGenerator{failures: 1, permanent: true}})
	st.user(t, "coach@example.com", auth.RoleCoach, "")
	st.user(t, "admin@example.com", auth.RoleAdmin, "")
	client := st.user(t, "client@example.com", auth.RoleUser, "coach@example.com")
	b := st.browser()
	b.Login("client@example.com", webtest.Password)
	b.Get("/programs/new")
	other := webtest.GoodForm()
	other.Set("session_minutes", "45")
	failed := b.Submit(other)
	waitStatus(b, failed, "failed")
	b.Get("/programs/new")
	id := b.Submit(webtest.GoodForm())
	waitStatus(b, id, "completed")
	return layoutFixture{st: st, program: id, failed: failed, user: client.ID}
}

type rolePages struct {
	email string
	pages []page
}

type page struct{ path, selector string }

// pages is every page each role reaches (River UI aside: third-party).
func (f layoutFixture) pages() []rolePages {
	program := "/programs/" + strconv.FormatInt(f.program, 10)
	failed := "/programs/" + strconv.FormatInt(f.failed, 10)
	client := "/coach/clients/" + strconv.FormatInt(f.user, 10)
	done := `#program-status[data-status=completed]`
	return []rolePages{
		{"", []page{{"/", "main"}, {"/signup", "#email"}, {"/login", "#email"}}},
		{"client@example.com", []page{{"/programs", ".history"}, {"/programs/new", "#generate"}, {program, done},
			{program + "?week=2", ".program-table"}, {failed, `#program-status[data-status=failed]`}, {"/exercises", ".catalogue"},
			{"/exercises?muscle=back&equipment=dumbbells", ".catalogue"}, {"/programs/999999", "main"},
			{program + "/today", "#today"}, {program + "/log", "main"}}},
		{"coach@example.com", []page{{"/coach", ".clients"}, {client, ".history"}, {program, done}, {program + "/today", "#today"}, {program + "/log", "main"}}},
		{"admin@example.com", []page{{"/admin", "#cache"}, {"/admin/programs?status=failed", ".admin-programs"},
			{"/admin/programs?status=completed", ".admin-programs"}, {"/admin/users", ".users"}, {program, done}, {"/exercises", ".catalogue"}}},
	}
}

// TestBrowserPhoneLayout visits every page of every role at 360 and 390 px: nothing may scroll
// sideways, and axe-core may report no serious or critical accessibility violation (checked at
// 390 px and again on a desktop window, whose tables and navigation differ).
func TestBrowserPhoneLayout(t *testing.T) {
	f := newLayoutFixture(t)
	for _, role := range f.pages() {
		name := role.email
		if name == "" {
			name = "anonymous"
		}
		t.Run(name, func(t *testing.T) {
			br := browsertest.New(t)
			tab := br.Tab()
			if role.email != "" {
				browserLogin(t, tab, f.st.URL, role.email)
			}
			for _, w := range phoneWidths {
				browsertest.Do(t, tab, 10*time.Second, chromedp.EmulateViewport(w, phoneHeight))
				for _, p := range role.pages {
					browsertest.Do(t, tab, 30*time.Second, chromedp.Navigate(f.st.URL+p.path), chromedp.WaitReady(chromedp.CSS(p.selector)))
					if msg := overflow(t, tab); msg != "" {
						t.Errorf("%s at %d px scrolls sideways: %s", p.path, w, msg)
					}
					if w == phoneWidths[0] {
						checkWords(t, tab, p.path)
					}
					if w == phoneWidths[len(phoneWidths)-1] {
						for _, v := range axeViolations(t, tab) {
							t.Errorf("%s at %d px: axe: %s", p.path, w, v)
						}
					}
				}
			}
			browsertest.Do(t, tab, 10*time.Second, chromedp.EmulateViewport(desktopWidth, phoneHeight))
			for _, p := range role.pages {
				browsertest.Do(t, tab, 30*time.Second, chromedp.Navigate(f.st.URL+p.path), chromedp.WaitReady(chromedp.CSS(p.selector)))
				for _, v := range axeViolations(t, tab) {
					t.Errorf("%s on a desktop: axe: %s", p.path, v)
				}
			}
		})
	}
}

// TestBrowserLayoutDetectors: the two checks above must see a real problem, or their silence
// proves nothing.
func TestBrowserLayoutDetectors(t *testing.T) {
	st := newStack(t, stackOptions{})
	br := browsertest.New(t)
	tab := br.Tab()
	browsertest.Do(t, tab, 30*time.Second,
		chromedp.EmulateViewport(360, phoneHeight),
		chromedp.Navigate(st.URL+"/login"), chromedp.WaitReady(chromedp.CSS("#email")))
	if msg := overflow(t, tab); msg != "" {
		t.Fatalf("the login page already overflows: %s", msg)
	}
	if _, err := chromedp.Run(tab, chromedp.Evaluate[chromedp.Void](`(() => {
		const wide = document.createElement("pre"); wide.textContent = "x".repeat(200); wide.style.whiteSpace = "pre";
		const faint = document.createElement("p"); faint.textContent = "barely visible"; faint.style.color = "#ddd";
		document.querySelector("main").append(wide, faint);
	})()`)); err != nil {
		t.Fatal(err)
	}
	if msg := overflow(t, tab); msg == "" {
		t.Errorf("a 200-character line was not reported as overflow (%q)", msg)
	}
	if vs := axeViolations(t, tab); !strings.Contains(strings.Join(vs, "\n"), "color-contrast") {
		t.Errorf("axe did not report light grey text: %v", vs)
	}
}

// internalWords must not reach a page (DOMAIN "Words for lifters").
var internalWords = []string{"builtin", "rp-classic", "rir step", "rir_step", "double_progression", "Your program"}

// checkWords fails on internal names in the page's text, on "Your program" shown to someone
// who is not the owner (coach, admin), and on a JSON export offered for an unfinished program.
func checkWords(t *testing.T, tab context.Context, path string) {
	t.Helper()
	raw, err := chromedp.Run(tab, chromedp.Evaluate[string](`JSON.stringify({text: document.querySelector("main").innerText,
		status: (document.getElementById("program-status") || {dataset: {}}).dataset.status || "",
		theirs: document.body.innerText.includes("Their program")})`))
	if err != nil {
		t.Fatal(err)
	}
	var v struct {
		Text, Status string
		Theirs       bool
	}
	_ = json.Unmarshal([]byte(raw), &v)
	for _, w := range internalWords {
		if w == "Your program" && !v.Theirs {
			continue // the owner's own page may say "Your program is ready."
		}
		if strings.Contains(v.Text, w) {
			t.Errorf("%s shows %q", path, w)
		}
	}
	if v.Status != "" && v.Status != "completed" && strings.Contains(v.Text, "Export as JSON") {
		t.Errorf("%s offers Export as JSON for a %s program", path, v.Status)
	}
	if v.Status == "failed" || v.Status == "completed" {
		if strings.Contains(v.Text, "Attempt ") {
			t.Errorf("%s still shows the attempt count on a %s program", path, v.Status)
		}
	}
}

// TestBrowserSkipLink: the first Tab reaches a visible "Skip to content" link with a focus ring.
func TestBrowserSkipLink(t *testing.T) {
	st := newStack(t, stackOptions{})
	br := browsertest.New(t)
	tab := br.Tab()
	browsertest.Do(t, tab, 30*time.Second,
		chromedp.EmulateViewport(360, phoneHeight),
		chromedp.Navigate(st.URL+"/login"), chromedp.WaitReady(chromedp.CSS("#email")),
		chromedp.KeyEvent("\t"))
	raw, err := chromedp.Run(tab, chromedp.Evaluate[string](`(() => { const a = document.activeElement, r = a.getBoundingClientRect(), cs = getComputedStyle(a);
		return JSON.stringify({cls: a.className, href: a.getAttribute("href"), top: r.top, outline: cs.outlineStyle + " " + cs.outlineWidth}); })()`))
	if err != nil {
		t.Fatal(err)
	}
	var v struct {
		Cls, Href, Outline string
		Top                float64
	}
	_ = json.Unmarshal([]byte(raw), &v)
	if v.Cls != "skip" || v.Href != "#main" || v.Top < 0 || strings.HasPrefix(v.Outline, "none") {
		t.Errorf("first Tab focuses %+v, want the visible skip link to #main with an outline", v)
	}
}

// overflow is "" when the page is no wider than the window, else the widest elements.
func overflow(t *testing.T, tab context.Context) string {
	t.Helper()
	msg, err := chromedp.Run(tab, chromedp.Evaluate[string](`(() => {
		const de = document.documentElement;
		if (de.scrollWidth <= window.innerWidth) return "";
		// (No mobile emulation: a phone browser would zoom out to fit and hide the overflow.)
		const wide = [...document.querySelectorAll("body *")]
			.filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5)
			.slice(0, 5).map(e => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + "." + [...e.classList].join(".") + " " + Math.round(e.getBoundingClientRect().right) + "px");
		return "scrollWidth " + de.scrollWidth + " > " + window.innerWidth + ": " + wide.join(", ");
	})()`))
	if err != nil {
		t.Fatalf("measure width: %v", err)
	}
	return msg
}

// axePath is axe-core as npm installed it: the tests read it from there, so it is neither in
// static/vendor nor embedded in the binary (TestAxeCoreNotShipped).
const axePath = "../static/node_modules/axe-core/axe.min.js"

var (
	axeOnce   sync.Once
	axeSource string
	axeErr    error
)

// axeViolations runs axe-core (axePath) in the page over the DevTools protocol — the page's CSP
// does not apply there — and returns its serious and critical violations.
func axeViolations(t *testing.T, tab context.Context) []string {
	t.Helper()
	axeOnce.Do(func() {
		b, err := os.ReadFile(axePath)
		axeSource, axeErr = string(b), err
	})
	if axeErr != nil {
		t.Fatalf("axe-core missing (run make build, which installs the npm packages): %v", axeErr)
	}
	ctx, cancel := context.WithTimeout(tab, 60*time.Second)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](axeSource+";void 0")); err != nil {
		t.Fatalf("inject axe-core: %v", err)
	}
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[string](`axe.run(document, {resultTypes: ["violations"], rules: {"target-size": {enabled: true}}}).then(r => JSON.stringify(
		r.violations.filter(v => v.impact === "serious" || v.impact === "critical")
			.map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map(n => n.target.join(" ") + " " + (n.failureSummary || "").split("\n").slice(1, 2).join(""))}))))`,
		chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("run axe-core: %v", err)
	}
	var vs []struct {
		ID, Impact, Help string
		Nodes            []string
	}
	if err := json.Unmarshal([]byte(raw), &vs); err != nil {
		t.Fatalf("axe result %q: %v", raw, err)
	}
	var out []string
	for _, v := range vs {
		out = append(out, fmt.Sprintf("%s (%s): %s — %s", v.ID, v.Impact, v.Help, strings.Join(v.Nodes, "; ")))
	}
	return out
}

// TestBrowserProgramOnPhone: on a 390×844 screen the week selector and the first exercise are
// on the first screen, the day is a card (no table), and the summary and Regenerate come after
// the training; the chart's text is legible without hovering.
func TestBrowserProgramOnPhone(t *testing.T) {
	f := newLayoutFixture(t)
	br := browsertest.New(t)
	tab := br.Tab()
	browserLogin(t, tab, f.st.URL, "client@example.com")
	browsertest.Do(t, tab, 30*time.Second,
		chromedp.EmulateViewport(390, phoneHeight, chromedp.EmulateMobile),
		chromedp.Navigate(f.st.URL+"/programs/"+strconv.FormatInt(f.program, 10)),
		chromedp.WaitVisible(chromedp.CSS(`.program-table .exercise`)),
	)
	var m struct {
		WeeksBottom, FirstExerciseBottom, FirstDayBottom, RegenerateTop, SummaryTop, Width float64
		Tables                                                                             int
		ChartFontPx                                                                        float64
		ChartLabels                                                                        []string
	}
	raw, err := chromedp.Run(tab, chromedp.Evaluate[string](`(() => {
		const top = s => document.querySelector(s).getBoundingClientRect().top + window.scrollY;
		const bottom = s => document.querySelector(s).getBoundingClientRect().bottom + window.scrollY;
		const text = document.querySelector(".volume-chart text");
		return JSON.stringify({
			WeeksBottom: bottom("nav .weeks"), FirstExerciseBottom: bottom(".program-table .exercise"),
			FirstDayBottom: bottom(".week:not(.week-other) .day"), RegenerateTop: top("#regenerate"), SummaryTop: top("#take-away"),
			Tables: document.querySelectorAll(".week table").length, Width: window.innerWidth,
			ChartFontPx: parseFloat(text.getAttribute("font-size")) * text.ownerSVGElement.getBoundingClientRect().width / text.ownerSVGElement.viewBox.baseVal.width,
			ChartLabels: [...document.querySelectorAll(".volume-chart .chart-row > text")].map(e => e.textContent),
		});
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(raw), &m); err != nil {
		t.Fatal(err)
	}
	if m.Width != 390 {
		t.Errorf("the phone's layout viewport is %.0f px wide, want 390 (a wider page makes it zoom out)", m.Width)
	}
	if m.WeeksBottom > phoneHeight || m.FirstExerciseBottom > phoneHeight {
		t.Errorf("week selector ends at %.0f px, first exercise at %.0f px; both must be within the first %d px", m.WeeksBottom, m.FirstExerciseBottom, phoneHeight)
	}
	if m.RegenerateTop < m.FirstDayBottom || m.SummaryTop < m.FirstDayBottom {
		t.Errorf("Regenerate at %.0f px and the summary at %.0f px come before the end of the first day (%.0f px)", m.RegenerateTop, m.SummaryTop, m.FirstDayBottom)
	}
	if m.Tables != 0 {
		t.Errorf("%d tables in the sessions, want cards", m.Tables)
	}
	// 12 px (font size as rendered) is the smallest text we accept on a phone; the numbers are
	// part of each label.
	if m.ChartFontPx < 12 {
		t.Errorf("chart text is %.1f px high at 390 px, want at least 12", m.ChartFontPx)
	}
	if len(m.ChartLabels) == 0 || !strings.Contains(m.ChartLabels[0], "sets") || !strings.Contains(m.ChartLabels[0], "MEV") {
		t.Errorf("chart labels %q, want each muscle's sets and landmarks as text", m.ChartLabels)
	}
	screenshot(t, tab, "phone-program.png", false)
	// The picture starts at the chart's heading, so it holds the title, the bars and the key.
	browsertest.Do(t, tab, 10*time.Second, chromedp.Evaluate[chromedp.Void](`document.querySelector(".chart").previousElementSibling.scrollIntoView()`))
	screenshot(t, tab, "phone-chart.png", false)

	// The exercise's name opens its catalogue entry, scrolled into view.
	id, err := chromedp.Run(tab, chromedp.Evaluate[string](`document.querySelector(".program-table .exercise").dataset.exerciseId`))
	if err != nil || id == "" {
		t.Fatalf("first exercise has no id (%v)", err)
	}
	browsertest.Do(t, tab, 30*time.Second,
		chromedp.Click(chromedp.CSS(".program-table .exercise .ex-name")),
		chromedp.WaitVisible(chromedp.CSS(".catalogue #"+id)),
	)
	_ = chromedp.Do(tabTimeout(tab, 5*time.Second), chromedp.Poll[chromedp.Void](`(() => { const r = document.getElementById(`+strconv.Quote(id)+`).getBoundingClientRect(); return r.top > -2 && r.top < window.innerHeight; })()`, chromedp.WithPollingInterval(50*time.Millisecond)))
	entry, err := chromedp.Run(tab, chromedp.Evaluate[string](`(() => { const e = document.getElementById(`+strconv.Quote(id)+`); const r = e.getBoundingClientRect();
		return (r.top > -2 && r.top < window.innerHeight ? "in view " : "out of view at " + Math.round(r.top) + " px ") + e.innerText; })()`))
	if err != nil || !strings.HasPrefix(entry, "in view") || !strings.Contains(entry, "Muscles") || !strings.Contains(entry, "Equipment") ||
		!strings.Contains(entry, "Avoid with") || !strings.Contains(entry, "Swap for") {
		t.Errorf("catalogue entry %s: %q (%v), want it in view with muscles, equipment, contraindications and substitutes", id, entry, err)
	}
	if p := br.Problems(); len(p) > 0 {
		t.Errorf("browser reported problems:\n%s", strings.Join(p, "\n"))
	}
}

// TestBrowserPrintEveryWeek: printed, the program page shows every week of the block and no
// navigation or buttons.
func TestBrowserPrintEveryWeek(t *testing.T) {
	f := newLayoutFixture(t)
	owner := f.st.browser()
	owner.Login("client@example.com", webtest.Password)
	weeks := len(export(owner, f.program).Program.Weeks)
	br := browsertest.New(t)
	tab := br.Tab()
	browserLogin(t, tab, f.st.URL, "client@example.com")
	browsertest.Do(t, tab, 30*time.Second,
		chromedp.Navigate(f.st.URL+"/programs/"+strconv.FormatInt(f.program, 10)),
		chromedp.WaitVisible(chromedp.CSS(`.program-table`)),
	)
	count := func() (shown int, controls int) {
		raw, err := chromedp.Run(tab, chromedp.Evaluate[string](`JSON.stringify([
			[...document.querySelectorAll(".week")].filter(e => e.getClientRects().length > 0 && e.querySelector(".exercise").getClientRects().length > 0).length,
			[...document.querySelectorAll("header.site nav, nav.no-print, main button, main form")].filter(e => e.getClientRects().length > 0).length])`))
		if err != nil {
			t.Fatal(err)
		}
		var v [2]int
		_ = json.Unmarshal([]byte(raw), &v)
		return v[0], v[1]
	}
	if shown, _ := count(); shown != 1 {
		t.Errorf("on screen %d weeks are shown, want the selected one", shown)
	}
	if _, err := chromedp.Call(tab, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
		t.Fatal(err)
	}
	shown, controls := count()
	if shown != weeks || weeks < 4 {
		t.Errorf("printed, %d of %d weeks are shown, want every week", shown, weeks)
	}
	if controls != 0 {
		t.Errorf("printed, %d navigation or form elements are visible, want none", controls)
	}
}

// TestBrowserFormKeepsAnswers: a rejected form comes back with every answer as typed, an error
// summary that links to the field and has the focus.
func TestBrowserFormKeepsAnswers(t *testing.T) {
	f := newLayoutFixture(t)
	br := browsertest.New(t)
	tab := br.Tab()
	browserLogin(t, tab, f.st.URL, "client@example.com")
	browsertest.Do(t, tab, 30*time.Second,
		chromedp.EmulateViewport(390, phoneHeight, chromedp.EmulateMobile),
		chromedp.Navigate(f.st.URL+"/programs/new"),
		chromedp.WaitVisible(chromedp.CSS("#generate")),
		chromedp.Click(chromedp.CSS(`input[name=goal][value=strength]`)),
		chromedp.Click(chromedp.CSS(`input[name=equipment][value=kettlebells]`)),
		chromedp.SetValue(chromedp.CSS("#session_minutes"), "150"),
		chromedp.SetValue(chromedp.CSS("#notes"), "Left knee clicks."),
		chromedp.Click(chromedp.CSS("#generate")),
		chromedp.WaitVisible(chromedp.CSS("#error-summary")),
	)
	// htmx settles (and app.js moves the focus) a moment after the swap.
	_ = chromedp.Do(tabTimeout(tab, 5*time.Second), chromedp.Poll[chromedp.Void](`document.activeElement && document.activeElement.id === "error-summary"`, chromedp.WithPollingInterval(50*time.Millisecond)))
	raw, err := chromedp.Run(tab, chromedp.Evaluate[string](`JSON.stringify({
		focus: document.activeElement && document.activeElement.id,
		minutes: document.getElementById("session_minutes").value,
		notes: document.getElementById("notes").value,
		goal: (document.querySelector("input[name=goal]:checked") || {}).value,
		kettlebells: document.querySelector("input[name=equipment][value=kettlebells]").checked,
		link: (document.querySelector("#error-summary a") || {}).hash,
		box: document.querySelector("input[name=equipment]").getBoundingClientRect().height})`))
	if err != nil {
		t.Fatal(err)
	}
	var v struct {
		Focus, Minutes, Notes, Goal, Link string
		Kettlebells                       bool
		Box                               float64
	}
	_ = json.Unmarshal([]byte(raw), &v)
	if v.Focus != "error-summary" || v.Link != "#session_minutes" {
		t.Errorf("focus on %q, first summary link %q; want the summary focused, linking to #session_minutes", v.Focus, v.Link)
	}
	if v.Minutes != "150" || v.Notes != "Left knee clicks." || v.Goal != "strength" || !v.Kettlebells {
		t.Errorf("after the 422 the form shows %+v, want every answer as typed", v)
	}
	if v.Box < 24 {
		t.Errorf("checkboxes are %.0f px, want at least 24", v.Box)
	}
	screenshot(t, tab, "phone-form-error.png", true)
}

// TestBrowserPurgeAllAsksFirst: "Purge all entries" asks before it posts (a static script, the
// CSP allows no inline handler); dismissing the question sends nothing, accepting purges once.
func TestBrowserPurgeAllAsksFirst(t *testing.T) {
	st := newStack(t, stackOptions{})
	st.user(t, "admin@example.com", auth.RoleAdmin, "")
	br := browsertest.New(t)
	tab := br.Tab()
	browserLogin(t, tab, st.URL, "admin@example.com")
	asked := make(chan string, 2)
	answers := []bool{false, true}
	dialogs := chromedp.Events(tab, cdppage.JavascriptDialogOpening)
	go func() {
		for ev, err := range dialogs {
			if err != nil || len(answers) == 0 {
				return
			}
			accept := answers[0]
			answers = answers[1:]
			asked <- ev.Message
			if _, err := chromedp.Call(tab, cdppage.HandleJavaScriptDialog, cdppage.HandleJavaScriptDialogParams{Accept: accept}); err != nil {
				return
			}
		}
	}()
	purgeAll := chromedp.CSS(`#cache button[value=all]`)
	browsertest.Do(t, tab, 30*time.Second, chromedp.Navigate(st.URL+"/admin"), chromedp.WaitVisible(purgeAll), chromedp.Click(purgeAll))
	question := func() string {
		select {
		case msg := <-asked:
			return msg
		case <-time.After(10 * time.Second):
			t.Fatal("Purge all entries posted without asking")
		}
		return ""
	}
	if msg := question(); !strings.Contains(msg, "Purge every cache entry") {
		t.Errorf("the question was %q", msg)
	}
	browsertest.Do(t, tab, 30*time.Second, chromedp.Click(purgeAll))
	question()
	browsertest.Do(t, tab, 30*time.Second, chromedp.WaitVisible(chromedp.CSS(`.flash`)))
	raw, err := chromedp.Run(tab, chromedp.Evaluate[string](`JSON.stringify([document.querySelector(".flash").innerText,
		[...document.querySelectorAll("table.audit td")].filter(td => td.innerText === "cache.purge").length])`))
	if err != nil {
		t.Fatal(err)
	}
	var v []any
	_ = json.Unmarshal([]byte(raw), &v)
	if len(v) != 2 || !strings.HasPrefix(fmt.Sprint(v[0]), "Cache purged") || v[1] != float64(1) {
		t.Errorf("after one dismissed and one accepted question: flash and purge count %v, want one purge", v)
	}
}

// TestBrowserPurgeAllWithoutJavaScript: with scripts off there is no dialog, so "Purge all
// entries" leads to the server's confirmation page; its box must be ticked before the purge runs.
func TestBrowserPurgeAllWithoutJavaScript(t *testing.T) {
	st := newStack(t, stackOptions{})
	st.user(t, "admin@example.com", auth.RoleAdmin, "")
	br := browsertest.New(t)
	tab := br.Tab()
	browserLogin(t, tab, st.URL, "admin@example.com")
	if _, err := chromedp.Call(tab, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatal(err)
	}
	submit := chromedp.CSS(`#confirm-purge button[type=submit]`)
	browsertest.Do(t, tab, 30*time.Second, chromedp.Navigate(st.URL+"/admin"), chromedp.WaitVisible(chromedp.CSS(`#cache button[value=all]`)),
		chromedp.Click(chromedp.CSS(`#cache button[value=all]`)), chromedp.WaitVisible(submit),
		// Unticked, the required box stops the form in the browser itself: still on the question.
		chromedp.Click(submit))
	asked, err := chromedp.Run(tab, chromedp.Evaluate[bool](`!!document.querySelector("#confirm-purge") && !document.querySelector(".flash")`))
	if err != nil || !asked {
		t.Fatalf("the unticked confirmation was sent (%v)", err)
	}
	// axe-core needs timers, so scripts go back on for it (the page's own scripts stay unloaded).
	if _, err := chromedp.Call(tab, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: false}); err != nil {
		t.Fatal(err)
	}
	for _, v := range axeViolations(t, tab) {
		t.Errorf("confirmation page: axe: %s", v)
	}
	// A full page load without scripts: wait on the DOM (a polled script would lose its context).
	browsertest.Do(t, tab, 30*time.Second, chromedp.Click(chromedp.CSS(`#confirm`)), chromedp.Click(submit),
		chromedp.WaitVisible(chromedp.CSS(`.flash`)))
	flash, err := chromedp.Run(tab, chromedp.Evaluate[string](`location.pathname + " " + document.querySelector(".flash").innerText`))
	if err != nil || !strings.HasPrefix(flash, "/admin Cache purged") {
		t.Errorf("after confirming: %q (%v), want /admin with the flash Cache purged", flash, err)
	}
	if n := st.count("SELECT count(*) FROM admin_audit WHERE action = 'cache.purge'"); n != 1 {
		t.Errorf("%d purges audited, want 1", n)
	}
}
