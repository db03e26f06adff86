package web

import "liftplan/internal/science"

// exerciseUnit is "reps" or "seconds" (holds). Until science.ProgramExercise carries its unit
// (issue 13), every prescription counts reps.
func exerciseUnit(science.ProgramExercise) string { return "reps" }
