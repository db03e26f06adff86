package science

// The session time model of DOMAIN.md, a labelled estimate rather than a
// measurement: warm-up, a changeover per exercise, working time per set and
// the rest between sets of one exercise (moving to the next exercise is the
// changeover, so an exercise of n sets has n-1 rests).
const (
	warmupMinutes     = 8.0
	changeoverMinutes = 1.5
	minutesPerSet     = 0.75
	// timeTolerance is how far a day's estimate may exceed session_minutes.
	timeTolerance = 1.05
)

// exerciseMinutes estimates one exercise's share of a session.
func exerciseMinutes(sets, restSeconds int) float64 {
	if sets <= 0 {
		return 0
	}
	return changeoverMinutes + minutesPerSet*float64(sets) + float64(restSeconds)/60*float64(sets-1)
}

// dayMinutes estimates a whole session, warm-up included.
func dayMinutes(exs []ProgramExercise) float64 {
	t := warmupMinutes
	for _, e := range exs {
		t += exerciseMinutes(e.Sets, e.RestSeconds)
	}
	return t
}

// timeLimit is the most a day's estimate may reach for a session length.
func timeLimit(sessionMinutes int) float64 {
	return float64(sessionMinutes) * timeTolerance
}
