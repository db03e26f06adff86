package science

import (
	"slices"
	"strings"
	"testing"
)

func TestNextBlockStartRules(t *testing.T) {
	l := Landmarks{MV: 4, MEV: 6, MAVLow: 10, MAVHigh: 16, MRV: 20}
	tests := []struct {
		name string
		ml   MuscleLog
		want int
	}{
		{"no soreness, great pump: +2", MuscleLog{ReachedSets: 12, Soreness: SorenessNone, Pump: PumpGreat, LoggedSets: 24}, 14},
		{"mild soreness, good pump: +1", MuscleLog{ReachedSets: 12, Soreness: SorenessMild, Pump: PumpGood, LoggedSets: 24}, 13},
		{"lasting soreness: -1", MuscleLog{ReachedSets: 12, Soreness: SorenessLasting, Pump: PumpGood, LoggedSets: 24}, 11},
		{"missed reps: -1", MuscleLog{ReachedSets: 12, Soreness: SorenessMild, Pump: PumpGood, LoggedSets: 24, MissedSets: 6}, 11},
		{"lasting soreness and missed reps: -2", MuscleLog{ReachedSets: 12, Soreness: SorenessLasting, Pump: PumpLow, LoggedSets: 24, MissedSets: 12}, 10},
		{"low pump: hold", MuscleLog{ReachedSets: 12, Soreness: SorenessNone, Pump: PumpLow, LoggedSets: 24}, 12},
		{"never above MRV", MuscleLog{ReachedSets: 20, Soreness: SorenessNone, Pump: PumpGreat, LoggedSets: 40}, 20},
		{"never below MEV", MuscleLog{ReachedSets: 6, Soreness: SorenessLasting, Pump: PumpLow, LoggedSets: 12, MissedSets: 6}, 6},
	}
	for _, tt := range tests {
		if got, _, why := NextBlockStart(l, tt.ml); got != tt.want || why == "" {
			t.Errorf("%s: got %d (%q), want %d", tt.name, got, why, tt.want)
		}
	}
}

// nextBlockInput is a first block's lifter with room in the week for every muscle's volume.
var nextBlockInput = Input{Goal: GoalHypertrophy, Experience: LevelIntermediate, DaysPerWeek: 4, SessionMinutes: 90,
	Equipment: []string{"barbell", "dumbbells", "bench", "cables", "machines", "pullup_bar"}}

func weekSets(p Program, week int, muscle string) int {
	for _, wv := range p.WeeklyVolume {
		if wv.Week == week && wv.Muscle == muscle {
			return wv.Sets
		}
	}
	return -1
}

func TestNextBlockFromScriptedLog(t *testing.T) {
	a1, err := Analyze(nextBlockInput)
	if err != nil {
		t.Fatal(err)
	}
	first := Generate(a1)
	hasBench := false
	for _, ex := range first.Weeks[0].Days[0].Exercises {
		hasBench = hasBench || ex.ExerciseID == "barbell_bench_press"
	}
	lm := func(m string) Landmarks { return a1.Muscles[muscleIndex(m)].Landmarks }
	chestReached, quadsReached, backReached := weekSets(first, 3, "chest"), weekSets(first, 3, "quads"), weekSets(first, 3, "back")
	next := nextBlockInput
	next.PreviousProgramID = 41
	next.LogSummary = &LogSummary{SessionsPlanned: 24, SessionsLogged: 16,
		Muscles: []MuscleLog{
			{Muscle: "chest", ReachedSets: chestReached, Soreness: SorenessNone, Pump: PumpGreat, LoggedSets: 30},
			{Muscle: "quads", ReachedSets: quadsReached, Soreness: SorenessLasting, Pump: PumpGood, LoggedSets: 30, MissedSets: 10},
			{Muscle: "back", ReachedSets: backReached, Soreness: SorenessMild, Pump: PumpLow, LoggedSets: 30},
		},
		Exercises: []ExerciseLog{{ExerciseID: "barbell_bench_press", E1RMKg: 100, Painful: true}, {ExerciseID: "barbell_back_squat", E1RMKg: 140}},
	}
	a2, err := Analyze(next)
	if err != nil {
		t.Fatal(err)
	}
	p := Generate(a2)
	ApplyLog(a2, &p)
	if fs := Validate(a2, p); slices.ContainsFunc(fs, func(f Finding) bool { return f.Severity == SeverityError }) {
		t.Fatalf("next block does not validate: %v", fs)
	}
	clamp := func(n int, l Landmarks) int { return min(max(n, l.MEV), l.MRV) }
	for _, c := range []struct {
		muscle string
		want   int
	}{
		{"chest", clamp(chestReached+2, lm("chest"))},
		{"quads", clamp(quadsReached-2, lm("quads"))},
		{"back", clamp(backReached, lm("back"))},
	} {
		if got := weekSets(p, 1, c.muscle); got != c.want {
			t.Errorf("%s: week 1 of the next block has %d direct sets, want %d (last block reached %d)", c.muscle, got, c.want,
				map[string]int{"chest": chestReached, "quads": quadsReached, "back": backReached}[c.muscle])
		}
	}
	// The painful bench press is swapped for another chest press of the same pattern.
	bench, _ := LookupExercise("barbell_bench_press")
	substitute := scanNextBlock(t, p, bench)
	if !hasBench {
		t.Fatal("test setup: the first block has no barbell bench press to swap")
	}
	if !substitute {
		t.Error("no horizontal chest press replaces the bench press")
	}
	for _, want := range []string{"logged 16 of 24 sessions", "Chest: start at", "Quads: start at", "swapped out", "estimated maxima"} {
		if !strings.Contains(p.Science.Rationale, want) {
			t.Errorf("rationale does not say %q: %s", want, p.Science.Rationale)
		}
	}
	// A first block is untouched by ApplyLog.
	before := Generate(a1)
	ApplyLog(a1, &before)
	if before.Science.Rationale != first.Science.Rationale {
		t.Error("ApplyLog changed a first block")
	}
}

