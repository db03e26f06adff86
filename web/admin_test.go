package web_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"

	"liftplan/internal/auth"
	"liftplan/internal/programs"
	"liftplan/internal/webtest"
)

// failedPrograms makes n failed programs for distinct users (the generator refuses n times).
func failedPrograms(t *testing.T, st *stack, n int) []int64 {
	t.Helper()
	var ids []int64
	for i := range n {
		b := st.browser()
		b.Signup("failing" + strconv.Itoa(i) + "@example.com")
		b.Get("/programs/new")
		id := b.Submit(webtest.GoodForm())
		waitStatus(b, id, "failed")
		ids = append(ids, id)
	}
	return ids
}

func newAdmin(t *testing.T, st *stack, email string) (*browser, auth.User) {
	t.Helper()
	u, err := auth.NewUsers(st.Pool).Create(context.Background(), auth.NewUser{Email: email, Password: webtest.Password, Role: auth.RoleAdmin})
	if err != nil {
		t.Fatal(err)
	}
	b := st.browser()
	b.Login(email, webtest.Password)
	return b, u
}

func countJobs(t *testing.T, st *stack, programID int64) int {
	t.Helper()
	var n int
	if err := st.Pool.QueryRow(context.Background(), "SELECT count(*) FROM river_job WHERE kind = 'generate_program' AND (args->>'program_id')::bigint = $1", programID).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestAdminRetryOneAndAudit(t *testing.T) {
	gen := &flakyGenerator{failures: 1, permanent: true}
	st := newStack(t, stackOptions{generator: gen})
	ids := failedPrograms(t, st, 1)
	ad, adminUser := newAdmin(t, st, "admin@example.com")
	page := ad.Get("/admin/programs?status=failed")
	if page.Status != http.StatusOK || !strings.Contains(page.Body, "upstream said no") || !strings.Contains(page.Body, "Try again") {
		t.Fatalf("failed list = %d; want the user-facing error and the admin detail", page.Status)
	}
	r := ad.Post("/admin/programs/"+strconv.FormatInt(ids[0], 10)+"/retry", nil, true)
	if r.Status != http.StatusSeeOther {
		t.Fatalf("admin retry = %d", r.Status)
	}
	if flash := ad.Get(r.Header.Get("Location")); !strings.Contains(flash.Body, "is generating again") {
		t.Error("no confirmation after the retry")
	}
	e := waitStatus(ad, ids[0], "completed")
	if e.Attempt != 1 {
		t.Errorf("retried program completed on attempt %d, want 1 (a fresh generation)", e.Attempt)
	}
	var genNo int
	_ = st.Pool.QueryRow(context.Background(), "SELECT generation_no FROM training_programs WHERE id = $1", ids[0]).Scan(&genNo)
	if genNo != 2 {
		t.Errorf("generation_no = %d, want 2", genNo)
	}
	var actor int64
	var action, target string
	if err := st.Pool.QueryRow(context.Background(), "SELECT actor_id, action, target FROM admin_audit").Scan(&actor, &action, &target); err != nil {
		t.Fatalf("audit row: %v", err)
	}
	if actor != adminUser.ID || action != "program.retry" || target != "program:"+strconv.FormatInt(ids[0], 10) {
		t.Errorf("audit = %d %s %s", actor, action, target)
	}
	if home := ad.Get("/admin"); !strings.Contains(home.Body, "program.retry") {
		t.Error("/admin does not list the audit row")
	}
	if r := ad.Post("/admin/programs/"+strconv.FormatInt(ids[0], 10)+"/retry", nil, true); r.Status != http.StatusConflict {
		t.Errorf("retry of a completed program = %d, want 409", r.Status)
	}
}

// TestAdminRetryRace: two admins retry the same program at the same moment; one job results.
func TestAdminRetryRace(t *testing.T) {
	gen := &flakyGenerator{failures: 1, permanent: true}
	st := newStack(t, stackOptions{generator: gen})
	ids := failedPrograms(t, st, 1)
	svc := st.App.Admin
	users := auth.NewUsers(st.Pool)
	var admins []auth.User
	for _, email := range []string{"a1@example.com", "a2@example.com"} {
		u, err := users.Create(context.Background(), auth.NewUser{Email: email, Password: webtest.Password, Role: auth.RoleAdmin})
		if err != nil {
			t.Fatal(err)
		}
		admins = append(admins, u)
	}
	before := countJobs(t, st, ids[0])
	var wg sync.WaitGroup
	errs := make([]error, 2)
	start := make(chan struct{})
	for i := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			errs[i] = svc.RetryProgram(context.Background(), admins[i], ids[0])
		}()
	}
	close(start)
	wg.Wait()
	ok, conflicts := 0, 0
	for _, err := range errs {
		switch {
		case err == nil:
			ok++
		case errors.Is(err, programs.ErrConflict):
			conflicts++
		default:
			t.Fatalf("unexpected error: %v", err)
		}
	}
	if ok != 1 || conflicts != 1 {
		t.Errorf("two simultaneous retries: %d succeeded, %d conflicted; want 1 and 1", ok, conflicts)
	}
	if after := countJobs(t, st, ids[0]); after != before+1 {
		t.Errorf("jobs for the program went from %d to %d, want exactly one new job", before, after)
	}
	var audits int
	_ = st.Pool.QueryRow(context.Background(), "SELECT count(*) FROM admin_audit WHERE action = 'program.retry'").Scan(&audits)
	if audits != 1 {
		t.Errorf("%d audit rows, want 1 (the losing retry changed nothing)", audits)
	}
}

