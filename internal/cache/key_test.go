package cache

import (
	"strings"
	"testing"

	"liftplan/internal/science"
)

func baseInput() science.Input {
	return science.Input{
		Goal: "hypertrophy", Experience: "intermediate", DaysPerWeek: 4, SessionMinutes: 60,
		Equipment: []string{"barbell", "dumbbells", "bench"}, Injuries: []string{"knee", "shoulder"},
		WeakPoints: []string{"chest", "back"}, Notes: "likes mornings",
	}
}

func TestKeyStableUnderOrder(t *testing.T) {
	a := baseInput()
	b := baseInput()
	b.Equipment = []string{"bench", "barbell", "dumbbells", "barbell"}
	b.Injuries = []string{"shoulder", "knee"}
	b.WeakPoints = []string{"back", "chest"}
	b.Notes = "  likes mornings \n"
	if ka, kb := Key(7, a, "v1"), Key(7, b, "v1"); ka != kb {
		t.Errorf("reordered multi-selects changed the key:\n%s\n%s", ka, kb)
	}
}

func TestKeyChangesWithEveryAnswer(t *testing.T) {
	base := Key(7, baseInput(), "v1")
	changes := map[string]func(*science.Input){
		"goal":            func(in *science.Input) { in.Goal = "strength" },
		"experience":      func(in *science.Input) { in.Experience = "advanced" },
		"days_per_week":   func(in *science.Input) { in.DaysPerWeek = 5 },
		"session_minutes": func(in *science.Input) { in.SessionMinutes = 45 },
		"equipment":       func(in *science.Input) { in.Equipment = in.Equipment[:2] },
		"injuries":        func(in *science.Input) { in.Injuries = nil },
		"weak_points":     func(in *science.Input) { in.WeakPoints = []string{"chest"} },
		"notes":           func(in *science.Input) { in.Notes = "likes evenings" },
		"paid":            func(in *science.Input) { in.HasPaidAccess = true },
	}
	for name, change := range changes {
		in := baseInput()
		change(&in)
		if got := Key(7, in, "v1"); got == base {
			t.Errorf("changing %s did not change the key", name)
		}
	}
	if Key(8, baseInput(), "v1") == base {
		t.Error("another user got the same key")
	}
	if Key(7, baseInput(), "v2") == base {
		t.Error("a new generator version did not change the key")
	}
}

func TestKeyFormatAndLength(t *testing.T) {
	in := baseInput()
	in.Notes = strings.Repeat("ü", 500)
	in.HasPaidAccess = true
	k := Key(123456, in, "llm/gpt-4o-mini/prompt-v1/schema-1")
	if !strings.HasPrefix(k, "program:u123456:paidtrue:d") {
		t.Errorf("key %q does not follow program:u{id}:paid{bool}:d{hash}", k)
	}
	if len(k) > 100 {
		t.Errorf("key is %d bytes, want short (≤ 100) even for a 500-character note", len(k))
	}
	if got := len(k) - strings.LastIndex(k, ":d") - 2; got != 64 {
		t.Errorf("digest has %d hex characters, want 64 (sha256)", got)
	}
}
