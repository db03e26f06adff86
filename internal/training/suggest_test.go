package training

import (
	"math"
	"testing"

	"liftplan/internal/science"
)

func rir(n int) *int { return &n }

func sets(kg float64, reps []int, rirs ...*int) []Set {
	out := make([]Set, len(reps))
	for i, r := range reps {
		out[i] = Set{SetNo: i + 1, WeightKg: kg, Reps: r}
		if i < len(rirs) {
			out[i].RIR = rirs[i]
		}
	}
	return out
}

func TestSuggestDoubleProgression(t *testing.T) {
	bench := science.ProgramExercise{ExerciseID: "barbell_bench_press", Equipment: []string{"barbell", "bench"}, PrimaryMuscles: []string{"chest"}, Sets: 3, RepMin: 6, RepMax: 10}
	squat := science.ProgramExercise{ExerciseID: "barbell_back_squat", Equipment: []string{"barbell"}, PrimaryMuscles: []string{"quads", "glutes"}, Sets: 3, RepMin: 6, RepMax: 10}
	curl := science.ProgramExercise{ExerciseID: "dumbbell_curl", Equipment: []string{"dumbbells"}, PrimaryMuscles: []string{"biceps"}, Sets: 3, RepMin: 10, RepMax: 15}
	start := 40.0
	fresh := bench
	fresh.StartKg = &start
	pullUp := science.ProgramExercise{ExerciseID: "pull_up", Equipment: []string{"pullup_bar"}, PrimaryMuscles: []string{"back"}, Sets: 3, RepMin: 6, RepMax: 12}
	plank := science.ProgramExercise{ExerciseID: "plank", Unit: science.UnitSeconds, Sets: 3, RepMin: 20, RepMax: 60}
	last := func(s []Set) *LastSession { return &LastSession{Sets: s, PlannedSets: 3, RepMax: 10, TargetRIR: 2} }
	tests := []struct {
		name string
		ex   science.ProgramExercise
		last *LastSession
		want *float64
	}{
		{"nothing logged, no start load", bench, nil, nil},
		{"nothing logged, start load from the last block", fresh, nil, &start},
		{"a hold gets no load", plank, last(sets(0, []int{60, 60, 60})), nil},
		{"one set short of the top: same load", bench, last(sets(60, []int{10, 10, 9})), ptr(60)},
		{"every set at the top: +2.5 kg upper barbell", bench, last(sets(60, []int{10, 10, 10})), ptr(62.5)},
		{"above the top counts", bench, last(sets(60, []int{12, 11, 10})), ptr(62.5)},
		{"every set at the top: +5 kg lower barbell", squat, last(sets(100, []int{10, 10, 10})), ptr(105)},
		{"top reached below the target RIR: same load", bench, last(sets(60, []int{10, 10, 10}, rir(2), rir(1), rir(2))), ptr(60)},
		{"top reached at the target RIR: up", bench, last(sets(60, []int{10, 10, 10}, rir(2), rir(3), rir(2))), ptr(62.5)},
		{"a planned set not logged: same load", bench, last(sets(60, []int{10, 10})), ptr(60)},
		{"a lighter back-off set: same load", bench, last(append(sets(60, []int{10, 10}), Set{SetNo: 3, WeightKg: 50, Reps: 12})), ptr(60)},
		{"bodyweight at the top: same (no load to step)", pullUp, &LastSession{Sets: sets(0, []int{12, 12, 12}), PlannedSets: 3, RepMax: 12}, ptr(0)},
		{"weighted bodyweight at the top: next step", pullUp, &LastSession{Sets: sets(5, []int{12, 12, 12}), PlannedSets: 3, RepMax: 12}, ptr(6)},
		{"dumbbell below 10 kg: next 2 kg", curl, &LastSession{Sets: sets(8, []int{15, 15, 15}), PlannedSets: 3, RepMax: 15}, ptr(10)},
		{"dumbbell above 10 kg: next 2.5 kg", curl, &LastSession{Sets: sets(12.5, []int{15, 15, 15}), PlannedSets: 3, RepMax: 15}, ptr(15)},
		{"dumbbell at an odd load: next on the rack", curl, &LastSession{Sets: sets(11, []int{15, 16, 15}), PlannedSets: 3, RepMax: 15}, ptr(12.5)},
		{"dumbbell short of the top: same", curl, &LastSession{Sets: sets(12.5, []int{15, 14, 15}), PlannedSets: 3, RepMax: 15}, ptr(12.5)},
	}
	for _, tt := range tests {
		got := Suggest(tt.ex, tt.last)
		switch {
		case tt.want == nil && got.Kg != nil:
			t.Errorf("%s: got %v kg, want no suggestion", tt.name, *got.Kg)
		case tt.want != nil && (got.Kg == nil || math.Abs(*got.Kg-*tt.want) > 1e-9):
			t.Errorf("%s: got %v, want %v kg (%s)", tt.name, fmtKg(got.Kg), *tt.want, got.Why)
		}
		if got.Why == "" {
			t.Errorf("%s: no reason given", tt.name)
		}
	}
}

func ptr(f float64) *float64 { return &f }

func fmtKg(p *float64) any {
	if p == nil {
		return "none"
	}
	return *p
}

func TestE1RM(t *testing.T) {
	tests := []struct {
		sets []Set
		want float64
	}{
		{sets(100, []int{5}), 100 * (1 + 5.0/30)},
		{sets(100, []int{12}), 140},
		{sets(100, []int{13}), 0}, // past 12 reps Epley is not trusted
		{sets(0, []int{10}), 0},   // bodyweight gives no estimate
		{append(sets(100, []int{5}), Set{WeightKg: 110, Reps: 3}), 110 * 1.1},
	}
	for i, tt := range tests {
		if got := E1RM(tt.sets); math.Abs(got-tt.want) > 1e-9 {
			t.Errorf("case %d: got %.3f, want %.3f", i, got, tt.want)
		}
	}
}

func TestDeloadHoldsTheLoad(t *testing.T) {
	bench := science.ProgramExercise{Equipment: []string{"barbell"}, PrimaryMuscles: []string{"chest"}, Sets: 3, RepMax: 10}
	last := &LastSession{Sets: sets(60, []int{10, 10, 10}), PlannedSets: 3, RepMax: 10}
	if got := deload(Suggest(bench, last), last); got.Kg == nil || *got.Kg != 60 {
		t.Fatalf("deload after a progression-worthy week: %v, want 60", fmtKg(got.Kg))
	}
	if got := deload(Suggest(bench, nil), nil); got.Kg != nil {
		t.Fatalf("deload with nothing logged suggested %v", *got.Kg)
	}
}
