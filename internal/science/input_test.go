package science

import (
	"slices"
	"strings"
	"testing"
)

func validInput() Input {
	return Input{Goal: GoalHypertrophy, Experience: LevelIntermediate, DaysPerWeek: 4, SessionMinutes: 60,
		Equipment: []string{"dumbbells"}, Injuries: []string{}, WeakPoints: []string{}}
}

func TestValidateInput(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*Input)
		want   []string // fields with errors
	}{
		{"valid", func(*Input) {}, nil},
		{"bad goal", func(in *Input) { in.Goal = "bulk" }, []string{"goal"}},
		{"bad level", func(in *Input) { in.Experience = "pro" }, []string{"experience"}},
		{"too few days", func(in *Input) { in.DaysPerWeek = 1 }, []string{"days_per_week"}},
		{"too many days", func(in *Input) { in.DaysPerWeek = 7 }, []string{"days_per_week"}},
		{"too short", func(in *Input) { in.SessionMinutes = 20 }, []string{"session_minutes"}},
		{"too long", func(in *Input) { in.SessionMinutes = 121 }, []string{"session_minutes"}},
		{"unknown equipment", func(in *Input) { in.Equipment = []string{"sled"} }, []string{"equipment"}},
		{"unknown injury", func(in *Input) { in.Injuries = []string{"neck"} }, []string{"injuries"}},
		{"unknown muscle", func(in *Input) { in.WeakPoints = []string{"lats"} }, []string{"weak_points"}},
		{"three weak points", func(in *Input) { in.WeakPoints = []string{"chest", "back", "abs"} }, []string{"weak_points"}},
		{"duplicate weak points count once", func(in *Input) { in.WeakPoints = []string{"chest", "chest", "back"} }, nil},
		{"long notes", func(in *Input) { in.Notes = strings.Repeat("é", 501) }, []string{"notes"}},
		{"everything wrong", func(in *Input) { *in = Input{} }, []string{"goal", "experience", "days_per_week", "session_minutes"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := validInput()
			tc.mutate(&in)
			var got []string
			for _, e := range ValidateInput(in) {
				if e.Message == "" {
					t.Errorf("%s: empty message", e.Field)
				}
				got = append(got, e.Field)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("fields = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestNormalize(t *testing.T) {
	in := Input{Goal: " strength ", Equipment: []string{"bench", "barbell", "bench", ""}, Injuries: nil,
		WeakPoints: []string{"glutes", "abs"}, Notes: "  sore knee \n"}
	got := in.Normalize()
	if want := []string{"barbell", "bench"}; !slices.Equal(got.Equipment, want) {
		t.Errorf("equipment = %v, want %v", got.Equipment, want)
	}
	if got.Injuries == nil || len(got.Injuries) != 0 {
		t.Errorf("injuries = %#v, want empty non-nil", got.Injuries)
	}
	if want := []string{"abs", "glutes"}; !slices.Equal(got.WeakPoints, want) {
		t.Errorf("weak points = %v, want %v", got.WeakPoints, want)
	}
	if got.Notes != "sore knee" || got.Goal != "strength" {
		t.Errorf("notes %q goal %q, want trimmed", got.Notes, got.Goal)
	}
	if in.Equipment[0] != "bench" {
		t.Error("Normalize modified its receiver's slice")
	}
}
