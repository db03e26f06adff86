package science

import (
	"regexp"
	"slices"
	"testing"
)

var snakeCase = regexp.MustCompile(`^[a-z][a-z0-9]*(_[a-z0-9]+)*$`)

// TestCatalogueIntegrity checks every entry against the taxonomy.
func TestCatalogueIntegrity(t *testing.T) {
	cat := Catalogue()
	if len(cat) < 120 {
		t.Errorf("catalogue has %d exercises, want at least 120", len(cat))
	}
	ids := map[string]bool{}
	names := map[string]bool{}
	for _, e := range cat {
		if !snakeCase.MatchString(e.ID) {
			t.Errorf("%s: id is not snake_case", e.ID)
		}
		if ids[e.ID] || names[e.Name] {
			t.Errorf("%s: duplicate id or name %q", e.ID, e.Name)
		}
		ids[e.ID], names[e.Name] = true, true
		if !slices.Contains(Patterns, e.Pattern) {
			t.Errorf("%s: unknown pattern %q", e.ID, e.Pattern)
		}
		if e.Mechanic != MechanicCompound && e.Mechanic != MechanicIsolation {
			t.Errorf("%s: mechanic %q", e.ID, e.Mechanic)
		}
		if !slices.Contains(Levels, e.Level) {
			t.Errorf("%s: level %q", e.ID, e.Level)
		}
		if n := len(e.PrimaryMuscles); n < 1 || n > 2 {
			t.Errorf("%s: %d primary muscles, want 1–2", e.ID, n)
		}
		for _, m := range append(slices.Clone(e.PrimaryMuscles), e.SecondaryMuscles...) {
			if !slices.Contains(Muscles, m) {
				t.Errorf("%s: unknown muscle %q", e.ID, m)
			}
		}
		for _, m := range e.SecondaryMuscles {
			if slices.Contains(e.PrimaryMuscles, m) {
				t.Errorf("%s: %s is both primary and secondary", e.ID, m)
			}
		}
		for _, q := range e.Equipment {
			if !slices.Contains(EquipmentKinds, q) {
				t.Errorf("%s: unknown equipment %q", e.ID, q)
			}
		}
		for _, c := range e.Contraindications {
			if !slices.Contains(InjuryKinds, c) {
				t.Errorf("%s: unknown contraindication %q", e.ID, c)
			}
		}
		if e.Equipment == nil || e.SecondaryMuscles == nil || e.Contraindications == nil || e.Substitutes == nil {
			t.Errorf("%s: nil list would marshal as null", e.ID)
		}
		if len(e.Substitutes) == 0 {
			t.Errorf("%s: no substitutes", e.ID)
		}
		for _, id := range e.Substitutes {
			s, ok := LookupExercise(id)
			switch {
			case !ok:
				t.Errorf("%s: substitute %s does not exist", e.ID, id)
			case id == e.ID:
				t.Errorf("%s: lists itself as a substitute", e.ID)
			case s.Pattern != e.Pattern && s.PrimaryMuscles[0] != e.PrimaryMuscles[0]:
				t.Errorf("%s: substitute %s shares neither pattern nor primary muscle", e.ID, id)
			}
		}
	}
}

// TestCatalogueCoverage: every muscle and every equipment kind is used, and
// a bodyweight-only user can train every muscle directly.
func TestCatalogueCoverage(t *testing.T) {
	cat := Catalogue()
	for _, q := range EquipmentKinds {
		if !slices.ContainsFunc(cat, func(e CatalogueExercise) bool { return slices.Contains(e.Equipment, q) }) {
			t.Errorf("no exercise uses %s", q)
		}
	}
	for _, m := range Muscles {
		if !slices.ContainsFunc(cat, func(e CatalogueExercise) bool {
			return len(e.Equipment) == 0 && e.Level == LevelBeginner && slices.Contains(e.PrimaryMuscles, m)
		}) {
			t.Errorf("no beginner bodyweight exercise for %s", m)
		}
	}
	// The big movers must stay trainable at home with every injury the
	// combination test uses.
	for _, injuries := range [][]string{{"knee"}, {"shoulder", "lower_back"}} {
		for _, m := range []string{"chest", "back", "quads", "hamstrings", "glutes"} {
			if !slices.ContainsFunc(cat, func(e CatalogueExercise) bool {
				return e.allowedFor(nil, injuries, LevelBeginner) && slices.Contains(e.PrimaryMuscles, m)
			}) {
				t.Errorf("no bodyweight %s exercise for injuries %v", m, injuries)
			}
		}
	}
}

// TestPinLifts: lifts that can trap you are flagged and never prescribed
// below RIR 1.
func TestPinLifts(t *testing.T) {
	for _, id := range []string{"barbell_back_squat", "barbell_bench_press"} {
		if e, _ := LookupExercise(id); !e.CanPin {
			t.Errorf("%s: CanPin = false, want true", id)
		}
	}
	for _, in := range allCombinations()[:2000] {
		a, _ := Analyze(in)
		for _, w := range Generate(a).Weeks {
			for _, d := range w.Days {
				for _, x := range d.Exercises {
					if e, _ := LookupExercise(x.ExerciseID); e.CanPin && x.TargetRIR < 1 {
						t.Fatalf("%s at RIR %d", x.ExerciseID, x.TargetRIR)
					}
				}
			}
		}
	}
}

func TestLookupExercise(t *testing.T) {
	tests := []struct {
		id   string
		want bool
	}{{"barbell_bench_press", true}, {"push_up", true}, {"moon_press", false}, {"", false}}
	for _, tc := range tests {
		if _, got := LookupExercise(tc.id); got != tc.want {
			t.Errorf("LookupExercise(%q) found = %v, want %v", tc.id, got, tc.want)
		}
	}
}
