package science

import (
	"encoding/json"
	"os"
	"testing"
)

func TestSmoke(t *testing.T) {
	in := Input{Goal: "hypertrophy", Experience: "intermediate", DaysPerWeek: 4, SessionMinutes: 60, Equipment: []string{"barbell", "dumbbells", "bench", "cables", "machines", "pullup_bar"}, WeakPoints: []string{"chest"}}
	if v := os.Getenv("SMOKE"); v != "" {
		json.Unmarshal([]byte(v), &in)
	}
	a, err := Analyze(in)
	if err != nil {
		t.Fatal(err)
	}
	p := Generate(a)
	b, _ := json.MarshalIndent(p, "", " ")
	os.WriteFile("/tmp/prog.json", b, 0o644)
	for _, f := range Validate(a, p) {
		t.Logf("%s %s w%d d%d e%d %s: %s", f.Severity, f.Rule, f.Week, f.Day, f.Exercise, f.Muscle, f.Message)
	}
	for _, m := range a.Muscles {
		t.Logf("%s %s %v %v floor %d/%d", m.Muscle, m.Priority, m.Targets, m.Landmarks, m.Floor, m.PeakFloor)
	}
	t.Log(a.Warnings)
}
