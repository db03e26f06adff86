package science

import (
	"encoding/json"
	"slices"
	"testing"
)

// ruleBaseInput has room to spare (4 × 120 min) so a mutation breaks only
// the rule under test; knee injury and a home gym make the equipment and
// injury rules testable.
var ruleBaseInput = Input{
	Goal: GoalHypertrophy, Experience: LevelIntermediate, DaysPerWeek: 4, SessionMinutes: 120,
	Equipment: []string{"barbell", "bench", "dumbbells", "pullup_bar", "bands"},
	Injuries:  []string{"knee"}, WeakPoints: []string{"chest"},
}

func ruleBase(t *testing.T) (Analysis, Program) {
	t.Helper()
	a, err := Analyze(ruleBaseInput)
	if err != nil {
		t.Fatal(err)
	}
	return a, Generate(a)
}

// findExercise returns the position of the first exercise in week wi with
// a primary muscle m, or -1, -1.
func findExercise(p *Program, wi int, m string) (int, int) {
	for di, d := range p.Weeks[wi].Days {
		for ei, x := range d.Exercises {
			if len(x.PrimaryMuscles) > 0 && x.PrimaryMuscles[0] == m {
				return di, ei
			}
		}
	}
	return -1, -1
}

// addSets adds n sets to week wi's exercises led by muscle m, at most 6 each.
func addSets(p *Program, wi int, m string, n int) {
	for di := range p.Weeks[wi].Days {
		for ei := range p.Weeks[wi].Days[di].Exercises {
			x := &p.Weeks[wi].Days[di].Exercises[ei]
			for n > 0 && x.PrimaryMuscles[0] == m && x.Sets < maxSetsPerExercise {
				x.Sets++
				n--
			}
		}
	}
}

func exerciseFor(id string, sets int) ProgramExercise {
	c, _ := LookupExercise(id)
	lo, hi := 10, 20
	if c.Hold {
		lo, hi = holdSeconds(&c)
	}
	return ProgramExercise{ExerciseID: c.ID, Name: c.Name, Equipment: c.Equipment, PrimaryMuscles: c.PrimaryMuscles,
		SecondaryMuscles: c.SecondaryMuscles, Sets: sets, RepMin: lo, RepMax: hi, Unit: c.unit(), TargetRIR: 3,
		RestSeconds: minRestFor(&c, hi, c.unit()), Notes: "", Rationale: "test"}
}

