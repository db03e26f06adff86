package science

import (
	"testing"
)

func TestZZFind(t *testing.T) {
	n := 0
	for _, in := range allCombinations() {
		a, _ := Analyze(in)
		p := Generate(a)
		for _, f := range Validate(a, p) {
			if f.Rule == zzRule && n < 2 {
				n++
				t.Logf("%+v\n%s: %s", in, f.Rule, f.Message)
				t.Log("\n" + showProgram(p))
				for _, m := range a.Muscles {
					t.Logf("%s %s %v", m.Muscle, m.Priority, m.Targets)
				}
				t.Log(a.Warnings)
				break
			}
		}
	}
}
