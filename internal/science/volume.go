package science

// weekTally is the recomputed volume of one week.
type weekTally struct {
	direct     [numMuscles]int
	fractional [numMuscles]float64
	freq       [numMuscles]int   // days with at least one direct set
	perDay     [][numMuscles]int // direct sets per day
}

// exerciseMuscles returns the prime movers and assisting muscles of a
// program exercise: the catalogue's when the id is known (never trust a
// model's bookkeeping), else what the program lists.
func exerciseMuscles(e *ProgramExercise) (primary, secondary []int8) {
	if i, ok := catalogue().byID[e.ExerciseID]; ok {
		c := &catalogue().list[i]
		for _, p := range c.primary {
			if p >= 0 {
				primary = append(primary, p)
			}
		}
		return primary, c.second
	}
	for _, n := range e.PrimaryMuscles {
		if m := muscleIndex(n); m >= 0 {
			primary = append(primary, int8(m))
		}
	}
	for _, n := range e.SecondaryMuscles {
		if m := muscleIndex(n); m >= 0 {
			secondary = append(secondary, int8(m))
		}
	}
	return primary, secondary
}

// tallyWeek recomputes direct sets (primary muscles), fractional sets
// (direct + 0.5 × secondary, Pelland et al. 2025) and frequency for a week.
func tallyWeek(w *Week) weekTally {
	t := weekTally{perDay: make([][numMuscles]int, len(w.Days))}
	for d := range w.Days {
		for i := range w.Days[d].Exercises {
			e := &w.Days[d].Exercises[i]
			sets := max(e.Sets, 0)
			primary, secondary := exerciseMuscles(e)
			for _, m := range primary {
				t.direct[m] += sets
				t.fractional[m] += float64(sets)
				t.perDay[d][m] += sets
			}
			for _, m := range secondary {
				t.fractional[m] += 0.5 * float64(sets)
			}
		}
		for m := range numMuscles {
			if t.perDay[d][m] > 0 {
				t.freq[m]++
			}
		}
	}
	return t
}

// weeklyVolume recomputes the weekly_volume list of a program: every muscle
// in every week, direct sets, the analysis' priority, and landmarks at the
// frequency the week actually trains the muscle.
func weeklyVolume(a *Analysis, p *Program) []WeeklyVolume {
	out := make([]WeeklyVolume, 0, len(p.Weeks)*numMuscles)
	for wi := range p.Weeks {
		t := tallyWeek(&p.Weeks[wi])
		for m := range numMuscles {
			out = append(out, WeeklyVolume{
				Week:      p.Weeks[wi].Week,
				Muscle:    Muscles[m],
				Sets:      t.direct[m],
				Priority:  a.priority(m),
				Landmarks: landmarksFor(m, a.Input.Experience, max(t.freq[m], 1)),
			})
		}
	}
	return out
}

// priority returns the exported priority of muscle m.
func (a *Analysis) priority(m int) string {
	if m < len(a.Muscles) {
		return a.Muscles[m].Priority
	}
	return PriorityGrow
}

// MuscleVolume is one muscle's volume in one week, counted both ways.
type MuscleVolume struct {
	// Week is the week number.
	Week int `json:"week"`
	// Muscle is the muscle name.
	Muscle string `json:"muscle"`
	// DirectSets counts sets where the muscle is a prime mover (what RP's landmarks price).
	DirectSets int `json:"direct_sets"`
	// FractionalSets counts direct sets plus half of each assisting set.
	FractionalSets float64 `json:"fractional_sets"`
	// Frequency is the number of days the muscle gets direct sets.
	Frequency int `json:"frequency"`
}

// Volumes recomputes direct and fractional sets of every muscle in every
// week, for the scientific metadata stored next to a program.
func Volumes(p Program) []MuscleVolume {
	out := make([]MuscleVolume, 0, len(p.Weeks)*numMuscles)
	for wi := range p.Weeks {
		t := tallyWeek(&p.Weeks[wi])
		for m := range numMuscles {
			out = append(out, MuscleVolume{
				Week: p.Weeks[wi].Week, Muscle: Muscles[m],
				DirectSets: t.direct[m], FractionalSets: t.fractional[m], Frequency: t.freq[m],
			})
		}
	}
	return out
}
