package training

import (
	"context"
	"math"
	"slices"
	"sort"

	"liftplan/internal/science"
)

// e1rmPrecision keeps summaries stable to the tenth of a kilogram, so the cache key does not
// change with float noise.
const e1rmPrecision = 10

// Summary is the log summary of a program, the input of its next block.
func (s *Service) Summary(ctx context.Context, p Program) (science.LogSummary, error) {
	l, err := s.loadLog(ctx, p.ID)
	if err != nil {
		return science.LogSummary{}, err
	}
	return Summarize(&p, l.sets, l.sessions), nil
}

// muscleTally accumulates one muscle's record.
type muscleTally struct {
	perWeek  map[int]int
	logged   int
	missed   int
	soreness map[string]int
	pump     map[string]int
}

// Summarize builds the log summary from a plan, its sets and its session feedback: per muscle
// the direct sets reached in the best accumulation week, missed sets and the usual feedback of
// the sessions that trained it; per exercise the best estimated max and whether it hurt.
func Summarize(p *Program, sets []Set, sessions []SessionLog) science.LogSummary {
	out := science.LogSummary{SessionsPlanned: p.sessionCount(), SessionsLogged: len(sessions),
		Muscles: []science.MuscleLog{}, Exercises: []science.ExerciseLog{}}
	tallies := map[string]*muscleTally{}
	tally := func(m string) *muscleTally {
		t := tallies[m]
		if t == nil {
			t = &muscleTally{perWeek: map[int]int{}, soreness: map[string]int{}, pump: map[string]int{}}
			tallies[m] = t
		}
		return t
	}
	for _, set := range sets {
		w, d := p.day(set.Week, set.Day)
		ex := exercise(d, set.ExerciseID)
		if ex == nil {
			continue
		}
		for _, m := range ex.PrimaryMuscles {
			t := tally(m)
			t.logged++
			if set.Reps < ex.RepMin {
				t.missed++
			}
			if w.Phase != "deload" {
				t.perWeek[set.Week]++
			}
		}
	}
	for _, sl := range sessions {
		_, d := p.day(sl.Week, sl.Day)
		if d == nil {
			continue
		}
		var trained []string
		for _, ex := range d.Exercises {
			for _, m := range ex.PrimaryMuscles {
				if !slices.Contains(trained, m) {
					trained = append(trained, m)
				}
			}
		}
		for _, m := range trained {
			t := tally(m)
			t.soreness[sl.Feedback.Soreness]++
			t.pump[sl.Feedback.Pump]++
		}
	}
	for _, m := range science.Muscles {
		t := tallies[m]
		if t == nil || t.logged == 0 {
			continue
		}
		reached := 0
		for _, n := range t.perWeek {
			reached = max(reached, n)
		}
		out.Muscles = append(out.Muscles, science.MuscleLog{Muscle: m, ReachedSets: reached, LoggedSets: t.logged, MissedSets: t.missed,
			Soreness: mostFrequent(t.soreness, SorenessChoices), Pump: mostFrequent(t.pump, PumpChoices)})
	}
	out.Exercises = exerciseLogs(sets, sessions)
	return out
}

// mostFrequent is the commonest answer; a tie goes to the later choice, so lasting soreness
// outweighs mild and a great pump outweighs a good one only when as frequent.
func mostFrequent(counts map[string]int, choices []string) string {
	best, n := "", 0
	for _, c := range choices {
		if counts[c] > 0 && counts[c] >= n {
			best, n = c, counts[c]
		}
	}
	return best
}

// exerciseLogs is the per-exercise part of a summary, sorted by id.
func exerciseLogs(sets []Set, sessions []SessionLog) []science.ExerciseLog {
	byID := map[string][]Set{}
	for _, s := range sets {
		byID[s.ExerciseID] = append(byID[s.ExerciseID], s)
	}
	painful := map[string]bool{}
	for _, sl := range sessions {
		if sl.Feedback.JointPain != science.JointPainStop {
			continue
		}
		for _, id := range sl.Feedback.Painful {
			painful[id] = true
			if _, ok := byID[id]; !ok {
				byID[id] = nil
			}
		}
	}
	out := []science.ExerciseLog{}
	for id, ss := range byID {
		out = append(out, science.ExerciseLog{ExerciseID: id, E1RMKg: math.Round(E1RM(ss)*e1rmPrecision) / e1rmPrecision, Painful: painful[id]})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ExerciseID < out[j].ExerciseID })
	return out
}
