package science

import (
	"sort"
	"testing"
)

func TestZZSummary(t *testing.T) {
	rules := map[string]int{}
	examples := map[string]string{}
	for _, in := range allCombinations() {
		a, _ := Analyze(in)
		p := Generate(a)
		seen := map[string]bool{}
		for _, f := range Validate(a, p) {
			if !seen[f.Rule] {
				seen[f.Rule] = true
				rules[f.Rule]++
				if _, ok := examples[f.Rule]; !ok {
					examples[f.Rule] = f.Message
				}
			}
		}
	}
	var ks []string
	for k := range rules {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	for _, k := range ks {
		t.Logf("%-22s %5d  e.g. %s", k, rules[k], examples[k])
	}
}