// TestApplyLogSwapsWhatAModelKept: a generator that ignores the allowed list (an LLM) still gets
// the painful exercise swapped for an allowed one of the same pattern and primary muscle.
func TestApplyLogSwapsWhatAModelKept(t *testing.T) {
	a1, _ := Analyze(nextBlockInput)
	kept := Generate(a1) // the first block, bench press included
	next := nextBlockInput
	next.LogSummary = &LogSummary{Exercises: []ExerciseLog{{ExerciseID: "barbell_bench_press", E1RMKg: 100, Painful: true}}}
	a2, err := Analyze(next)
	if err != nil {
		t.Fatal(err)
	}
	ApplyLog(a2, &kept)
	swapped := 0
	for _, w := range kept.Weeks {
		for _, d := range w.Days {
			for _, ex := range d.Exercises {
				if ex.ExerciseID == "barbell_bench_press" {
					t.Fatalf("week %d day %d kept the painful bench press", w.Week, d.Day)
				}
				if strings.Contains(ex.Rationale, "replaces Barbell bench press") {
					swapped++
					if c, _ := LookupExercise(ex.ExerciseID); c.Pattern != PatternHorizontalPush || c.PrimaryMuscles[0] != "chest" || !slices.Contains(a2.AllowedExercises, c.ID) {
						t.Errorf("substitute %s: pattern %s, primary %v", c.ID, c.Pattern, c.PrimaryMuscles)
					}
				}
			}
		}
	}
	if swapped == 0 {
		t.Fatal("nothing was swapped")
	}
}

// scanNextBlock fails on any bench press left in p, checks the squat's start load from an e1RM of
// 140, and reports whether a press of the bench's pattern and primary muscle took its place.
func scanNextBlock(t *testing.T, p Program, bench CatalogueExercise) (substitute bool) {
	squats := 0
	defer func() {
		if squats == 0 {
			t.Error("the next block has no barbell back squat to check a start load on")
		}
	}()
	t.Helper()
	for _, w := range p.Weeks {
		for _, d := range w.Days {
			for _, ex := range d.Exercises {
				if ex.ExerciseID == bench.ID {
					t.Fatalf("week %d day %d still has the painful %s", w.Week, d.Day, bench.ID)
				}
				if ce, _ := LookupExercise(ex.ExerciseID); ce.Pattern == bench.Pattern && slices.Contains(ce.PrimaryMuscles, "chest") {
					substitute = true
				}
				if ex.ExerciseID == "barbell_back_squat" {
					squats++
					want := startLoadFor(140, ex.RepMax, ex.TargetRIR, true)
					if ex.StartKg == nil || *ex.StartKg != want || want <= 0 || want >= 140 {
						t.Errorf("squat start_kg %v, want %v from an e1RM of 140", ex.StartKg, want)
					}
				}
			}
		}
	}
	return substitute
}
