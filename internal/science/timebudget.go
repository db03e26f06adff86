package science

import "slices"

// The session time model of DOMAIN.md, revised (our heuristic, a labelled
// estimate rather than a measurement): warm-up, a changeover per exercise,
// working time per set (twice for unilateral work), the rest between sets of
// one exercise (moving to the next exercise is the changeover, so an
// exercise of n sets has n-1 rests), and two ramp-up sets before the first
// loaded compound of each movement pattern in a session.
const (
	warmupMinutes     = 8.0
	changeoverMinutes = 1.5
	minutesPerSet     = 0.75
	// rampUpMinutes is two lighter sets working up to the first loaded
	// compound of a movement pattern.
	rampUpMinutes = 2.5
	// unilateralFactor: one side, then the other.
	unilateralFactor = 2
	// timeTolerance is how far a day's estimate may exceed session_minutes.
	timeTolerance = 1.05
)

// exerciseMinutes estimates one exercise's share of a session, ramp-up sets
// excluded (they depend on what came before in the day).
func exerciseMinutes(c *CatalogueExercise, sets, restSeconds int) float64 {
	if sets <= 0 {
		return 0
	}
	work := minutesPerSet
	if c != nil && c.Unilateral {
		work *= unilateralFactor
	}
	return changeoverMinutes + work*float64(sets) + float64(restSeconds)/60*float64(sets-1)
}

// needsRampUp reports whether c is a loaded compound whose pattern has not
// been warmed up yet in the session; seen records the patterns so far. A
// banded or bodyweight lift starts light enough to need no ramp-up sets.
func needsRampUp(c *CatalogueExercise, seen *[]string) bool {
	if c == nil || !c.isCompound() || !c.heavyLoad() || slices.Contains(*seen, c.Pattern) {
		return false
	}
	*seen = append(*seen, c.Pattern)
	return true
}

// sessionMinutes estimates a session from its exercises in order; at(i)
// gives the catalogue entry (nil when unknown), sets and rest of exercise i.
func sessionMinutes(n int, at func(i int) (*CatalogueExercise, int, int)) float64 {
	t := warmupMinutes
	seen := make([]string, 0, maxExercisesPerDay)
	for i := range n {
		c, sets, rest := at(i)
		if sets <= 0 {
			continue
		}
		t += exerciseMinutes(c, sets, rest)
		if needsRampUp(c, &seen) {
			t += rampUpMinutes
		}
	}
	return t
}

// dayMinutes estimates a whole session of a program, warm-up included.
func dayMinutes(exs []ProgramExercise) float64 {
	cat := catalogue()
	return sessionMinutes(len(exs), func(i int) (*CatalogueExercise, int, int) {
		var c *CatalogueExercise
		if j, ok := cat.byID[exs[i].ExerciseID]; ok {
			c = &cat.list[j]
		}
		return c, exs[i].Sets, exs[i].RestSeconds
	})
}

// timeLimit is the most a day's estimate may reach for a session length.
func timeLimit(sessionMinutes int) float64 {
	return float64(sessionMinutes) * timeTolerance
}