func TestAdminRetryAll(t *testing.T) {
	gen := &flakyGenerator{failures: 3, permanent: true}
	st := newStack(t, stackOptions{generator: gen})
	ids := failedPrograms(t, st, 3)
	ad, _ := newAdmin(t, st, "admin@example.com")
	ad.Get("/admin/programs?status=failed")
	r := ad.Post("/admin/programs/retry-failed", nil, true)
	if r.Status != http.StatusSeeOther {
		t.Fatalf("retry all = %d", r.Status)
	}
	if page := ad.Get(r.Header.Get("Location")); !strings.Contains(page.Body, "Retried 3 failed programs.") {
		t.Errorf("retry all did not report the count")
	}
	for _, id := range ids {
		waitStatus(ad, id, "completed")
	}
	var detail []byte
	if err := st.Pool.QueryRow(context.Background(), "SELECT detail FROM admin_audit WHERE action = 'program.retry_all'").Scan(&detail); err != nil {
		t.Fatal(err)
	}
	var d struct {
		Count int `json:"count"`
	}
	_ = json.Unmarshal(detail, &d)
	if d.Count != 3 {
		t.Errorf("audit detail %s, want count 3", detail)
	}
	// Nothing failed any more: a second click retries nothing and says so.
	r = ad.Post("/admin/programs/retry-failed", nil, true)
	if page := ad.Get(r.Header.Get("Location")); !strings.Contains(page.Body, "Retried 0 failed programs.") {
		t.Errorf("second retry all did not report 0")
	}
}

