package science

import (
	"regexp"
	"slices"
	"strings"
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

// TestContraindicationsByJointStress: the same stress carries the same tag
// across the catalogue, and DOMAIN.md's clinician examples are excluded.
func TestContraindicationsByJointStress(t *testing.T) {
	must := func(id string, tags ...string) {
		t.Helper()
		e, ok := LookupExercise(id)
		if !ok {
			t.Errorf("%s: not in the catalogue", id)
			return
		}
		for _, tag := range tags {
			if !slices.Contains(e.Contraindications, tag) {
				t.Errorf("%s: missing %s tag (has %v)", id, tag, e.Contraindications)
			}
		}
	}
	for _, e := range Catalogue() {
		switch {
		case e.Pattern == PatternLunge:
			must(e.ID, "knee", "hip")
		case e.Pattern == PatternVerticalPush && e.ID != "landmine_press":
			must(e.ID, "shoulder")
		case e.Pattern == PatternHorizontalPush && len(e.Equipment) == 0:
			must(e.ID, "wrist") // palms flat on the floor
		case e.Pattern == PatternVerticalPull && !strings.HasPrefix(e.ID, "neutral_grip"):
			must(e.ID, "shoulder") // arms overhead, hands wide or turned forward
		case e.Pattern == PatternElbowExtension && strings.Contains(e.ID, "overhead"):
			must(e.ID, "elbow", "shoulder")
		case e.Pattern == PatternSquat && e.isLoaded() && e.ID != "leg_press" && !strings.HasSuffix(e.ID, "box_squat") && !slices.Contains(e.Equipment, "bands"):
			// A squat to a high box stops above parallel: not deep flexion.
			must(e.ID, "knee", "hip")
		}
		if strings.Contains(e.ID, "skull_crusher") || strings.Contains(e.ID, "reverse_curl") {
			must(e.ID, "elbow")
		}
		if strings.Contains(e.ID, "wrist_curl") {
			must(e.ID, "wrist")
		}
	}
	// A bar across the back holds the shoulders in external rotation and
	// loads the wrists and elbows through the grip, whatever the legs do.
	for _, id := range barOnBack {
		must(id, "shoulder", "elbow", "wrist")
	}
	// Deep-stretch and braced curls load the elbow at full extension.
	for _, id := range []string{"incline_dumbbell_curl", "bayesian_cable_curl", "machine_preacher_curl"} {
		must(id, "elbow")
	}
	// What a clinician keeps: neutral-grip pulling, supported rows, landmine
	// and machine pressing, face pulls, hammer curls and pushdowns.
	for inj, ids := range map[string][]string{
		"shoulder": {"neutral_grip_lat_pulldown", "chest_supported_dumbbell_row", "machine_row", "landmine_press", "machine_chest_press", "cable_face_pull", "reverse_pec_deck"},
		"elbow":    {"hammer_curl", "cable_curl", "cable_triceps_pushdown"},
		"wrist":    {"hack_squat", "leg_press", "dumbbell_box_squat", "machine_chest_press"},
	} {
		for _, id := range ids {
			if e, _ := LookupExercise(id); slices.Contains(e.Contraindications, inj) {
				t.Errorf("%s: tagged %s, but it is what a clinician keeps for that injury", id, inj)
			}
		}
	}
	// DOMAIN.md's examples a clinician would not hand out.
	must("bench_dip", "shoulder")
	must("barbell_upright_row", "shoulder")
	must("barbell_overhead_press", "shoulder")
	must("barbell_bench_press", "shoulder")
	must("close_grip_bench_press", "elbow")
	must("chin_up", "elbow")
	must("barbell_curl", "wrist")
	must("barbell_front_squat", "wrist")
	must("pistol_squat", "knee")
	must("sissy_squat", "knee")
	must("good_morning", "lower_back")
	must("barbell_back_squat", "lower_back", "hip")
	must("barbell_deadlift", "lower_back")
	must("barbell_bent_over_row", "lower_back")
	must("cable_crunch", "lower_back")
}

// barOnBack are the catalogue's lifts with a bar held across the upper back.
var barOnBack = []string{"barbell_back_squat", "barbell_pause_squat", "smith_machine_squat", "barbell_box_squat",
	"barbell_reverse_lunge", "good_morning", "barbell_calf_raise"}

// TestBarOnBackIsComplete: every barbell or Smith lift of the legs is either
// a bar-on-back lift above, or holds the bar in the hands or on the hips.
func TestBarOnBackIsComplete(t *testing.T) {
	inHands := []string{"barbell_front_squat", "barbell_front_box_squat", "barbell_romanian_deadlift", "barbell_deadlift", "barbell_hip_thrust", "landmine_press"}
	for _, e := range Catalogue() {
		legs := slices.Contains([]string{PatternSquat, PatternLunge, PatternHinge, PatternCalfRaise}, e.Pattern)
		bar := slices.Contains(e.Equipment, "barbell") || strings.HasPrefix(e.ID, "smith")
		if legs && bar && !slices.Contains(barOnBack, e.ID) && !slices.Contains(inHands, e.ID) {
			t.Errorf("%s: a barbell leg lift neither on the back nor in the hands; classify it", e.ID)
		}
	}
}

// TestSubstitutesKeepPatternAndMuscle: a substitute keeps the pattern and
// the first primary muscle; only an exercise alone in its pattern falls back
// to the same muscle and mechanic. Lists run best quality first.
func TestSubstitutesKeepPatternAndMuscle(t *testing.T) {
	for _, e := range Catalogue() {
		samePattern := 0
		for _, o := range Catalogue() {
			if o.ID != e.ID && o.Pattern == e.Pattern && o.PrimaryMuscles[0] == e.PrimaryMuscles[0] {
				samePattern++
			}
		}
		prev := -1
		for _, id := range e.Substitutes {
			s, _ := LookupExercise(id)
			if s.PrimaryMuscles[0] != e.PrimaryMuscles[0] {
				t.Errorf("%s: substitute %s trains %s, not %s", e.ID, id, s.PrimaryMuscles[0], e.PrimaryMuscles[0])
			}
			if samePattern > 0 && s.Pattern != e.Pattern {
				t.Errorf("%s: substitute %s changes pattern %s → %s", e.ID, id, e.Pattern, s.Pattern)
			}
			if s.Quality < prev {
				t.Errorf("%s: substitutes not in quality order at %s", e.ID, id)
			}
			prev = s.Quality
		}
	}
}

// TestHoldsAndQuality: holds are prescribed in seconds within 10–90, and
// improvised variants rank below what a gym offers.
func TestHoldsAndQuality(t *testing.T) {
	for _, id := range []string{"plank", "side_plank", "wall_sit", "dead_hang", "hollow_body_hold"} {
		e, _ := LookupExercise(id)
		lo, hi := repsFor(&e, GoalHypertrophy, roleIsolation)
		if !e.Hold || e.unit() != UnitSeconds || lo < MinHoldSeconds || hi > MaxHoldSeconds {
			t.Errorf("%s: hold %v unit %s %d–%d s", id, e.Hold, e.unit(), lo, hi)
		}
	}
	a, err := Analyze(Input{Goal: GoalHypertrophy, Experience: LevelIntermediate, DaysPerWeek: 4, SessionMinutes: 60, Equipment: EquipmentKinds})
	if err != nil {
		t.Fatal(err)
	}
	cat := catalogue().list
	for m := range numMuscles {
		if first := &cat[a.byMuscle[m][0]]; first.Quality != tierLoadable {
			t.Errorf("%s: first choice with a full gym is %s (tier %d)", Muscles[m], first.ID, first.Quality)
		}
	}
	towel, _ := LookupExercise("floor_towel_lat_pull")
	pulldown, _ := LookupExercise("lat_pulldown")
	if towel.Quality <= pulldown.Quality {
		t.Errorf("towel lat pull ranks %d, lat pulldown %d", towel.Quality, pulldown.Quality)
	}
}
