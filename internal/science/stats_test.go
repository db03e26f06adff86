package science

import (
	"fmt"
	"sort"
	"testing"
)

func TestStats(t *testing.T) {
	counts := map[string]int{}
	status := map[string]int{}
	for _, in := range allCombinations() {
		a, _ := Analyze(in)
		p := Generate(a)
		for _, f := range Validate(a, p) {
			counts[f.Rule]++
			if f.Rule == RuleLowFrequency || f.Rule == RuleVolumeJump || f.Rule == RulePullPushRatio {
				counts[fmt.Sprintf("%s/%s/%dd/%dmin/%s", f.Rule, f.Muscle, in.DaysPerWeek, in.SessionMinutes, in.Experience)]++
			}
		}
		for m, mp := range a.Muscles {
			k := mp.Priority
			if mp.Indirect {
				k = "indirect"
			}
			_ = m
			status[k]++
		}
		for _, mw := range a.Warnings {
			_ = mw
			counts["analysis_warning"]++
		}
	}
	keys := []string{}
	for k := range counts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		t.Logf("%s %d", k, counts[k])
	}
	t.Log(status)
}
