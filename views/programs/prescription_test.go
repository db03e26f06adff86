package programs

import (
	"strings"
	"testing"
)

// A hold has no reps to leave in reserve, so its line shows no RIR; a set
// of reps keeps it.
func TestPrescriptionHoldHasNoRIR(t *testing.T) {
	hold := ExerciseView{Sets: 3, Reps: "30–60 s", Hold: true, RIR: 3, Rest: "90 s"}
	if got := hold.Prescription(); strings.Contains(got, "RIR") || got != "3 × 30–60 s · rest 90 s" {
		t.Errorf("hold: %q", got)
	}
	reps := ExerciseView{Sets: 3, Reps: "8–12", RIR: 2, Rest: "2 min"}
	if got := reps.Prescription(); got != "3 × 8–12 · RIR 2 · rest 2 min" {
		t.Errorf("reps: %q", got)
	}
}
