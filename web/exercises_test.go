package web_test

import (
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"liftplan/internal/science"
	"liftplan/internal/webtest"
)

var catalogueEntry = regexp.MustCompile(`<li class="card" id="([a-z0-9_]+)">`)

// TestExerciseCatalogueFilters: search and each filter narrow the list to entries that match;
// an unknown filter value is a 422 that names the filter.
func TestExerciseCatalogueFilters(t *testing.T) {
	st := newStack(t, stackOptions{})
	b := st.browser()
	b.Signup("lifter@example.com")
	all := entries(t, b, "/exercises")
	if len(all) != len(science.Catalogue()) {
		t.Fatalf("unfiltered: %d entries, want the whole catalogue (%d)", len(all), len(science.Catalogue()))
	}
	byID := map[string]science.CatalogueExercise{}
	for _, e := range science.Catalogue() {
		byID[e.ID] = e
	}
	for _, tt := range []struct {
		query string
		keep  func(science.CatalogueExercise) bool
	}{
		{"?q=row", func(e science.CatalogueExercise) bool { return strings.Contains(strings.ToLower(e.Name), "row") }},
		{"?muscle=hamstrings", func(e science.CatalogueExercise) bool {
			return slices.Contains(e.PrimaryMuscles, "hamstrings") || slices.Contains(e.SecondaryMuscles, "hamstrings")
		}},
		{"?equipment=bodyweight", func(e science.CatalogueExercise) bool { return len(e.Equipment) == 0 }},
		{"?equipment=kettlebells&pattern=hinge", func(e science.CatalogueExercise) bool {
			return slices.Contains(e.Equipment, "kettlebells") && e.Pattern == "hinge"
		}},
	} {
		got := entries(t, b, "/exercises"+tt.query)
		want := 0
		for _, e := range science.Catalogue() {
			if tt.keep(e) {
				want++
			}
		}
		if len(got) != want || want == 0 {
			t.Errorf("%s: %d entries, want %d", tt.query, len(got), want)
		}
		for _, id := range got {
			if !tt.keep(byID[id]) {
				t.Errorf("%s lists %s, which does not match", tt.query, id)
			}
		}
	}
	for _, bad := range []string{"?muscle=wings", "?equipment=sofa", "?pattern=dance"} {
		r := b.Get("/exercises" + bad)
		name := strings.TrimPrefix(strings.SplitN(bad, "=", 2)[0], "?")
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, name+":") {
			t.Errorf("%s = %d, want 422 naming %s", bad, r.Status, name)
		}
	}
}

func entries(t *testing.T, b *webtest.Client, path string) []string {
	t.Helper()
	r := b.Get(path)
	if r.Status != http.StatusOK {
		t.Fatalf("%s = %d", path, r.Status)
	}
	var ids []string
	for _, m := range catalogueEntry.FindAllStringSubmatch(r.Body, -1) {
		ids = append(ids, m[1])
	}
	return ids
}
