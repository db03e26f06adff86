package app

import (
	"context"
	"fmt"
	"slices"
	"time"

	"liftplan/internal/auth"
	"liftplan/internal/science"
	"liftplan/internal/training"
)

// demoWeeksLogged is how much of the demo user's block is logged: enough for Today to suggest
// loads, History to draw a trend, the coach to see adherence and a next block to have a log.
const demoWeeksLogged = 2

// demoOtherBarbellKg is the first load of a barbell lift whose pattern has none of its own.
const demoOtherBarbellKg = 40

// demoStartKg is a plausible first load for an intermediate lifter, by equipment and pattern.
func demoStartKg(ex science.ProgramExercise) float64 {
	c, _ := science.LookupExercise(ex.ExerciseID)
	has := func(e string) bool { return slices.Contains(ex.Equipment, e) }
	switch {
	case has("barbell"):
		return demoBarbellKg[c.Pattern]
	case has("dumbbells"), has("kettlebells"):
		if c.Mechanic == science.MechanicCompound {
			return 18
		}
		return 8
	case has("cables"), has("machines"):
		return 30
	default:
		return 0 // bodyweight
	}
}

// demoBarbellKg are first barbell loads by movement pattern (40 kg for any other).
var demoBarbellKg = map[string]float64{
	science.PatternSquat: 70, science.PatternHinge: 80, science.PatternHorizontalPush: 50,
	science.PatternVerticalPush: 30, science.PatternHorizontalPull: 45,
}

// demoTraining logs the first two weeks of the demo user's program through the training
// service, backdated over the last fortnight: week 1 hits the top of most ranges, so week 2 shows
// double progression at work (some exercises up a step, one set short of the top).
func demoTraining(ctx context.Context, svc *training.Service, u auth.User, programID int64) error {
	p, err := svc.Get(ctx, u, programID)
	if err != nil {
		return err
	}
	if !p.Ready {
		return nil
	}
	days := len(p.Plan.Weeks[0].Days)
	start := time.Now().Add(-time.Duration(demoWeeksLogged*7) * 24 * time.Hour)
	for week := 1; week <= demoWeeksLogged && week < len(p.Plan.Weeks); week++ {
		for day := 1; day <= days; day++ {
			at := start.Add(time.Duration(((week-1)*days+day-1)*7*24/days) * time.Hour)
			if err := demoSession(ctx, svc, u, programID, week, day, at); err != nil {
				return err
			}
		}
	}
	return nil
}

// demoSession logs one session at the suggested loads and completes it with feedback.
func demoSession(ctx context.Context, svc *training.Service, u auth.User, programID int64, week, day int, at time.Time) error {
	sess, err := svc.Today(ctx, u, programID, week, day)
	if err != nil {
		return err
	}
	for i, ex := range sess.Exercises {
		kg := demoStartKg(ex.ProgramExercise)
		if kg == 0 && ex.Suggestion.Kg == nil && slices.Contains(ex.Equipment, "barbell") {
			kg = demoOtherBarbellKg
		}
		if ex.Suggestion.Kg != nil {
			kg = *ex.Suggestion.Kg
		}
		for set := 1; set <= ex.Sets; set++ {
			reps := ex.RepMax
			if week == demoWeeksLogged && i%2 == 1 && set == ex.Sets {
				reps = ex.RepMax - 2 // the last set of every other exercise falls short: same load next time
			}
			rir := ex.TargetRIR
			in := training.SetInput{Week: week, Day: day, ExerciseID: ex.ExerciseID, SetNo: set, WeightKg: kg, Reps: reps, RIR: &rir,
				ClientKey: fmt.Sprintf("demo-%d-%d-%d-%s-%d", programID, week, day, ex.ExerciseID, set),
				LoggedAt:  at.Add(time.Duration(i*ex.Sets+set) * 3 * time.Minute)}
			if _, err := svc.LogSet(ctx, u, programID, in); err != nil {
				return err
			}
		}
	}
	fb := training.Feedback{Soreness: science.SorenessMild, Pump: science.PumpGood, JointPain: science.JointPainNone, At: at.Add(time.Hour)}
	if week == 1 && day == 1 {
		fb.Soreness, fb.Pump = science.SorenessNone, science.PumpGreat
	}
	return svc.Complete(ctx, u, programID, week, day, fb)
}
