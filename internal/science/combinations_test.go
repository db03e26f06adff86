package science

import (
	"fmt"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

// equipmentSets spans the equipment situations the product must serve.
var equipmentSets = map[string][]string{
	"bodyweight": {},
	"dumbbells":  {"dumbbells"},
	"home_gym":   {"barbell", "bench", "dumbbells", "pullup_bar", "bands"},
	"full_gym":   EquipmentKinds,
}

var injurySets = [][]string{nil, {"knee"}, {"shoulder", "lower_back"}}

// allCombinations enumerates every test input: goal × experience × days ×
// minutes × tier × equipment × injuries × weak points (none, one, two). The
// weak points rotate through every muscle so each is emphasised somewhere.
func allCombinations() []Input {
	var out []Input
	i := 0
	for _, goal := range Goals {
		for _, level := range Levels {
			for days := MinDays; days <= MaxDays; days++ {
				for _, minutes := range []int{30, 45, 60, 90, 120} {
					for _, paid := range []bool{false, true} {
						for _, eq := range []string{"bodyweight", "dumbbells", "home_gym", "full_gym"} {
							for _, inj := range injurySets {
								for nWeak := range 3 {
									weak := []string{}
									for k := range nWeak {
										weak = append(weak, Muscles[(i+5*k)%len(Muscles)])
									}
									i++
									out = append(out, Input{
										Goal: goal, Experience: level, DaysPerWeek: days, SessionMinutes: minutes,
										HasPaidAccess: paid, Equipment: equipmentSets[eq], Injuries: inj, WeakPoints: weak,
									})
								}
							}
						}
					}
				}
			}
		}
	}
	return out
}

// TestEveryCombinationIsValid generates a program for every combination and
// requires that Validate finds no error and Enhance finds nothing to fix:
// the built-in generator must be sound on its own.
func TestEveryCombinationIsValid(t *testing.T) {
	inputs := allCombinations()
	var checked atomic.Int64
	var mu sync.Mutex
	var failures []string
	jobs := make(chan Input)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for in := range jobs {
				if msg := checkCombination(in); msg != "" {
					mu.Lock()
					failures = append(failures, msg)
					mu.Unlock()
				}
				checked.Add(1)
			}
		}()
	}
	for _, in := range inputs {
		jobs <- in
	}
	close(jobs)
	wg.Wait()
	t.Logf("checked %d programs (%d failed)", checked.Load(), len(failures))
	if got, want := int(checked.Load()), 3*3*5*5*2*4*3*3; got != want {
		t.Errorf("checked %d combinations, want %d", got, want)
	}
	for i, f := range failures {
		if i == 20 {
			t.Errorf("… and %d more", len(failures)-i)
			break
		}
		t.Error(f)
	}
}

// checkCombination returns a description of what is wrong, or "".
func checkCombination(in Input) string {
	a, err := Analyze(in)
	if err != nil {
		return fmt.Sprintf("%+v: analyze: %v", in, err)
	}
	p := Generate(a)
	var errs []string
	for _, f := range Validate(a, p) {
		if f.Severity == SeverityError {
			errs = append(errs, fmt.Sprintf("%s w%d d%d e%d %s: %s", f.Rule, f.Week, f.Day, f.Exercise, f.Muscle, f.Message))
		}
	}
	for _, w := range p.Weeks {
		for _, d := range w.Days {
			if len(d.Exercises) == 0 {
				errs = append(errs, fmt.Sprintf("week %d day %d is empty", w.Week, d.Day))
			}
		}
	}
	// Enhance must find nothing to fix in built-in output.
	if _, fixes, _ := enhance3(a, p); len(fixes) > 0 {
		errs = append(errs, fmt.Sprintf("Enhance applied %d fixes, first: %s %s", len(fixes), fixes[0].Rule, fixes[0].Message))
	}
	if len(errs) == 0 {
		return ""
	}
	return fmt.Sprintf("%s/%s/%dd/%dmin/paid=%v eq=%v inj=%v weak=%v:\n\t%s", in.Goal, in.Experience, in.DaysPerWeek, in.SessionMinutes,
		in.HasPaidAccess, in.Equipment, in.Injuries, in.WeakPoints, strings.Join(errs, "\n\t"))
}