// ruleCases breaks one rule each. recount re-derives weekly_volume after the
// mutation so that bookkeeping does not add a second finding; also lists
// findings that follow unavoidably from the breach.
var ruleCases = []struct {
	rule    string
	mutate  func(t *testing.T, a *Analysis, p *Program)
	recount bool
	also    []string
}{
	{RuleWeekCount, func(t *testing.T, a *Analysis, p *Program) {
		p.Weeks = p.Weeks[:len(p.Weeks)-1]
		p.Mesocycle.Weeks--
		p.Mesocycle.DeloadWeek--
	}, true, []string{RuleStructure, RuleDeload, RuleDeloadMuscle, RuleVolumeRange, RuleRIRRising}},
	{RuleStructure, func(t *testing.T, a *Analysis, p *Program) { p.Goal = GoalStrength }, false, nil},
	{RuleDayCount, func(t *testing.T, a *Analysis, p *Program) {
		w := &p.Weeks[0]
		w.Days = append(w.Days, Day{Day: len(w.Days) + 1, Label: "Extra", Exercises: []ProgramExercise{exerciseFor("plank", 1)}})
	}, true, nil},
	{RuleUnknownExercise, func(t *testing.T, a *Analysis, p *Program) {
		p.Weeks[0].Days[0].Exercises[0].ExerciseID = "mystery_press"
	}, true, nil},
	{RulePrimaryMuscles, func(t *testing.T, a *Analysis, p *Program) {
		p.Weeks[0].Days[0].Exercises[0].PrimaryMuscles = []string{"chest", "triceps", "front_delts"}
	}, false, nil},
	{RuleRepRange, func(t *testing.T, a *Analysis, p *Program) {
		x := &p.Weeks[0].Days[0].Exercises[0]
		x.RepMin, x.RepMax = 12, 8
	}, false, nil},
	{RuleSetsRange, func(t *testing.T, a *Analysis, p *Program) {
		di, ei := findExercise(p, 0, "side_delts")
		p.Weeks[0].Days[di].Exercises[ei].Sets = 7
	}, true, []string{RuleVolumeJump}},
	{RuleRIRRange, func(t *testing.T, a *Analysis, p *Program) { p.Weeks[0].Days[0].Exercises[0].TargetRIR = 6 }, false, nil},
	{RuleRIRRising, func(t *testing.T, a *Analysis, p *Program) {
		p.Weeks[1].Days[0].Exercises[0].TargetRIR = p.Weeks[0].Days[0].Exercises[0].TargetRIR + 1
	}, false, nil},
	{RuleDeload, func(t *testing.T, a *Analysis, p *Program) {
		n := len(p.Weeks)
		for di := range p.Weeks[n-1].Days {
			for ei := range p.Weeks[n-1].Days[di].Exercises {
				p.Weeks[n-1].Days[di].Exercises[ei].Sets = p.Weeks[n-2].Days[di].Exercises[ei].Sets
				p.Weeks[n-1].Days[di].Exercises[ei].TargetRIR = 2
			}
		}
	}, true, []string{RuleDeloadMuscle}},
	{RuleVolumeRange, func(t *testing.T, a *Analysis, p *Program) {
		for di := range p.Weeks[0].Days {
			for ei := range p.Weeks[0].Days[di].Exercises {
				if x := &p.Weeks[0].Days[di].Exercises[ei]; slices.Contains(x.PrimaryMuscles, "calves") {
					x.Sets = 1
				}
			}
		}
	}, true, nil},
	{RuleSessionVolume, func(t *testing.T, a *Analysis, p *Program) {
		d := &p.Weeks[0].Days[0]
		d.Exercises = append(d.Exercises, exerciseFor("dumbbell_fly", 5), exerciseFor("push_up", 5))
	}, true, []string{RuleDuplicate}},
	{RuleEquipment, func(t *testing.T, a *Analysis, p *Program) {
		di, ei := findExercise(p, 0, "chest")
		p.Weeks[0].Days[di].Exercises[ei] = exerciseFor("machine_chest_press", p.Weeks[0].Days[di].Exercises[ei].Sets)
	}, true, nil},
	{RuleContraindicated, func(t *testing.T, a *Analysis, p *Program) {
		di, ei := findExercise(p, 0, "hamstrings")
		p.Weeks[0].Days[di].Exercises[ei] = exerciseFor("nordic_curl", p.Weeks[0].Days[di].Exercises[ei].Sets)
	}, true, []string{RuleExerciseLevel}},
	{RuleTimeLimit, func(t *testing.T, a *Analysis, p *Program) {
		for i := range p.Weeks[0].Days[0].Exercises {
			p.Weeks[0].Days[0].Exercises[i].RestSeconds = 900
		}
	}, false, nil},
	{RuleVolumeMismatch, func(t *testing.T, a *Analysis, p *Program) { p.WeeklyVolume[0].Sets++ }, false, nil},
	{RuleWeakPoints, func(t *testing.T, a *Analysis, p *Program) { p.Science.WeakPoints = []string{} }, false, nil},
	{RuleRIRZeroCompound, func(t *testing.T, a *Analysis, p *Program) {
		w := &p.Weeks[len(p.Weeks)-2]
		w.Days[0].Exercises[0].TargetRIR = 0
	}, false, nil},
	{RuleShortRest, func(t *testing.T, a *Analysis, p *Program) { p.Weeks[0].Days[0].Exercises[0].RestSeconds = 45 }, false, []string{RuleRestFloor}},
	{RuleLowFrequency, func(t *testing.T, a *Analysis, p *Program) {
		// Move all of week 1's calf work onto the first day that has some.
		home, sets := -1, 0
		for di := range p.Weeks[0].Days {
			d := &p.Weeks[0].Days[di]
			for ei := 0; ei < len(d.Exercises); ei++ {
				if slices.Contains(d.Exercises[ei].PrimaryMuscles, "calves") {
					sets += d.Exercises[ei].Sets
					if home < 0 {
						home = di
					}
					d.Exercises = slices.Delete(d.Exercises, ei, ei+1)
					ei--
				}
			}
		}
		d := &p.Weeks[0].Days[home]
		d.Exercises = append(d.Exercises, exerciseFor("single_leg_calf_raise", (sets+1)/2), exerciseFor("bodyweight_calf_raise", sets/2))
	}, true, nil},
	{RuleVolumeJump, func(t *testing.T, a *Analysis, p *Program) {
		addSets(p, 1, "side_delts", 3)
		addSets(p, 2, "side_delts", 3)
	}, true, nil},
	{RulePullPushRatio, func(t *testing.T, a *Analysis, p *Program) {
		p.Weeks[0].Days[0].Exercises = append(p.Weeks[0].Days[0].Exercises, exerciseFor("dumbbell_floor_press", 3))
		p.Weeks[0].Days[2].Exercises = append(p.Weeks[0].Days[2].Exercises, exerciseFor("push_up", 3))
		p.Weeks[0].Days[1].Exercises = append(p.Weeks[0].Days[1].Exercises, exerciseFor("pike_push_up", 4))
		p.Weeks[0].Days[3].Exercises = append(p.Weeks[0].Days[3].Exercises, exerciseFor("band_overhead_press", 4))
	}, true, nil},
	{RuleHamsQuadsRatio, func(t *testing.T, a *Analysis, p *Program) {
		p.Weeks[0].Days[1].Exercises = append(p.Weeks[0].Days[1].Exercises, exerciseFor("band_leg_extension", 4))
		p.Weeks[0].Days[3].Exercises = append(p.Weeks[0].Days[3].Exercises, exerciseFor("band_leg_extension", 5))
	}, true, []string{RuleDuplicate}},
	{RuleTooManyExercises, func(t *testing.T, a *Analysis, p *Program) {
		d := &p.Weeks[len(p.Weeks)-1].Days[0]
		for _, id := range []string{"plank", "band_pull_apart", "band_lateral_raise", "band_curl", "band_shrug", "towel_wring", "dead_bug", "band_triceps_pushdown", "side_plank"} {
			if len(d.Exercises) <= maxExercisesPerDay {
				d.Exercises = append(d.Exercises, exerciseFor(id, 1))
			}
		}
	}, true, []string{RuleDeload, RuleDeloadMuscle}},
	{RuleDuplicate, func(t *testing.T, a *Analysis, p *Program) {
		d := &p.Weeks[0].Days[0]
		x := d.Exercises[len(d.Exercises)-1]
		x.Sets = 1
		d.Exercises = append(d.Exercises, x)
	}, true, nil},
	{RuleMissingRationale, func(t *testing.T, a *Analysis, p *Program) { p.Weeks[0].Days[0].Exercises[0].Rationale = "" }, false, nil},
	{RuleEmptyDay, func(t *testing.T, a *Analysis, p *Program) { p.Weeks[0].Days[1].Exercises = []ProgramExercise{} }, true,
		[]string{RuleVolumeRange}},
	{RuleDeloadMuscle, func(t *testing.T, a *Analysis, p *Program) {
		n := len(p.Weeks)
		// Calves keep their full sets while everything else drops to one.
		for di := range p.Weeks[n-1].Days {
			for ei := range p.Weeks[n-1].Days[di].Exercises {
				x := &p.Weeks[n-1].Days[di].Exercises[ei]
				x.Sets = 1
				if slices.Contains(x.PrimaryMuscles, "calves") {
					x.Sets = p.Weeks[n-2].Days[di].Exercises[ei].Sets
				}
			}
		}
	}, true, nil},
	{RuleUnit, func(t *testing.T, a *Analysis, p *Program) {
		x := &p.Weeks[0].Days[0].Exercises[0]
		x.Unit, x.RepMin, x.RepMax = UnitSeconds, 30, 60
	}, false, []string{RuleRestFloor}},
	{RuleRestFloor, func(t *testing.T, a *Analysis, p *Program) { p.Weeks[0].Days[0].Exercises[0].RestSeconds = 90 }, false, nil},
	{RuleSetCount, func(t *testing.T, a *Analysis, p *Program) {
		di, ei := findExercise(p, 0, "side_delts")
		p.Weeks[0].Days[di].Exercises[ei].Sets = 6
	}, true, []string{RuleVolumeRange}},
	{RuleOrder, func(t *testing.T, a *Analysis, p *Program) {
		exs := p.Weeks[0].Days[1].Exercises
		exs[0], exs[len(exs)-1] = exs[len(exs)-1], exs[0]
	}, false, nil},
	{RuleMusclesPerSession, func(t *testing.T, a *Analysis, p *Program) {
		d := &p.Weeks[0].Days[0]
		d.Exercises = append(d.Exercises, exerciseFor("band_leg_extension", 2), exerciseFor("crunch", 2), exerciseFor("single_leg_calf_raise", 2))
	}, true, []string{RuleDuplicate, RuleVolumeRange}},
	{RuleEmphasis, func(t *testing.T, a *Analysis, p *Program) { a.Emphasized = append(a.Emphasized, "forearms") }, false, nil},
	{RuleProgression, func(t *testing.T, a *Analysis, p *Program) {
		for wi := 1; wi < len(p.Weeks)-1; wi++ {
			for di := range p.Weeks[wi].Days {
				for ei := range p.Weeks[wi].Days[di].Exercises {
					p.Weeks[wi].Days[di].Exercises[ei].Sets = p.Weeks[0].Days[di].Exercises[ei].Sets
				}
			}
		}
	}, true, []string{RuleVolumeRange, RuleDeload, RuleDeloadMuscle}},
	{RuleQuality, func(t *testing.T, a *Analysis, p *Program) {
		// Every back exercise of the day becomes the stop-gap, so it stands
		// in for a better one rather than supplementing it.
		di, _ := findExercise(p, 0, "back")
		for ei, x := range p.Weeks[0].Days[di].Exercises {
			if x.PrimaryMuscles[0] == "back" {
				p.Weeks[0].Days[di].Exercises[ei] = exerciseFor("floor_towel_lat_pull", x.Sets)
			}
		}
	}, true, []string{RuleDuplicate}},
	{RuleBeginnerExercises, func(t *testing.T, a *Analysis, p *Program) {
		a.Input.Experience, p.Experience = LevelBeginner, LevelBeginner
	}, true, []string{RuleVolumeRange}},
	{RuleKneeFlexion, func(t *testing.T, a *Analysis, p *Program) {
		for wi := range p.Weeks {
			for di := range p.Weeks[wi].Days {
				for ei, x := range p.Weeks[wi].Days[di].Exercises {
					if c, _ := LookupExercise(x.ExerciseID); c.Pattern == PatternKneeFlexion {
						p.Weeks[wi].Days[di].Exercises[ei] = exerciseFor("bodyweight_single_leg_rdl", x.Sets)
					}
				}
			}
		}
	}, true, []string{RuleDuplicate, RuleVolumeRange}},
	{RuleJargon, func(t *testing.T, a *Analysis, p *Program) { p.Science.Rationale += " Progression: rir_step." }, false, nil},
	{RuleStrength, func(t *testing.T, a *Analysis, p *Program) {
		a.Input.Goal, p.Goal = GoalStrength, GoalStrength
	}, false, nil},
	{RuleExerciseLevel, func(t *testing.T, a *Analysis, p *Program) {
		di, ei := findExercise(p, 0, "back")
		p.Weeks[0].Days[di].Exercises[ei] = exerciseFor("pendlay_row", p.Weeks[0].Days[di].Exercises[ei].Sets)
	}, true, nil},
}

