package web

import (
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"liftplan/internal/science"
	pview "liftplan/views/programs"
)

// bodyweight is the equipment filter's value for exercises that need nothing.
const bodyweight = "bodyweight"

// exercisesPage is the catalogue with search (?q= in the name) and filters (?muscle=,
// ?equipment=, ?pattern=); an unknown filter value is a 422 naming the filter.
func (s *Server) exercisesPage(c echo.Context) error {
	cat := science.Catalogue()
	f := pview.CatalogueFilter{Query: strings.TrimSpace(c.QueryParam("q")), Muscle: c.QueryParam("muscle"),
		Equipment: c.QueryParam("equipment"), Pattern: c.QueryParam("pattern"), Total: len(cat),
		Muscles: choices(science.Muscles, nil), EquipmentKinds: append(choices(science.EquipmentKinds, equipmentLabels),
			pview.Choice{Value: bodyweight, Label: "Bodyweight only"}), Patterns: patternChoices(cat)}
	status := http.StatusOK
	if msg := catalogueFilterError(f); msg != "" {
		f.Error, status = msg, http.StatusUnprocessableEntity
	}
	p, err := s.page(c, "Exercises", false)
	if err != nil {
		return err
	}
	var rows []pview.ExerciseRow
	if status == http.StatusOK {
		rows = exerciseRows(cat, f)
	}
	return render(c, status, pview.Exercises(p, f, rows), nil)
}

func patternChoices(cat []science.CatalogueExercise) []pview.Choice {
	var ps []string
	for _, e := range cat {
		if !slices.Contains(ps, e.Pattern) {
			ps = append(ps, e.Pattern)
		}
	}
	slices.Sort(ps)
	return choices(ps, nil)
}

// catalogueFilterError names the first filter whose value is not one of its choices.
func catalogueFilterError(f pview.CatalogueFilter) string {
	for _, fl := range []struct {
		name, value string
		opts        []pview.Choice
	}{{"muscle", f.Muscle, f.Muscles}, {"equipment", f.Equipment, f.EquipmentKinds}, {"pattern", f.Pattern, f.Patterns}} {
		if fl.value != "" && !slices.ContainsFunc(fl.opts, func(o pview.Choice) bool { return o.Value == fl.value }) {
			return fmt.Sprintf("%s: %q is not in the catalogue; pick one from the list.", fl.name, fl.value)
		}
	}
	return ""
}

// catalogueMatch reports whether a catalogue entry passes the search and every filter.
func catalogueMatch(e science.CatalogueExercise, f pview.CatalogueFilter) bool {
	if f.Query != "" && !strings.Contains(strings.ToLower(e.Name), strings.ToLower(f.Query)) &&
		!strings.Contains(e.ID, strings.ToLower(strings.ReplaceAll(f.Query, " ", "_"))) {
		return false
	}
	if f.Muscle != "" && !slices.Contains(e.PrimaryMuscles, f.Muscle) && !slices.Contains(e.SecondaryMuscles, f.Muscle) {
		return false
	}
	switch {
	case f.Equipment == bodyweight && len(e.Equipment) > 0:
		return false
	case f.Equipment != "" && f.Equipment != bodyweight && !slices.Contains(e.Equipment, f.Equipment):
		return false
	}
	return f.Pattern == "" || e.Pattern == f.Pattern
}

func exerciseRows(cat []science.CatalogueExercise, f pview.CatalogueFilter) []pview.ExerciseRow {
	names := map[string]string{}
	for _, e := range cat {
		names[e.ID] = e.Name
	}
	var out []pview.ExerciseRow
	for _, e := range cat {
		if !catalogueMatch(e, f) {
			continue
		}
		eq := "Bodyweight"
		if len(e.Equipment) > 0 {
			var names []string
			for _, k := range e.Equipment {
				names = append(names, equipmentLabels[k])
			}
			eq = strings.Join(names, ", ")
		}
		row := pview.ExerciseRow{ID: e.ID, Name: e.Name, Pattern: pview.Label(strings.ReplaceAll(e.Pattern, "_", " ")), Mechanic: e.Mechanic,
			Level: pview.Label(e.Level), Equipment: eq, Primary: pview.Label(strings.Join(labels(e.PrimaryMuscles), ", ")),
			Secondary: strings.Join(labels(e.SecondaryMuscles), ", "), Contraindications: pview.Label(strings.Join(labels(e.Contraindications), ", "))}
		for _, id := range e.Substitutes {
			row.Substitutes = append(row.Substitutes, pview.Choice{Value: id, Label: names[id]})
		}
		out = append(out, row)
	}
	return out
}
