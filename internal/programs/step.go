package programs

// Step is how far the pipeline got, as stored in progress_step.
type Step string

// The steps of a program, in order. Each has its sentence in stepSentences (a test checks).
const (
	StepQueued    Step = "queued"
	StepRetryWait Step = "retry_wait"
	StepLoad      Step = "load"
	StepAnalyze   Step = "analyze"
	StepGenerate  Step = "generate"
	StepValidate  Step = "validate"
	StepStore     Step = "store"
)

// Steps lists every step.
var Steps = []Step{StepQueued, StepRetryWait, StepLoad, StepAnalyze, StepGenerate, StepValidate, StepStore}

// stepSentences is what the live status element says while a program is at a step.
var stepSentences = map[Step]string{
	StepQueued:    "Your program is queued. It usually starts within a second.",
	StepRetryWait: "A generation attempt failed; the next attempt starts in a few seconds.",
	StepLoad:      "Reading your answers…",
	StepAnalyze:   "Working out weekly volume, split and time budget for every muscle…",
	StepGenerate:  "Choosing exercises and building each session…",
	StepValidate:  "Checking the program against the training-science rules…",
	StepStore:     "Saving your program…",
}

// Sentence is the human sentence for the step ("" for an unknown step).
func (s Step) Sentence() string { return stepSentences[s] }

// StatusSentence is the human sentence of the live status element for a status and step.
func StatusSentence(status Status, step Step) string {
	switch status {
	case StatusCompleted:
		return "Your program is ready."
	case StatusFailed:
		return "We could not generate this program."
	case StatusPending:
		if step == StepRetryWait {
			return StepRetryWait.Sentence()
		}
		return StepQueued.Sentence()
	}
	if step != StepQueued && step != StepRetryWait && step.Sentence() != "" {
		return step.Sentence()
	}
	return "Generating your program…"
}