func ruleIDs(fs []Finding) map[string]bool {
	out := map[string]bool{}
	for _, f := range fs {
		out[f.Rule] = true
	}
	return out
}

func countRule(fs []Finding, rule string) int {
	n := 0
	for _, f := range fs {
		if f.Rule == rule {
			n++
		}
	}
	return n
}

// TestEachRule feeds a program breaking one rule and expects that finding,
// with no other error than the breach implies.
func TestEachRule(t *testing.T) {
	seen := map[string]bool{}
	for _, tc := range ruleCases {
		seen[tc.rule] = true
		t.Run(tc.rule, func(t *testing.T) {
			a, p := ruleBase(t)
			base := Validate(a, p)
			baseline := ruleIDs(base)
			if HasErrors(base) {
				t.Fatalf("base program has errors: %v", base)
			}
			tc.mutate(t, &a, &p)
			if tc.recount {
				p.WeeklyVolume = weeklyVolume(&a, &p)
			}
			got := Validate(a, p)
			found := countRule(got, tc.rule) > countRule(base, tc.rule)
			for _, f := range got {
				if f.Rule == tc.rule {
					if f.Severity != ruleSeverity(tc.rule) || f.Message == "" || f.Explanation == "" {
						t.Errorf("finding %+v: want severity %s, a message and an explanation", f, ruleSeverity(tc.rule))
					}
					continue
				}
				if f.Severity == SeverityError && !baseline[f.Rule] && !slices.Contains(tc.also, f.Rule) {
					t.Errorf("unexpected extra error %s: %s", f.Rule, f.Message)
				}
			}
			if !found {
				t.Errorf("Validate did not report %s; got %v", tc.rule, ruleIDs(got))
			}
		})
	}
	for _, r := range Rules {
		if !seen[r.ID] {
			t.Errorf("rule %s has no test case", r.ID)
		}
	}
}

