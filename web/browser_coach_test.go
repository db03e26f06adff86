package web_test

import (
	"context"
	"math"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"liftplan/internal/auth"
	"liftplan/internal/browsertest"
	"liftplan/internal/science"
	"liftplan/internal/webtest"
)

// Rep range a strength program's main lift is prescribed in (DOMAIN.md, "Strength is built on
// the main lifts").
const (
	mainLiftMinReps = 3
	mainLiftMaxReps = 6
)

// injuredBanned are the exercises the coach's reading of issue 13 found in programs for a
// lifter with injured shoulders, elbows and wrists; none may come back.
var injuredBanned = []string{"barbell_bench_press", "barbell_incline_bench_press", "close_grip_bench_press", "pull_up", "chin_up",
	"band_assisted_pull_up", "negative_pull_up", "barbell_skull_crusher", "dumbbell_skull_crusher", "bench_dip", "barbell_upright_row",
	"barbell_back_squat", "lat_pulldown", "close_grip_lat_pulldown"}

// mainLiftPatterns are the movement patterns a strength day may open with.
var mainLiftPatterns = []string{science.PatternSquat, science.PatternHinge, science.PatternHorizontalPush, science.PatternVerticalPush,
	science.PatternHorizontalPull, science.PatternVerticalPull}

// coachProgram submits form as the signed-in b and returns the completed program's id and export.
func coachProgram(t *testing.T, b *browser, form url.Values) (int64, exported) {
	t.Helper()
	b.Get("/programs/new")
	id := b.Submit(form)
	e := waitStatus(b, id, "completed")
	if e.Program == nil {
		t.Fatalf("program %d completed without a program", id)
	}
	return id, e
}

// TestBrowserCoachPrograms: the two programs the README shows, held to what a coach checks first — a strength
// block built on the main lifts, and a hypertrophy block for a lifter with injured shoulders,
// elbows and wrists that keeps every exercise the injuries rule out away.
func TestBrowserCoachPrograms(t *testing.T) {
	st := newStack(t, stackOptions{})
	strength := url.Values{"goal": {"strength"}, "experience": {"intermediate"}, "days_per_week": {"4"}, "session_minutes": {"75"},
		"equipment": {"barbell", "bench", "dumbbells", "pullup_bar"}}
	injured := url.Values{"goal": {"hypertrophy"}, "experience": {"intermediate"}, "days_per_week": {"4"}, "session_minutes": {"60"},
		"equipment": science.EquipmentKinds, "injuries": {"shoulder", "elbow", "wrist"}}
	st.user(t, "lifter@example.com", auth.RoleUser, "")
	b := st.browser()
	b.Login("lifter@example.com", webtest.Password)
	strengthID, s := coachProgram(t, b, strength)
	injuredID, h := coachProgram(t, b, injured)
	checkStrengthProgram(t, *s.Program)
	checkInjuredProgram(t, *h.Program)

	br := browsertest.New(t)
	tab := br.Tab()
	browserLogin(t, tab, st.URL, "lifter@example.com")
	for _, p := range []struct {
		name string
		id   int64
		// openFirst opens the first exercise's notes in the phone picture (the main lift's
		// load step).
		openFirst bool
	}{{"strength", strengthID, true}, {"injured", injuredID, false}} {
		browsertest.Do(t, tab, 30*time.Second,
			chromedp.Navigate(st.URL+"/programs/"+strconv.FormatInt(p.id, 10)),
			chromedp.WaitVisible(chromedp.CSS(`.program-table .exercise`)),
		)
		weekScreenshot(t, tab, "program-"+p.name+".png")
		if p.openFirst {
			browsertest.Do(t, tab, 10*time.Second, chromedp.Click(chromedp.CSS(`.program-table .exercise summary`)))
		}
		phoneScreenshot(t, tab, "phone-program-"+p.name+".png")
	}
	if p := br.Problems(); len(p) > 0 {
		t.Errorf("browser reported problems:\n%s", strings.Join(p, "\n"))
	}
}

