package programs

import "testing"

func TestEveryStepHasASentence(t *testing.T) {
	for _, s := range Steps {
		if s.Sentence() == "" {
			t.Errorf("step %q has no sentence in stepSentences", s)
		}
	}
	if len(stepSentences) != len(Steps) {
		t.Errorf("stepSentences has %d entries for %d steps: a sentence without its step", len(stepSentences), len(Steps))
	}
}

func TestStatusSentence(t *testing.T) {
	tests := []struct {
		status Status
		step   Step
		want   string
	}{
		{StatusPending, StepQueued, "Your program is queued. It usually starts within a second."},
		{StatusPending, StepRetryWait, "A generation attempt failed; the next attempt starts in a few seconds."},
		{StatusProcessing, StepGenerate, "Choosing exercises and building each session…"},
		{StatusProcessing, StepQueued, "Generating your program…"},
		{StatusProcessing, "mystery", "Generating your program…"},
		{StatusCompleted, StepStore, "Your program is ready."},
		{StatusFailed, StepValidate, "We could not generate this program."},
	}
	for _, tt := range tests {
		if got := StatusSentence(tt.status, tt.step); got != tt.want {
			t.Errorf("StatusSentence(%s, %s) = %q, want %q", tt.status, tt.step, got, tt.want)
		}
	}
}