// TestEnhanceFixesEachFixableRule breaks each fixable rule and expects
// Enhance to record the fix and leave no error (nor that warning) behind.
func TestEnhanceFixesEachFixableRule(t *testing.T) {
	fixable := map[string]bool{}
	for _, r := range Rules {
		fixable[r.ID] = r.Fixable
	}
	for _, tc := range ruleCases {
		if !fixable[tc.rule] {
			continue
		}
		t.Run(tc.rule, func(t *testing.T) {
			a, p := ruleBase(t)
			tc.mutate(t, &a, &p)
			if tc.recount {
				p.WeeklyVolume = weeklyVolume(&a, &p)
			}
			before, _ := json.Marshal(p)
			fixed, fixes, remaining := enhance3(a, p)
			if after, _ := json.Marshal(p); string(before) != string(after) {
				t.Error("Enhance modified its input program")
			}
			if !ruleIDs(fixes)[tc.rule] {
				t.Errorf("fixes %v do not include %s", ruleIDs(fixes), tc.rule)
			}
			for _, f := range remaining {
				if f.Severity == SeverityError {
					t.Errorf("remaining after Enhance: %s %s", f.Rule, f.Message)
				}
			}
			if got := Validate(a, fixed); HasErrors(got) {
				t.Errorf("Validate after Enhance still has errors: %v", ruleIDs(got))
			}
			if len(fixed.Science.Fixes) == 0 {
				t.Error("science.fixes is empty after fixes")
			}
		})
	}
}

// TestEnhanceUnfixable keeps what cannot be fixed as an error.
func TestEnhanceUnfixable(t *testing.T) {
	for _, tc := range ruleCases {
		if tc.rule != RuleUnknownExercise && tc.rule != RuleDayCount && tc.rule != RuleWeekCount {
			continue
		}
		t.Run(tc.rule, func(t *testing.T) {
			a, p := ruleBase(t)
			tc.mutate(t, &a, &p)
			_, _, remaining := enhance3(a, p)
			if !ruleIDs(remaining)[tc.rule] {
				t.Errorf("want %s to remain, got %v", tc.rule, ruleIDs(remaining))
			}
		})
	}
}

// TestEnhanceLeavesGoodProgramAlone: a built-in program needs no fixes.
func TestEnhanceLeavesGoodProgramAlone(t *testing.T) {
	a, p := ruleBase(t)
	got, fixes, remaining := enhance3(a, p)
	if len(fixes) != 0 || HasErrors(remaining) {
		t.Errorf("fixes = %v, remaining errors = %v; want none", fixes, remaining)
	}
	if len(got.Science.Fixes) != 0 {
		t.Errorf("science.fixes = %v, want []", got.Science.Fixes)
	}
}
