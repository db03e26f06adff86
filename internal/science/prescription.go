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

// Rest floors of "A coach's standard" (DOMAIN.md): heavy sets of 6 reps or
// fewer at least 3 minutes, loaded compounds at least 2, isolations 60–90 s,
// bodyweight work at least 60 s. The time budget trims sets, never rest
// below these.
const (
	MinRestSeconds       = 60
	MaxIsolationRest     = 90
	MinCompoundRest      = 120
	MinHeavyRest         = 180
	heavyRepMax          = 6
	compoundRestLong     = 150
	isolationRestLong    = 75
	bodyweightRestLong   = 90
	longSessionThreshold = 60
)

// restSeconds gives the rest for an exercise in its role: the floors above,
// a little more for compounds and isolations when the session is an hour or
// longer (2–3 min for compounds, ACSM 2009).
func restSeconds(e *CatalogueExercise, r role, sessionMinutes int) int {
	long := sessionMinutes >= longSessionThreshold
	switch {
	case r == roleHeavy:
		return MinHeavyRest
	case r == roleCompound && e.restsLikeLoaded():
		if long {
			return compoundRestLong
		}
		return MinCompoundRest
	case r == roleCompound && long:
		return bodyweightRestLong
	case r == roleCompound:
		return MinRestSeconds
	case long:
		return isolationRestLong
	default:
		return MinRestSeconds
	}
}

// minRestFor is the least rest the standard accepts for a prescription.
func minRestFor(c *CatalogueExercise, repMax int, unit string) int {
	switch {
	case c == nil || !c.isCompound() || !c.restsLikeLoaded():
		return MinRestSeconds
	case unit == UnitReps && repMax <= heavyRepMax:
		return MinHeavyRest
	default:
		return MinCompoundRest
	}
}

// roleOf returns the role of an exercise at a position in its day.
func roleOf(e *CatalogueExercise, goal string, firstCompound bool) role {
	switch {
	case !e.isCompound():
		return roleIsolation
	case goal == GoalStrength && firstCompound && e.takesTriples():
		// A bodyweight lift cannot be loaded for 3–6 reps; it progresses
		// by reps and harder variations instead. Nor can a band: a
		// triple needs a tension no band gives through the whole rep.
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
	if e.Hold {
		return holdSeconds(e)
	}
	lo, hi := repRange(goal, r)
	if len(e.Equipment) == 0 && e.isCompound() {
		return max(lo, 8), max(hi, 20)
	}
	return lo, hi
}

// holdSeconds is the duration range of a hold: long enough to count,
// inside DOMAIN.md's 10–90 s.
func holdSeconds(e *CatalogueExercise) (int, int) {
	if e.Pattern == PatternCarry || e.Pattern == PatternSquat {
		return 30, 60
	}
	return 20, 45
}

// restsLikeLoaded reports compounds that need a loaded lift's rest: anything
// with weights, a machine or a cable, and pull-ups and dips on a bar, where
// the body is the load. Banded compounds rest like bodyweight work (60–90 s).
func (e *CatalogueExercise) restsLikeLoaded() bool {
	if e.heavyLoad() {
		return true
	}
	for _, q := range e.Equipment {
		if q == "pullup_bar" {
			return true
		}
	}
	return false
}
