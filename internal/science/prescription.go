package science

// role is what an exercise does in its session; reps and rest follow from it.
type role int

const (
	// roleHeavy is a strength-goal day's first compound: low reps, long rest.
	roleHeavy role = iota
	// roleCompound is any other multi-joint lift.
	roleCompound
	// roleIsolation is a single-joint exercise.
	roleIsolation
)

// repRange returns DOMAIN.md's default reps for the goal and role: heavy
// compounds 3–6 for strength, compounds 6–12, isolations 10–20. Strength
// keeps its other compounds heavier (5–8) and general fitness stays in the
// comfortable 8–12 / 12–20 ranges, since growth is similar across 6–30 reps
// when sets end near failure (Schoenfeld 2021).
func repRange(goal string, r role) (int, int) {
	switch {
	case r == roleHeavy:
		return 3, 6
	case goal == GoalStrength && r == roleCompound:
		return 5, 8
	case goal == GoalStrength:
		return 10, 15
	case goal == GoalGeneralFitness && r == roleCompound:
		return 8, 12
	case goal == GoalGeneralFitness:
		return 12, 20
	case r == roleCompound:
		return 6, 12
	default:
		return 10, 20
	}
}

// restSeconds follows DOMAIN.md (3–5 min heavy, 2–3 min compounds, 60–90 s
// isolations) and shortens rest in sessions under an hour: a coach with 30
// minutes keeps the working sets and trims the rest, and 90 s still works
// for compounds. Nothing goes below 60 s.
func restSeconds(r role, sessionMinutes int) int {
	short := sessionMinutes < 60
	switch r {
	case roleHeavy:
		switch {
		case sessionMinutes < 45:
			return 120
		case short:
			return 150
		default:
			return 180
		}
	case roleCompound:
		if short {
			return 90
		}
		return 120
	default:
		if short {
			return 60
		}
		return 75
	}
}

// roleOf returns the role of an exercise at a position in its day.
func roleOf(e *CatalogueExercise, goal string, firstCompound bool) role {
	switch {
	case !e.isCompound():
		return roleIsolation
	case goal == GoalStrength && firstCompound && len(e.Equipment) > 0:
		// A bodyweight lift cannot be loaded for 3–6 reps; it progresses
		// by reps and harder variations instead.
		return roleHeavy
	default:
		return roleCompound
	}
}

// repsFor is repRange for a particular exercise: a bodyweight compound's
// range widens to 8–20, because without external load reps are the
// progression (growth is similar from about 6 to 30+ reps when sets end
// near failure, Schoenfeld 2021).
func repsFor(e *CatalogueExercise, goal string, r role) (int, int) {
	lo, hi := repRange(goal, r)
	if len(e.Equipment) == 0 && e.isCompound() {
		return max(lo, 8), max(hi, 20)
	}
	return lo, hi
}
