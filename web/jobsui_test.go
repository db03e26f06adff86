package web_test

import (
	"net/http"
	"strings"
	"testing"
)

// TestJobsUIBackLink: River UI's page links back to /admin; its JSON API is left as it is.
func TestJobsUIBackLink(t *testing.T) {
	st := newStack(t, stackOptions{})
	admin, _ := newAdmin(t, st, "admin@example.com")
	r := admin.Get("/admin/jobs/")
	if r.Status != http.StatusOK || !strings.Contains(r.Body, `<a id="liftplan-back" href="/admin">`) {
		t.Fatalf("River UI = %d without the link back to /admin:\n%.400s", r.Status, r.Body)
	}
	if i, j := strings.Index(r.Body, "liftplan-back"), strings.LastIndex(r.Body, "</body>"); i > j {
		t.Errorf("the link is outside <body>")
	}
	api := admin.Get("/admin/jobs/api/jobs?limit=1")
	if api.Status != http.StatusOK || strings.Contains(api.Body, "liftplan-back") || !strings.HasPrefix(strings.TrimSpace(api.Body), "{") {
		t.Errorf("River UI API = %d %.200q, want its JSON untouched", api.Status, api.Body)
	}
}
