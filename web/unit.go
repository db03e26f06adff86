package web

import "liftplan/internal/science"

// exerciseUnit is "reps" or "seconds" (holds); programs stored before units existed count reps.
func exerciseUnit(e science.ProgramExercise) string {
	if e.Unit == "" {
		return "reps"
	}
	return e.Unit
}
