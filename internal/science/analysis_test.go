package science

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func TestLandmarksLevelAdjustment(t *testing.T) {
	tests := []struct {
		muscle, level string
		freq          int
		want          Landmarks
	}{
		{"chest", LevelIntermediate, 2, Landmarks{4, 6, 12, 20, 20}},
		{"chest", LevelIntermediate, 3, Landmarks{4, 6, 12, 20, 25}},
		{"chest", LevelBeginner, 2, Landmarks{2, 4, 8, 14, 14}},    // ×0.6, ×0.7, capped at 14
		{"chest", LevelAdvanced, 4, Landmarks{4, 8, 12, 20, 30}},   // MEV + 2
		{"abs", LevelIntermediate, 2, Landmarks{0, 0, 10, 10, 10}}, // MAV clamped to MRV
		{"hamstrings", LevelIntermediate, 6, Landmarks{3, 4, 10, 16, 18}},
		{"forearms", LevelAdvanced, 2, Landmarks{0, 4, 4, 8, 15}},
		{"quads", LevelIntermediate, 1, Landmarks{6, 8, 12, 18, 18}}, // once a week priced as 2×
	}
	for _, tc := range tests {
		if got := landmarksFor(muscleIndex(tc.muscle), tc.level, tc.freq); got != tc.want {
			t.Errorf("landmarksFor(%s, %s, %d) = %+v, want %+v", tc.muscle, tc.level, tc.freq, got, tc.want)
		}
	}
}