// checkStrengthProgram: every day of the block, the deload included, opens with a main lift in
// 3–6 reps, and the days open with a squat, a hinge and a press.
func checkStrengthProgram(t *testing.T, p science.Program) {
	t.Helper()
	opened := map[string]bool{}
	for _, w := range p.Weeks {
		for _, d := range w.Days {
			first := d.Exercises[0]
			ex, ok := science.LookupExercise(first.ExerciseID)
			if !ok || !slices.Contains(mainLiftPatterns, ex.Pattern) || ex.Mechanic != science.MechanicCompound {
				t.Errorf("week %d %s opens with %s, want a main compound lift", w.Week, d.Label, first.Name)
				continue
			}
			if first.RepMin < mainLiftMinReps || first.RepMax > mainLiftMaxReps {
				t.Errorf("week %d %s: %s in %d–%d reps, want %d–%d", w.Week, d.Label, first.Name, first.RepMin, first.RepMax, mainLiftMinReps, mainLiftMaxReps)
			}
			opened[ex.Pattern] = true
		}
	}
	for _, want := range []string{science.PatternSquat, science.PatternHinge, science.PatternHorizontalPush} {
		if !opened[want] {
			t.Errorf("no day opens with a %s main lift (opened: %v)", want, opened)
		}
	}
}

// checkInjuredProgram: nothing the injuries rule out, nothing contraindicated by them.
func checkInjuredProgram(t *testing.T, p science.Program) {
	t.Helper()
	// The lifter reads why: the program names the injuries, and rear delt
	// work keeps the back of the injured shoulder strong.
	for _, joint := range []string{"shoulder", "elbow", "wrist"} {
		if !strings.Contains(p.Science.Rationale, joint) {
			t.Errorf("the program's rationale does not name the injured %s: %q", joint, p.Science.Rationale)
		}
	}
	rear := false
	for _, d := range p.Weeks[0].Days {
		for _, x := range d.Exercises {
			rear = rear || slices.Contains(x.PrimaryMuscles, "rear_delts")
		}
	}
	if !rear {
		t.Error("no rear delt work for an injured shoulder")
	}
	for _, w := range p.Weeks {
		for _, d := range w.Days {
			for _, x := range d.Exercises {
				if slices.Contains(injuredBanned, x.ExerciseID) {
					t.Errorf("week %d %s has %s for a lifter with injured shoulders, elbows and wrists", w.Week, d.Label, x.Name)
				}
				ex, _ := science.LookupExercise(x.ExerciseID)
				if bad := slices.DeleteFunc(slices.Clone(ex.Contraindications), func(c string) bool { return !slices.Contains([]string{"shoulder", "elbow", "wrist"}, c) }); len(bad) > 0 {
					t.Errorf("week %d %s has %s, contraindicated by %v", w.Week, d.Label, x.Name, bad)
				}
			}
		}
	}
}

// weekScreenshot saves a desktop README picture tall enough to hold the whole selected week, so a
// coach reads every session of it in one picture.
func weekScreenshot(t *testing.T, tab context.Context, name string) {
	t.Helper()
	if os.Getenv("LIFTPLAN_SCREENSHOTS") == "" {
		return
	}
	bottom, err := chromedp.Run(tab, chromedp.Evaluate[float64](`document.querySelector(".week:not(.week-other)").getBoundingClientRect().bottom + window.scrollY`))
	if err != nil {
		t.Fatal(err)
	}
	browsertest.Do(t, tab, 10*time.Second, chromedp.EmulateViewport(desktopWidth, int64(math.Ceil(bottom))+weekShotMargin))
	screenshot(t, tab, name, false)
	browsertest.Do(t, tab, 10*time.Second, chromedp.EmulateViewport(desktopWidth, desktopHeight))
}

// weekShotMargin is the space left under the week in weekScreenshot's picture; desktopHeight is
// the window the other desktop pictures use.
const (
	weekShotMargin = 16
	desktopHeight  = 900
)
