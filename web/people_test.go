package web_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"liftplan/internal/auth"
	"liftplan/internal/webtest"
)

func TestCoachAndAdminAreas(t *testing.T) {
	st := newStack(t, stackOptions{})
	ctx := context.Background()
	users := auth.NewUsers(st.Pool)
	for _, n := range []auth.NewUser{
		{Email: "coach@example.com", Password: webtest.Password, Role: auth.RoleCoach},
		{Email: "othercoach@example.com", Password: webtest.Password, Role: auth.RoleCoach},
		{Email: "admin@example.com", Password: webtest.Password, Role: auth.RoleAdmin},
	} {
		if _, err := users.Create(ctx, n); err != nil {
			t.Fatal(err)
		}
	}
	client, err := users.Create(ctx, auth.NewUser{Email: "client@example.com", Password: webtest.Password, CoachEmail: "coach@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	cl := st.browser()
	cl.Login("client@example.com", webtest.Password)
	cl.Get("/programs/new")
	id := cl.Submit(webtest.GoodForm())
	waitStatus(cl, id, "completed")
	prog := "/programs/" + strconv.FormatInt(id, 10)
	clientPage := "/coach/clients/" + strconv.FormatInt(client.ID, 10)

	co := st.browser()
	co.Login("coach@example.com", webtest.Password)
	if r := co.Get("/coach"); r.Status != http.StatusOK || !strings.Contains(r.Body, "client@example.com") || !strings.Contains(r.Body, prog) {
		t.Errorf("/coach = %d, want the client with the latest program", r.Status)
	}
	if r := co.Get(clientPage); r.Status != http.StatusOK || !strings.Contains(r.Body, prog) {
		t.Errorf("coach's client history = %d", r.Status)
	}
	if r := co.Get(prog); r.Status != http.StatusOK || strings.Contains(r.Body, `id="regenerate"`) || !strings.Contains(r.Body, "read-only") {
		t.Errorf("coach on the client's program = %d; want 200, read-only, no Regenerate", r.Status)
	}
	if r := co.Post(prog+"/regenerate", nil, true); r.Status != http.StatusForbidden {
		t.Errorf("coach regenerate = %d, want 403", r.Status)
	}
	other := st.browser()
	other.Login("othercoach@example.com", webtest.Password)
	for _, p := range []string{clientPage, prog} {
		if r := other.Get(p); r.Status != http.StatusNotFound {
			t.Errorf("another coach: %s = %d, want 404", p, r.Status)
		}
	}
	for _, p := range []string{"/admin", "/admin/programs?status=failed"} {
		if r := co.Get(p); r.Status != http.StatusForbidden {
			t.Errorf("coach on %s = %d, want 403", p, r.Status)
		}
		if r := cl.Get(p); r.Status != http.StatusForbidden {
			t.Errorf("user on %s = %d, want 403", p, r.Status)
		}
	}
	if r := cl.Get("/coach"); r.Status != http.StatusForbidden {
		t.Errorf("user on /coach = %d, want 403", r.Status)
	}
	ad := st.browser()
	ad.Login("admin@example.com", webtest.Password)
	if r := ad.Get("/admin"); r.Status != http.StatusOK || !strings.Contains(r.Body, `data-count="completed"`) {
		t.Errorf("/admin = %d", r.Status)
	}
	if r := ad.Get("/admin/programs?status=completed"); r.Status != http.StatusOK || !strings.Contains(r.Body, prog) {
		t.Errorf("/admin/programs?status=completed = %d, want the program listed", r.Status)
	}
	if r := ad.Get("/admin/programs?status=bogus"); r.Status != http.StatusBadRequest {
		t.Errorf("bad status filter = %d, want 400", r.Status)
	}
	if r := ad.Get(prog); r.Status != http.StatusOK {
		t.Errorf("admin on a user's program = %d", r.Status)
	}
}