func TestAnalyze(t *testing.T) {
	tests := []struct {
		name       string
		in         Input
		weeks      int
		split      string
		emphasized []string
	}{
		{"free 2 days", Input{Goal: GoalHypertrophy, Experience: LevelIntermediate, DaysPerWeek: 2, SessionMinutes: 60}, 4, "full_body", []string{}},
		{"paid 3 days", Input{Goal: GoalStrength, Experience: LevelAdvanced, DaysPerWeek: 3, SessionMinutes: 90, HasPaidAccess: true, WeakPoints: []string{"back"}}, 6, "full_body", []string{"back"}},
		{"4 days, two weak points", Input{Goal: GoalHypertrophy, Experience: LevelIntermediate, DaysPerWeek: 4, SessionMinutes: 90, Equipment: EquipmentKinds, WeakPoints: []string{"side_delts", "chest"}}, 4, "upper_lower", []string{"chest", "side_delts"}},
		{"beginners do not specialise", Input{Goal: GoalHypertrophy, Experience: LevelBeginner, DaysPerWeek: 5, SessionMinutes: 60, WeakPoints: []string{"biceps"}}, 4, "upper_lower_ppl", []string{}},
		{"6 days", Input{Goal: GoalGeneralFitness, Experience: LevelIntermediate, DaysPerWeek: 6, SessionMinutes: 45}, 4, "ppl", []string{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a, err := Analyze(tc.in)
			if err != nil {
				t.Fatal(err)
			}
			if a.Weeks != tc.weeks || a.DeloadWeek != tc.weeks || len(a.WeekRIR) != tc.weeks {
				t.Errorf("weeks %d deload %d rir %v, want %d", a.Weeks, a.DeloadWeek, a.WeekRIR, tc.weeks)
			}
			if a.Split.Type != tc.split || len(a.Split.Days) != tc.in.DaysPerWeek {
				t.Errorf("split %s with %d days, want %s with %d", a.Split.Type, len(a.Split.Days), tc.split, tc.in.DaysPerWeek)
			}
			if got, _ := json.Marshal(a.Emphasized); string(got) != mustJSON(tc.emphasized) {
				t.Errorf("emphasized = %s, want %v", got, tc.emphasized)
			}
			if a.WeekRIR[0] != 3 || a.WeekRIR[a.Weeks-2] != 1 || a.WeekRIR[a.Weeks-1] != 4 {
				t.Errorf("RIR schedule %v, want 3 … 1 then 4", a.WeekRIR)
			}
			if len(a.Muscles) != len(Muscles) || len(a.AllowedExercises) == 0 {
				t.Errorf("%d muscle plans, %d allowed exercises", len(a.Muscles), len(a.AllowedExercises))
			}
			for _, m := range a.Muscles {
				if m.Floor > m.PeakFloor || len(m.Targets) != a.Weeks {
					t.Errorf("%s: floor %d peak floor %d targets %v", m.Muscle, m.Floor, m.PeakFloor, m.Targets)
				}
			}
		})
	}
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func TestAnalyzeRejectsInvalidInput(t *testing.T) {
	if _, err := Analyze(Input{Goal: "x"}); !errors.Is(err, ErrInvalidInput) {
		t.Errorf("err = %v, want ErrInvalidInput", err)
	}
}

// TestGenerateIsDeterministic: same input, byte-identical program, also
// through an analysis that went through JSON (as the worker may store it).
func TestGenerateIsDeterministic(t *testing.T) {
	in := Input{Goal: GoalStrength, Experience: LevelAdvanced, DaysPerWeek: 5, SessionMinutes: 75,
		Equipment: []string{"barbell", "bench", "dumbbells"}, Injuries: []string{"shoulder"}, WeakPoints: []string{"hamstrings"}}
	a1, _ := Analyze(in)
	a2, _ := Analyze(in)
	var decoded Analysis
	json.Unmarshal([]byte(mustJSON(a1)), &decoded)
	p1, p2, p3 := mustJSON(Generate(a1)), mustJSON(Generate(a2)), mustJSON(Generate(decoded))
	if p1 != p2 || p1 != p3 {
		t.Error("Generate is not deterministic")
	}
}

// TestTinyBudgetSaysSo: two 30-minute sessions cannot fund every muscle; the
// program stays valid and its warnings name the muscles left to compounds.
func TestTinyBudgetSaysSo(t *testing.T) {
	a, _ := Analyze(Input{Goal: GoalHypertrophy, Experience: LevelIntermediate, DaysPerWeek: 2, SessionMinutes: 30})
	p := Generate(a)
	if fs := Validate(a, p); HasErrors(fs) {
		t.Fatalf("errors: %v", fs)
	}
	indirect := 0
	for _, m := range a.Muscles {
		if m.Indirect {
			indirect++
		}
		if isBigMuscle(muscleIndex(m.Muscle)) && m.Indirect {
			t.Errorf("%s fell back to indirect coverage; big muscles keep MV", m.Muscle)
		}
	}
	if indirect == 0 {
		t.Error("no muscle fell back to indirect coverage")
	}
	all := strings.Join(p.Science.Warnings, " ")
	for _, m := range a.Muscles {
		// Muscles left to compounds by design are named in the rationale.
		said := strings.ToLower(all + " " + p.Science.Rationale)
		if m.Indirect && !strings.Contains(said, strings.ReplaceAll(m.Muscle, "_", " ")) {
			t.Errorf("no warning names %s; warnings %v", m.Muscle, p.Science.Warnings)
		}
	}
	if !strings.Contains(all, "Time is short") {
		t.Errorf("warnings %v do not say the time is short", p.Science.Warnings)
	}
	for _, d := range p.Weeks[0].Days {
		if float64(dayMinutes(d.Exercises)) > a.MaxDayMinutes {
			t.Errorf("%s takes %.1f min", d.Label, dayMinutes(d.Exercises))
		}
	}
}

// TestEmphasisComesFirst: an emphasized muscle opens at least one session.
func TestEmphasisComesFirst(t *testing.T) {
	a, _ := Analyze(Input{Goal: GoalHypertrophy, Experience: LevelIntermediate, DaysPerWeek: 4, SessionMinutes: 90,
		Equipment: EquipmentKinds, WeakPoints: []string{"side_delts"}})
	p := Generate(a)
	first := false
	for _, d := range p.Weeks[0].Days {
		if d.Exercises[0].PrimaryMuscles[0] == "side_delts" {
			first = true
		}
	}
	if !first {
		t.Error("side delts never open a session")
	}
}

// TestEnhanceAdaptsForeignProgram: a full-gym program checked against a
// bodyweight user with a knee injury is swapped into a valid one.
func TestEnhanceAdaptsForeignProgram(t *testing.T) {
	gym := Input{Goal: GoalHypertrophy, Experience: LevelIntermediate, DaysPerWeek: 3, SessionMinutes: 60, Equipment: EquipmentKinds}
	home := gym
	home.Equipment, home.Injuries = []string{}, []string{"knee"}
	ga, _ := Analyze(gym)
	ha, _ := Analyze(home)
	fixed, fixes, remaining := enhance3(ha, Generate(ga))
	if HasErrors(remaining) {
		for _, f := range remaining {
			t.Logf("%s %s", f.Rule, f.Message)
		}
		t.Error("Enhance left errors")
	}
	if !ruleIDs(fixes)[RuleEquipment] || len(fixed.Science.Fixes) == 0 {
		t.Errorf("fixes %v, want equipment swaps recorded", ruleIDs(fixes))
	}
}