func TestAdminUsers(t *testing.T) {
	st := newStack(t, stackOptions{})
	ctx := context.Background()
	users := auth.NewUsers(st.Pool)
	coach, _ := users.Create(ctx, auth.NewUser{Email: "coach@example.com", Password: webtest.Password, Role: auth.RoleCoach})
	member, _ := users.Create(ctx, auth.NewUser{Email: "member@example.com", Password: webtest.Password})
	ad, adminUser := newAdmin(t, st, "admin@example.com")
	memberBrowser := st.browser()
	memberBrowser.Login("member@example.com", webtest.Password)
	if r := memberBrowser.Get("/coach"); r.Status != http.StatusForbidden {
		t.Fatalf("member on /coach = %d before promotion", r.Status)
	}

	if r := ad.Get("/admin/users?q=MEMBER"); r.Status != http.StatusOK || !strings.Contains(r.Body, "member@example.com") || strings.Contains(r.Body, "coach@example.com</td>") {
		t.Errorf("search by email = %d", r.Status)
	}
	path := "/admin/users/" + strconv.FormatInt(member.ID, 10)
	r := ad.Post(path, map[string][]string{"role": {"coach"}, "coach_id": {strconv.FormatInt(coach.ID, 10)}, "has_paid_access": {"true"}}, true)
	if r.Status != http.StatusSeeOther {
		t.Fatalf("update = %d: %.300s", r.Status, r.Body)
	}
	u, _ := users.Get(ctx, member.ID)
	if u.Role != auth.RoleCoach || u.CoachID == nil || *u.CoachID != coach.ID || !u.HasPaidAccess {
		t.Errorf("after update: %+v", u)
	}
	// The role change takes effect at once for the signed-in member (roles are read per request).
	if r := memberBrowser.Get("/coach"); r.Status != http.StatusOK {
		t.Errorf("promoted member on /coach = %d, want 200 without signing in again", r.Status)
	}
	// A coach demoted to user loses the clients' programs at once, not only the /coach pages.
	ad.Get("/admin/users")
	if _, err := users.Create(ctx, auth.NewUser{Email: "client2@example.com", Password: webtest.Password, CoachEmail: "member@example.com"}); err != nil {
		t.Fatal(err)
	}
	cb := st.browser()
	cb.Login("client2@example.com", webtest.Password)
	cb.Get("/programs/new")
	pid := cb.Submit(webtest.GoodForm())
	waitStatus(cb, pid, "completed")
	progPath := "/programs/" + strconv.FormatInt(pid, 10)
	if r := memberBrowser.Get(progPath); r.Status != http.StatusOK {
		t.Fatalf("coach on the client's program = %d, want 200", r.Status)
	}
	if r := ad.Post(path, map[string][]string{"role": {"user"}}, true); r.Status != http.StatusSeeOther {
		t.Fatalf("demote = %d", r.Status)
	}
	for _, p := range []string{progPath, progPath + "/export.json", progPath + "/status"} {
		if r := memberBrowser.Get(p); r.Status != http.StatusNotFound {
			t.Errorf("demoted coach: %s = %d, want 404", p, r.Status)
		}
	}
	ad.Get("/admin/users")
	if r := ad.Post(path, map[string][]string{"role": {"coach"}}, true); r.Status != http.StatusSeeOther {
		t.Fatalf("re-promote = %d", r.Status)
	}
	// Remove the coach and the paid access; the role stays as it was (field left out).
	ad.Get("/admin/users")
	if r := ad.Post(path, map[string][]string{"coach_id": {""}, "has_paid_access": {"false"}}, true); r.Status != http.StatusSeeOther {
		t.Fatalf("second update = %d", r.Status)
	}
	u, _ = users.Get(ctx, member.ID)
	if u.CoachID != nil || u.HasPaidAccess || u.Role != auth.RoleCoach {
		t.Errorf("after removing coach and paid access: %+v", u)
	}
	bad := []map[string][]string{
		{"role": {"emperor"}},
		{"coach_id": {"not-a-number"}},
		{"coach_id": {strconv.FormatInt(member.ID, 10)}},         // own coach
		{"coach_id": {strconv.FormatInt(adminUser.ID+1000, 10)}}, // no such account
		{"has_paid_access": {"maybe"}},
	}
	for _, form := range bad {
		ad.Get("/admin/users")
		if r := ad.Post(path, form, true); r.Status != http.StatusUnprocessableEntity {
			t.Errorf("update with %v = %d, want 422", form, r.Status)
		}
	}
	ad.Get("/admin/users")
	if r := ad.Post("/admin/users/"+strconv.FormatInt(adminUser.ID, 10), map[string][]string{"role": {"user"}}, true); r.Status != http.StatusUnprocessableEntity {
		t.Errorf("admin demoting themselves = %d, want 422", r.Status)
	}
	if r := ad.Post("/admin/users/999999", map[string][]string{"role": {"user"}}, true); r.Status != http.StatusNotFound {
		t.Errorf("unknown user = %d, want 404", r.Status)
	}
	var audits int
	_ = st.Pool.QueryRow(ctx, "SELECT count(*) FROM admin_audit WHERE action = 'user.update'").Scan(&audits)
	if audits != 4 {
		t.Errorf("%d user.update audit rows, want 4 (rejected changes are not recorded)", audits)
	}
}

// TestJobsUI: River UI is mounted for admins, and its JSON API takes same-origin calls only.
func TestJobsUI(t *testing.T) {
	st := newStack(t, stackOptions{})
	ad, _ := newAdmin(t, st, "admin@example.com")
	req, _ := http.NewRequest(http.MethodGet, st.URL+"/admin/jobs/", nil)
	req.Header.Set("Accept", "text/html")
	if r := ad.Do(req); r.Status != http.StatusOK || !strings.Contains(r.Body, "config__json") {
		t.Errorf("River UI index = %d", r.Status)
	}
	api := func(site string) int {
		req, _ := http.NewRequest(http.MethodPost, st.URL+"/admin/jobs/api/jobs/retry", strings.NewReader(`{"ids":[1]}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Sec-Fetch-Site", site)
		return ad.Do(req).Status
	}
	if got := api("same-origin"); got == http.StatusForbidden || got >= 500 {
		t.Errorf("same-origin River UI API call = %d, want it served", got)
	}
	if got := api("cross-site"); got != http.StatusForbidden {
		t.Errorf("cross-site River UI API call = %d, want 403", got)
	}
}
