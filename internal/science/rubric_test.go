package science

import (
	"fmt"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

// A coach's rubric (DOMAIN.md, "A coach's standard") as tests: a property
// test over a grid of thousands of profiles and a table of hand-picked
// profiles naming the exercises a demanding coach objected to.

// rubricInjurySets adds the injured lifters to the usual sets.
var rubricInjurySets = [][]string{nil, {"knee"}, {"shoulder", "lower_back"}, {"hip"}, {"shoulder", "elbow", "wrist"}}

// rubricGrid is every goal × level × 2–6 days × 30–120 minutes × equipment
// set × injury set × weak points (none, one, two, rotating through every
// muscle); the tier alternates so both block lengths appear.
func rubricGrid() []Input {
	var out []Input
	i := 0
	for _, goal := range Goals {
		for _, level := range Levels {
			for days := MinDays; days <= MaxDays; days++ {
				for _, minutes := range []int{30, 45, 60, 90, 120} {
					for _, eq := range []string{"bodyweight", "dumbbells", "home_gym", "full_gym"} {
						for _, inj := range rubricInjurySets {
							for nWeak := range 3 {
								weak := []string{}
								for k := range nWeak {
									weak = append(weak, Muscles[(i+5*k)%len(Muscles)])
								}
								i++
								out = append(out, Input{Goal: goal, Experience: level, DaysPerWeek: days, SessionMinutes: minutes,
									HasPaidAccess: i%2 == 0, Equipment: equipmentSets[eq], Injuries: inj, WeakPoints: weak})
							}
						}
					}
				}
			}
		}
	}
	return out
}

// zeroRules are the standard's rules no built-in program may break.
var zeroRules = []string{
	RuleEmptyDay, RuleDeloadMuscle, RuleUnit, RuleRestFloor, RuleSetCount, RuleOrder, RuleQuality,
	RuleJargon, RuleDuplicate, RuleStrength, RuleHamsQuadsRatio, RuleMusclesPerSession, RuleEmphasis,
	RuleKneeFlexion, RuleProgression, RuleBeginnerExercises, RulePullPushRatio, RuleVolumeJump,
}

// ceilingRules are the standard's rules the generator does not yet meet for
// every profile; the ceilings are the counts measured when they were set and
// only ever go down (a regression fails the test).
var ceilingRules = map[string]int{
	// None left. rubric_time_unused (a muscle held below its untrimmed ramp
	// while every peak-week day leaves 15 % of the limit free and a day
	// that trains it could still give it a set within the standard's caps)
	// went 2348 → 165 → 2 → 0 as restore learnt to give back every set the
	// days have room for, the check learnt the caps, and the give-back
	// counted pushing as the fitter programs it.
}

// rubricViolations returns what a coach would object to in one program,
// as rule → message; checks beyond Validate are named "rubric_*".
func rubricViolations(in Input) (map[string]string, error) {
	a, err := Analyze(in)
	if err != nil {
		return nil, err
	}
	p := Generate(a)
	out := map[string]string{}
	for _, f := range Validate(a, p) {
		if f.Severity == SeverityError || slices.Contains(zeroRules, f.Rule) || ceilingRules[f.Rule] > 0 {
			if _, ok := out[f.Rule]; !ok {
				out[f.Rule] = f.Message
			}
		}
	}
	// Truthful time: "time is short" only when a day really is near its limit.
	longest := 0.0
	for _, d := range p.Weeks[len(p.Weeks)-2].Days {
		longest = max(longest, dayMinutes(d.Exercises))
	}
	for _, w := range p.Science.Warnings {
		if strings.HasPrefix(w, timeShortPrefix) && longest < truthfulShare*a.MaxDayMinutes && !a.compact {
			out["rubric_time_warning"] = fmt.Sprintf("says time is short, longest day %.0f of %.0f min", longest, a.MaxDayMinutes)
		}
	}
	// Time left unused: a muscle held below its untrimmed ramp while the
	// longest day of the peak week leaves 15 % of the limit free, and a day
	// that trains it could still give it a set within the standard's caps.
	if held := a.heldWithRoom(&p); held != "" && longest < (1-unusedShare)*a.MaxDayMinutes && !a.compact {
		out[ruleTimeUnused] = fmt.Sprintf("%s held below target, longest day %.0f of %.0f min", held, longest, a.MaxDayMinutes)
	}
	if in.Goal == GoalStrength {
		if msg := strengthVolume(&a, &p); msg != "" {
			out[ruleStrengthVolume] = msg
		}
	}
	// Specific rationale: two different exercises never share one sentence.
	seen := map[string]string{}
	for _, d := range p.Weeks[0].Days {
		for _, x := range d.Exercises {
			if id, ok := seen[x.Rationale]; ok && id != x.ExerciseID {
				out["rubric_rationale"] = fmt.Sprintf("%s and %s share %q", id, x.ExerciseID, x.Rationale)
			}
			seen[x.Rationale] = x.ExerciseID
		}
	}
	// Words for lifters: nobody is told "maintenance volume", a hold gets
	// no reps in reserve, and a declared injury is named in the rationale.
	if w := lifterWordsViolation(in, p); w != "" {
		out["rubric_words"] = w
	}
	// A hold is a last resort: never a stop-gap hold when a loadable
	// exercise for its muscle is allowed.
	for _, d := range p.Weeks[0].Days {
		for _, x := range d.Exercises {
			if c, _ := LookupExercise(x.ExerciseID); c.Hold && c.Quality == tierCompromised && a.loadableFor(int(c.primary[0])) != "" {
				out["rubric_hold_choice"] = fmt.Sprintf("%s although %s is allowed", c.ID, a.loadableFor(int(c.primary[0])))
			}
		}
	}
	// A weak point that conflicts with an injury is named in a warning.
	for _, wp := range in.WeakPoints {
		if a.weakPointHurts(muscleIndex(wp)) && !slices.ContainsFunc(p.Science.Warnings, func(w string) bool {
			return strings.Contains(w, sayMuscle("{m} {is|are} a weak point", muscleIndex(wp)))
		}) {
			out["rubric_weak_point_injury"] = wp
		}
	}
	return out, nil
}

// loadableFor returns an allowed loadable exercise led by muscle m, or "".
func (a *Analysis) loadableFor(m int) string {
	for i := range catalogue().list {
		if o := &catalogue().list[i]; o.primary[0] == int8(m) && o.Quality <= tierKettlebell && !o.Hold && a.isAllowed(o) {
			return o.ID
		}
	}
	return ""
}

// lifterWordsViolation returns the first text a lifter would stumble on.
func lifterWordsViolation(in Input, p Program) string {
	texts := append([]string{p.Science.Rationale}, p.Science.Warnings...)
	for _, d := range p.Weeks[0].Days {
		for _, x := range d.Exercises {
			texts = append(texts, x.Notes, x.Rationale)
			if x.Unit == UnitSeconds && (strings.Contains(x.Notes, "rep") || strings.Contains(x.Rationale, " RIR")) {
				return fmt.Sprintf("hold %s written in reps: %q", x.ExerciseID, x.Notes)
			}
		}
	}
	for _, s := range texts {
		if low := strings.ToLower(s); strings.Contains(low, "maintenance") || strings.Contains(low, " mev") || strings.Contains(low, " mrv") {
			return s
		}
	}
	for _, inj := range in.Injuries {
		if !strings.Contains(p.Science.Rationale, "injured") || !strings.Contains(p.Science.Rationale, injuryLabel(inj)) {
			return fmt.Sprintf("rationale does not name the injured %s", injuryLabel(inj))
		}
	}
	return ""
}

// checkInjuredUpperBody holds what a coach asked of the shoulder, elbow and
// wrist profile: rear delt work, moderate arm isolation (few sets, never
// near failure, elbow-friendly variants), swaps explained by the injury,
// and a program rationale naming the injuries.
func checkInjuredUpperBody(t *testing.T, a Analysis, p Program) {
	rear := false
	for _, w := range p.Weeks[:len(p.Weeks)-1] {
		arms := map[int]int{}
		for _, d := range w.Days {
			for _, x := range d.Exercises {
				c, _ := LookupExercise(x.ExerciseID)
				rear = rear || c.Pattern == PatternRearDeltFly
				if !c.isCompound() && (c.hasPrimary(mBiceps) || c.hasPrimary(mTriceps)) {
					arms[int(c.primary[0])] += x.Sets
					if x.TargetRIR < elbowRIRFloor || !strings.Contains(x.Notes, "Elbow:") {
						t.Errorf("week %d %s: %s at RIR %d, notes %q", w.Week, d.Label, x.ExerciseID, x.TargetRIR, x.Notes)
					}
				}
			}
		}
		for m, n := range arms {
			if n > a.Muscles[m].Landmarks.MEV {
				t.Errorf("week %d: %d sets of %s isolation on an injured elbow, above MEV %d", w.Week, n, Muscles[m], a.Muscles[m].Landmarks.MEV)
			}
		}
	}
	if !rear {
		t.Error("no rear delt work for an injured shoulder")
	}
	explained := map[string]bool{}
	for _, d := range p.Weeks[0].Days {
		for _, x := range d.Exercises {
			if strings.Contains(x.Rationale, "in place of the") && strings.Contains(x.Rationale, "injured") {
				explained[x.ExerciseID] = true
			}
		}
	}
	for _, id := range []string{"dumbbell_bench_press", "neutral_grip_lat_pulldown", "hack_squat"} {
		if !explained[id] {
			t.Errorf("%s: its rationale does not say which exercise it replaces and why", id)
		}
	}
	for _, joint := range []string{"shoulder", "elbow", "wrist"} {
		if !strings.Contains(p.Science.Rationale, joint) {
			t.Errorf("program rationale does not name the %s: %q", joint, p.Science.Rationale)
		}
	}
	if !strings.Contains(p.Science.Rationale, "barbell bench press") || !strings.Contains(p.Science.Rationale, "barbell back squat") {
		t.Errorf("program rationale does not say what was left out: %q", p.Science.Rationale)
	}
}

// checkBandSessions holds what a coach asked of a banded 30-minute session:
// band work rested 60–90 s with no ramp-up sets, so each session holds at
// least four exercises and ten working sets.
func checkBandSessions(t *testing.T, a Analysis, p Program) {
	for _, d := range p.Weeks[len(p.Weeks)-2].Days {
		sets := 0
		for _, x := range d.Exercises {
			sets += x.Sets
			if x.RestSeconds > MaxIsolationRest {
				t.Errorf("%s: %s rests %d s; a band set needs 60–90 s", d.Label, x.ExerciseID, x.RestSeconds)
			}
		}
		if len(d.Exercises) < 4 || sets < 10 {
			t.Errorf("%s: %d exercises, %d sets in %d minutes", d.Label, len(d.Exercises), sets, a.SessionMinutes)
		}
	}
}

// truthfulShare: a "time is short" warning with every day under this share
// of the limit would not be true.
const truthfulShare = 0.7

// unusedShare: a plan that trims a muscle while every day leaves this share
// of the limit free has not used the time it was given.
const unusedShare = 0.15

// rubricBudget bounds the rubric's wall time inside the whole suite.
const rubricBudget = 3 * time.Minute

// ruleTimeUnused names the rubric's time-left-unused check.
const ruleTimeUnused = "rubric_time_unused"

// heldWithRoom names the first muscle the fitted plan holds below its
// untrimmed peak although the peak week has room for more of it, with that
// room ("" when there is none): a held muscle whose every training day is
// at DOMAIN.md's caps (8 exercises, 6 muscles with 4+ days, 12 sets of the
// muscle, 5 sets an exercise, MRV, the balances) or whose exercises the
// equipment and injuries have used up is held by the rules, not by unused
// time.
func (a *Analysis) heldWithRoom(p *Program) string {
	pk := a.accumulationWeeks() - 1
	for m := range numMuscles {
		if a.baseState.m[m].status == statusIndirect || a.stateUsed.m[m].target(pk) >= a.baseState.m[m].target(pk) {
			continue
		}
		if room := a.roomFor(p, m); room != "" {
			return Muscles[m] + " (" + room + ")"
		}
	}
	return ""
}

// roomFor says how the peak week could give muscle m another set within
// the standard, or "": one more set of an exercise m leads (up to 5), or a
// new 2-set exercise for m on a day of its split with a free slot — an
// allowed one, not on the day, no stop-gap unless it supplements a better
// exercise there, no stop-gap hold — keeping every prime mover within MRV
// and 12 sets a session, pulling at 0.8 × pushing, hamstrings at half the
// quads, and the day within its time limit.
func (a *Analysis) roomFor(p *Program, m int) string {
	peak := &p.Weeks[a.accumulationWeeks()-1]
	w := tallyWeek(peak)
	push, pull := 0, 0
	for _, d := range peak.Days {
		for _, x := range d.Exercises {
			c, _ := LookupExercise(x.ExerciseID)
			switch {
			case slices.Contains(pushPatterns, c.Pattern):
				push += x.Sets
			case slices.Contains(pullPatterns, c.Pattern):
				pull += x.Sets
			}
		}
	}
	fits := func(day *[numMuscles]int, c *CatalogueExercise, n int) bool {
		for _, pm := range c.primary {
			if pm >= 0 && (w.direct[pm]+n > a.Muscles[pm].Landmarks.MRV || day[pm]+n > maxSessionSets) {
				return false
			}
		}
		pushes := slices.Contains(pushPatterns, c.Pattern)
		return (!pushes || ceilShare(push+n, pullPushNum, pullPushDen) <= pull) &&
			(!c.hasPrimary(mQuads) || hamstringsFloor(w.direct[mQuads]+n) <= w.direct[mHamstrings])
	}
	// A beginner's week keeps to about 12 distinct exercises.
	distinct := map[string]bool{}
	for _, d := range peak.Days {
		for _, x := range d.Exercises {
			distinct[x.ExerciseID] = true
		}
	}
	fresh := func(id string) bool {
		return a.Input.Experience != LevelBeginner || distinct[id] || len(distinct) < maxBeginnerExercises
	}
	for di, d := range peak.Days {
		if !slices.Contains(a.Split.Days[di].muscles, m) {
			continue
		}
		if room := a.roomOnDay(&d, m, fits, fresh); room != "" {
			return d.Label + ": " + room
		}
	}
	return ""
}

// roomOnDay is roomFor on one day; fits checks the week's caps, fresh
// whether the week may take the exercise.
func (a *Analysis) roomOnDay(d *Day, m int, fits func(*[numMuscles]int, *CatalogueExercise, int) bool, fresh func(string) bool) string {
	left := a.MaxDayMinutes - dayMinutes(d.Exercises)
	var day [numMuscles]int
	var patterns []string
	for _, x := range d.Exercises {
		c, _ := LookupExercise(x.ExerciseID)
		for _, pm := range c.primary {
			if pm >= 0 {
				day[pm] += x.Sets
			}
		}
		needsRampUp(&c, &patterns)
	}
	for _, x := range d.Exercises {
		c, _ := LookupExercise(x.ExerciseID)
		if int(c.primary[0]) == m && x.Sets < coachMaxSets && fits(&day, &c, 1) &&
			exerciseMinutes(&c, x.Sets+1, x.RestSeconds)-exerciseMinutes(&c, x.Sets, x.RestSeconds) <= left {
			return fmt.Sprintf("one more set of %s (%d)", c.ID, x.Sets)
		}
	}
	if len(d.Exercises) >= maxExercisesPerDay {
		return ""
	}
	for _, i := range a.byMuscle[m] {
		c := &catalogue().list[i]
		if int(c.primary[0]) != m || (c.Quality > int(a.bestTier[i])+qualitySlack && !supplementsBetter(d.Exercises, c, int(a.bestTier[i]))) ||
			(c.Hold && c.Quality == tierCompromised) || slices.ContainsFunc(d.Exercises, func(x ProgramExercise) bool { return x.ExerciseID == c.ID }) ||
			!fits(&day, c, coachMinSets) || !fresh(c.ID) || (a.Input.DaysPerWeek > strengthMinDays && musclesWith(&day, c) > maxMusclesPerSession) ||
			(a.Input.Goal == GoalStrength && secondIsolation(d.Exercises, c)) {
			continue
		}
		t := exerciseMinutes(c, coachMinSets, restSeconds(c, roleOf(c, a.Input.Goal, false), a.SessionMinutes))
		if needsRampUp(c, &[]string{}) && !slices.Contains(patterns, c.Pattern) {
			t += rampUpMinutes
		}
		if t <= left {
			return "a new " + c.ID
		}
	}
	return ""
}

// secondIsolation reports whether isolation c would be a second variant of
// an isolation the day already holds for the same muscle: a strength day
// gives the one exercise the sets instead (repeatsIsolation, from a coach's
// objection to a single-leg and a barbell calf raise on one day).
func secondIsolation(day []ProgramExercise, c *CatalogueExercise) bool {
	return !c.isCompound() && slices.ContainsFunc(day, func(x ProgramExercise) bool {
		o, _ := LookupExercise(x.ExerciseID)
		return !o.isCompound() && o.Pattern == c.Pattern && o.primary[0] == c.primary[0]
	})
}

// weakPointHurts reports whether an injury excludes one of m's usual exercises.
func (a *Analysis) weakPointHurts(m int) bool {
	for _, c := range catalogue().list {
		if c.primary[0] == int8(m) && c.missingEquipment(a.Input.Equipment) == "" && levelRank(c.Level) <= levelRank(a.Input.Experience) && c.contraindicatedBy(a.Input.Injuries) != "" {
			return true
		}
	}
	return false
}

// TestCoachRubric runs the rubric over the whole grid: no errors, no breach
// of the zero rules, the other rules under their ceilings, in under a minute.
func TestCoachRubric(t *testing.T) {
	start := time.Now()
	inputs := rubricGrid()
	var mu sync.Mutex
	counts := map[string]int{}
	example := map[string]string{}
	jobs := make(chan Input)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for in := range jobs {
				v, err := rubricViolations(in)
				mu.Lock()
				if err != nil {
					counts["analyze"]++
					example["analyze"] = err.Error()
				}
				for rule, msg := range v {
					counts[rule]++
					if _, ok := example[rule]; !ok {
						example[rule] = fmt.Sprintf("%s/%s/%dd/%dmin eq=%v inj=%v weak=%v: %s", in.Goal, in.Experience, in.DaysPerWeek, in.SessionMinutes, in.Equipment, in.Injuries, in.WeakPoints, msg)
					}
				}
				mu.Unlock()
			}
		}()
	}
	for _, in := range inputs {
		jobs <- in
	}
	close(jobs)
	wg.Wait()
	elapsed := time.Since(start)
	rules := make([]string, 0, len(counts))
	for r := range counts {
		rules = append(rules, r)
	}
	sort.Strings(rules)
	violations := 0
	for _, r := range rules {
		if ceiling, ok := ceilingRules[r]; ok {
			t.Logf("%-22s %5d programs (ceiling %d), e.g. %s", r, counts[r], ceiling, example[r])
			if counts[r] > ceiling {
				t.Errorf("%s: %d programs, above the ceiling %d; e.g. %s", r, counts[r], ceiling, example[r])
			}
			continue
		}
		violations += counts[r]
		t.Errorf("%s: %d programs, e.g. %s", r, counts[r], example[r])
	}
	t.Logf("rubric: %d profiles, %d violations of zero rules, %v", len(inputs), violations, elapsed.Round(time.Millisecond))
	if len(inputs) < 10000 {
		t.Errorf("grid has %d profiles, want thousands", len(inputs))
	}
	// The grid takes 25-45 s alone on an idle 2-core machine (`go test
	// ./internal/science -run TestCoachRubric -v` logs it).
	// Wall time here shares the cores with every other package of
	// `go test ./...`, so this guard only catches a gross regression that
	// would push the suite past its budget.
	if elapsed > rubricBudget {
		t.Errorf("rubric took %v, want under %v", elapsed, rubricBudget)
	}
}

// TestCoachObjections: hand-picked profiles, each with the exercises a
// demanding coach objected to in the programs this engine used to write.
func TestCoachObjections(t *testing.T) {
	fullGym := EquipmentKinds
	cases := []struct {
		name      string
		in        Input
		forbidden []string
		check     func(t *testing.T, a Analysis, p Program)
	}{
		{"shoulder, elbow and wrist injured",
			Input{Goal: GoalHypertrophy, Experience: LevelIntermediate, DaysPerWeek: 4, SessionMinutes: 60, Equipment: []string{"barbell", "bench", "dumbbells", "machines", "cables", "pullup_bar"}, Injuries: []string{"shoulder", "elbow", "wrist"}},
			[]string{"barbell_bench_press", "pull_up", "chin_up", "barbell_curl", "barbell_reverse_curl", "cable_reverse_curl", "close_grip_bench_press", "barbell_skull_crusher", "dumbbell_skull_crusher", "push_up", "bench_dip", "barbell_upright_row", "barbell_overhead_press",
				// A bar across the back loads all three joints; an overhead
				// pull with the hands wide or turned forward loads the shoulder.
				"barbell_back_squat", "barbell_pause_squat", "smith_machine_squat", "barbell_front_squat", "barbell_reverse_lunge", "good_morning", "barbell_calf_raise",
				"lat_pulldown", "close_grip_lat_pulldown", "machine_pulldown",
				// Deep-stretch and braced curls on an injured elbow.
				"incline_dumbbell_curl", "bayesian_cable_curl", "machine_preacher_curl"},
			checkInjuredUpperBody},
		{"hip injury",
			Input{Goal: GoalHypertrophy, Experience: LevelBeginner, DaysPerWeek: 3, SessionMinutes: 120, Equipment: equipmentSets["home_gym"], Injuries: []string{"hip"}, WeakPoints: []string{"biceps"}},
			[]string{"barbell_back_squat", "barbell_reverse_lunge", "dumbbell_step_up", "dumbbell_walking_lunge", "dumbbell_goblet_squat", "dumbbell_bulgarian_split_squat"}, nil},
		{"strength on the main lifts",
			Input{Goal: GoalStrength, Experience: LevelIntermediate, DaysPerWeek: 4, SessionMinutes: 90, Equipment: fullGym},
			nil, func(t *testing.T, a Analysis, p Program) {
				hinge, ohp := false, 0
				for _, d := range p.Weeks[0].Days {
					first, _ := LookupExercise(d.Exercises[0].ExerciseID)
					if first.Pattern == PatternVerticalPull || !first.isLoaded() || d.Exercises[0].RepMax > heavyRepMax || !hasLoadStep(d.Exercises[0].Notes) {
						t.Errorf("%s opens with %s %d–%d (%q)", d.Label, first.ID, d.Exercises[0].RepMin, d.Exercises[0].RepMax, d.Exercises[0].Notes)
					}
					for _, x := range d.Exercises {
						c, _ := LookupExercise(x.ExerciseID)
						hinge = hinge || c.Pattern == PatternHinge
						if c.Pattern == PatternVerticalPush {
							ohp += x.Sets
						}
					}
				}
				if !hinge || ohp < 2 || p.Mesocycle.Progression == "rir_step" {
					t.Errorf("hinge %v, overhead press %d sets a week, progression %s", hinge, ohp, p.Mesocycle.Progression)
				}
			}},
		{"strength with an injured knee: a loaded box squat, no wall sit",
			Input{Goal: GoalStrength, Experience: LevelIntermediate, DaysPerWeek: 4, SessionMinutes: 60, Equipment: []string{"barbell", "bench", "dumbbells"}, Injuries: []string{"knee"}},
			[]string{"wall_sit", "bodyweight_squat", "barbell_back_squat", "dumbbell_goblet_squat"},
			func(t *testing.T, a Analysis, p Program) {
				squat := false
				for _, d := range p.Weeks[0].Days {
					for _, x := range d.Exercises {
						c, _ := LookupExercise(x.ExerciseID)
						if c.Pattern == PatternSquat && c.isLoaded() {
							squat = true
							if !strings.Contains(x.Rationale, "injured knee") {
								t.Errorf("%s: rationale does not say why it replaces the usual squat: %q", x.ExerciseID, x.Rationale)
							}
						}
					}
				}
				if !squat {
					t.Error("no loaded squat although a box squat spares the knee")
				}
			}},
		{"barbell at home: no towel pulls",
			Input{Goal: GoalHypertrophy, Experience: LevelIntermediate, DaysPerWeek: 4, SessionMinutes: 60, Equipment: []string{"barbell", "bench", "pullup_bar"}},
			[]string{"floor_towel_lat_pull", "doorframe_row", "table_inverted_row"}, nil},
		{"dumbbells: no bodyweight squats",
			Input{Goal: GoalHypertrophy, Experience: LevelIntermediate, DaysPerWeek: 3, SessionMinutes: 60, Equipment: []string{"dumbbells", "bench"}},
			[]string{"bodyweight_squat", "split_squat", "bodyweight_step_up"}, nil},
		{"machines: a leg curl and long sessions used",
			Input{Goal: GoalHypertrophy, Experience: LevelIntermediate, DaysPerWeek: 4, SessionMinutes: 90, Equipment: fullGym},
			nil, func(t *testing.T, a Analysis, p Program) {
				curl, longest := false, 0
				for _, d := range p.Weeks[len(p.Weeks)-2].Days {
					longest = max(longest, d.EstimatedMinutes)
					for _, x := range d.Exercises {
						c, _ := LookupExercise(x.ExerciseID)
						curl = curl || c.Pattern == PatternKneeFlexion
					}
				}
				if !curl || longest < 70 {
					t.Errorf("leg curl %v, longest session %d of 90 min", curl, longest)
				}
				for _, w := range p.Science.Warnings {
					if strings.HasPrefix(w, timeShortPrefix) {
						t.Errorf("untrue warning: %s", w)
					}
				}
			}},
		{"beginner: no shrugs or wrist curls",
			Input{Goal: GoalHypertrophy, Experience: LevelBeginner, DaysPerWeek: 3, SessionMinutes: 90, Equipment: fullGym, WeakPoints: []string{"traps", "forearms"}},
			[]string{"dumbbell_shrug", "barbell_shrug", "cable_shrug", "kettlebell_shrug", "band_shrug", "machine_shrug", "scapular_pull_up", "prone_y_raise",
				"dumbbell_wrist_curl", "dumbbell_reverse_wrist_curl", "barbell_wrist_curl", "band_wrist_curl", "towel_wring", "barbell_reverse_curl", "cable_reverse_curl"},
			func(t *testing.T, a Analysis, p Program) {
				distinct := map[string]bool{}
				for _, d := range p.Weeks[0].Days {
					for _, x := range d.Exercises {
						distinct[x.ExerciseID] = true
					}
				}
				if len(distinct) > maxBeginnerExercises {
					t.Errorf("%d distinct exercises for a beginner, want at most %d", len(distinct), maxBeginnerExercises)
				}
			}},
		{"strength with an injured lower back and knee: a barbell squat, not dumbbells held for triples",
			Input{Goal: GoalStrength, Experience: LevelIntermediate, DaysPerWeek: 3, SessionMinutes: 90, Equipment: []string{"barbell", "bench", "dumbbells", "pullup_bar"}, Injuries: []string{"lower_back", "knee"}},
			[]string{"barbell_back_squat", "barbell_box_squat", "barbell_front_squat"},
			func(t *testing.T, a Analysis, p Program) {
				for _, d := range p.Weeks[0].Days {
					x := d.Exercises[0]
					if c, _ := LookupExercise(x.ExerciseID); c.Pattern == PatternSquat && !slices.Contains(c.Equipment, "barbell") {
						t.Errorf("%s opens with %s %d–%d reps: grip, not the legs, limits a heavy dumbbell squat", d.Label, x.ExerciseID, x.RepMin, x.RepMax)
					}
				}
			}},
		{"bands only, 2 × 30 min: a real session, rested like band work",
			Input{Goal: GoalGeneralFitness, Experience: LevelBeginner, DaysPerWeek: 2, SessionMinutes: 30, Equipment: []string{"bands"}},
			nil, checkBandSessions},
		{"bands only, 2 × 30 min, hypertrophy",
			Input{Goal: GoalHypertrophy, Experience: LevelBeginner, DaysPerWeek: 2, SessionMinutes: 30, Equipment: []string{"bands"}},
			nil, checkBandSessions},
		{"3 × 45 min full body with dumbbells and an injured knee: a pull every day it presses, a true warning",
			Input{Goal: GoalHypertrophy, Experience: LevelIntermediate, DaysPerWeek: 3, SessionMinutes: 45, Equipment: []string{"dumbbells", "bench"}, Injuries: []string{"knee"}},
			nil, func(t *testing.T, a Analysis, p Program) {
				for _, w := range p.Weeks[:len(p.Weeks)-1] {
					for _, d := range w.Days {
						push, pull := false, false
						for _, x := range d.Exercises {
							c, _ := LookupExercise(x.ExerciseID)
							push = push || slices.Contains(pushPatterns, c.Pattern)
							pull = pull || slices.Contains(pullPatterns, c.Pattern)
						}
						if push && !pull {
							t.Errorf("week %d %s presses but does not pull", w.Week, d.Label)
						}
					}
				}
				for _, d := range p.Weeks[len(p.Weeks)-2].Days {
					for _, w := range p.Science.Warnings {
						if strings.HasPrefix(w, timeShortPrefix) && dayMinutes(d.Exercises) < 0.85*a.MaxDayMinutes {
							t.Errorf("%s uses %.0f of %.0f min, yet: %s", d.Label, dayMinutes(d.Exercises), a.MaxDayMinutes, w)
						}
					}
				}
			}},
		{"strength with an injured hip: the heavy squat on a bar, not a leg press",
			Input{Goal: GoalStrength, Experience: LevelIntermediate, DaysPerWeek: 4, SessionMinutes: 60, Equipment: []string{"barbell", "bench", "dumbbells", "pullup_bar", "machines", "cables"}, Injuries: []string{"hip"}},
			nil, func(t *testing.T, a Analysis, p Program) {
				for _, d := range p.Weeks[0].Days {
					if x := d.Exercises[0]; x.ExerciseID == "leg_press" {
						t.Errorf("%s opens with the leg press although a barbell box squat spares the hip", d.Label)
					}
				}
			}},
		{"strength with bands only: no banded triples",
			Input{Goal: GoalStrength, Experience: LevelIntermediate, DaysPerWeek: 3, SessionMinutes: 60, Equipment: []string{"bands"}},
			nil, func(t *testing.T, a Analysis, p Program) {
				for _, d := range p.Weeks[0].Days {
					for _, x := range d.Exercises {
						if c, _ := LookupExercise(x.ExerciseID); !c.heavyLoad() && x.RepMax <= heavyRepMax {
							t.Errorf("%s: %s in %d–%d reps; no band gives a triple's tension through the rep", d.Label, x.ExerciseID, x.RepMin, x.RepMax)
						}
					}
				}
			}},
		{"strength 3 × 60 with an injured knee, weak quads and rear delts: the week's one deadlift keeps its sets, the warnings are true",
			Input{Goal: GoalStrength, Experience: LevelIntermediate, DaysPerWeek: 3, SessionMinutes: 60, Equipment: fullGym, Injuries: []string{"knee"}, WeakPoints: []string{"quads", "rear_delts"}},
			nil, checkStrengthWeakPoints},
		{"strength 5 days at home: the pull day opens with a row, not band-assisted pull-ups for triples",
			Input{Goal: GoalStrength, Experience: LevelIntermediate, DaysPerWeek: 5, SessionMinutes: 60, Equipment: equipmentSets["home_gym"]},
			nil, checkNoPullTriples},
		{"strength 5 days with an injured shoulder and lower back: no pulldown for triples",
			Input{Goal: GoalStrength, Experience: LevelIntermediate, DaysPerWeek: 5, SessionMinutes: 60, Equipment: fullGym, Injuries: []string{"shoulder", "lower_back"}},
			nil, checkNoPullTriples},
		{"strength with dumbbells and an injured shoulder: no front raises in place of an overhead press",
			Input{Goal: GoalStrength, Experience: LevelIntermediate, DaysPerWeek: 4, SessionMinutes: 60, Equipment: []string{"dumbbells"}, Injuries: []string{"shoulder"}},
			[]string{"dumbbell_front_raise", "cable_front_raise", "band_front_raise", "kettlebell_front_raise"}, nil},
		{"bodyweight beginner, 2 × 90 min: the pulls the balance adds do not make the back jump 3 sets in a week",
			Input{Goal: GoalHypertrophy, Experience: LevelBeginner, DaysPerWeek: 2, SessionMinutes: 90, Equipment: []string{}},
			nil, checkNoVolumeJump},
		{"strength 6 × 45 min with dumbbells and an injured knee: glutes climb 1–2 sets a week",
			Input{Goal: GoalStrength, Experience: LevelIntermediate, DaysPerWeek: 6, SessionMinutes: 45, Equipment: []string{"dumbbells"}, Injuries: []string{"knee"}},
			nil, checkNoVolumeJump},
		{"bodyweight 2 × 60 min with injured shoulder, elbow and wrist: no raise the restore gives back makes glutes jump 3 sets",
			Input{Goal: GoalHypertrophy, Experience: LevelIntermediate, DaysPerWeek: 2, SessionMinutes: 60, Equipment: []string{}, Injuries: []string{"shoulder", "elbow", "wrist"}},
			nil, checkNoVolumeJump},
		{"6-week dumbbell strength block, injured knee, weak front delts: pulling keeps up with the presses",
			Input{Goal: GoalStrength, Experience: LevelIntermediate, DaysPerWeek: 4, SessionMinutes: 60, Equipment: []string{"dumbbells"}, Injuries: []string{"knee"}, WeakPoints: []string{"front_delts"}, HasPaidAccess: true},
			nil, checkPullPush},
		{"holds in seconds",
			Input{Goal: GoalGeneralFitness, Experience: LevelBeginner, DaysPerWeek: 3, SessionMinutes: 60, Equipment: []string{}},
			nil, func(t *testing.T, a Analysis, p Program) {
				for _, d := range p.Weeks[0].Days {
					for _, x := range d.Exercises {
						if c, _ := LookupExercise(x.ExerciseID); c.Hold && (x.Unit != UnitSeconds || x.RepMax > MaxHoldSeconds) {
							t.Errorf("%s prescribed %d–%d %s", x.ExerciseID, x.RepMin, x.RepMax, x.Unit)
						}
					}
				}
			}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a, err := Analyze(tc.in)
			if err != nil {
				t.Fatal(err)
			}
			p := Generate(a)
			for _, w := range p.Weeks {
				for _, d := range w.Days {
					for _, x := range d.Exercises {
						if slices.Contains(tc.forbidden, x.ExerciseID) {
							t.Errorf("week %d %s: %s, which a coach would not hand this lifter", w.Week, d.Label, x.ExerciseID)
						}
					}
				}
			}
			if tc.check != nil {
				tc.check(t, a, p)
			}
		})
	}
}

// ruleStrengthVolume names the rubric's main-lift volume check.
const ruleStrengthVolume = "rubric_strength_volume"

// strengthVolume checks a strength block's peak week when sessions are an
// hour or longer on 3+ days: each main lift the equipment allows (squat,
// horizontal press, overhead press, hinge) gets strengthWeeklySets hard sets
// or more, the main lifts outweigh the arms' isolation sets, and the hinge
// includes the conventional deadlift when it is allowed.
func strengthVolume(a *Analysis, p *Program) string {
	if a.SessionMinutes < seedShortMinutes || a.Input.DaysPerWeek < strengthMinDays || a.Input.Experience == LevelBeginner {
		return ""
	}
	peak := p.Weeks[a.accumulationWeeks()-1]
	sets := map[string]int{}
	main, arms, deadlift := 0, 0, false
	for _, d := range peak.Days {
		for _, x := range d.Exercises {
			c, _ := LookupExercise(x.ExerciseID)
			deadlift = deadlift || c.ID == conventionalDeadlift
			switch {
			case c.isCompound() && c.isLoaded() && slices.Contains([]string{PatternSquat, PatternHorizontalPush, PatternVerticalPush, PatternHinge}, c.Pattern):
				sets[c.Pattern] += x.Sets
				main += x.Sets
			case !c.isCompound() && (c.hasPrimary(mBiceps) || c.hasPrimary(mTriceps)):
				arms += x.Sets
			}
		}
	}
	anyMain := false
	for _, pat := range []string{PatternSquat, PatternHorizontalPush, PatternVerticalPush, PatternHinge} {
		avail := false
		for i := range catalogue().list {
			avail = avail || a.mainLiftCandidate(i, pat)
		}
		anyMain = anyMain || avail
		// A lift seeded once a week gets one session's five sets.
		want := strengthWeeklySets
		if seeded := a.seedSetsFor(strengthSeeds(a.Input.DaysPerWeek, false))[pat]; seeded == coachMaxSets {
			want = coachMaxSets
		}
		if avail && sets[pat] < want {
			return fmt.Sprintf("%s: %d sets at the peak, want %d", pat, sets[pat], want)
		}
	}
	if anyMain && main <= arms {
		return fmt.Sprintf("main lifts %d sets, arm isolations %d", main, arms)
	}
	if dl, ok := catalogue().byID[conventionalDeadlift]; ok && a.mainLiftCandidate(dl, PatternHinge) && !deadlift {
		return "no conventional deadlift although it is allowed"
	}
	return ""
}

// checkStrengthWeakPoints: a strength block's main lifts keep their peak
// sets (a hinge seeded once a week is not halved into a leg curl), and a
// weak point the sessions give no direct work is said to be not emphasised,
// never to "grow with the rest".
func checkStrengthWeakPoints(t *testing.T, a Analysis, p Program) {
	if msg := strengthVolume(&a, &p); msg != "" {
		t.Error(msg)
	}
	peak := tallyWeek(&p.Weeks[a.accumulationWeeks()-1])
	for _, wp := range a.Input.WeakPoints {
		m := muscleIndex(wp)
		if peak.direct[m] > 0 {
			continue
		}
		grows := slices.ContainsFunc(p.Science.Warnings, func(w string) bool {
			return strings.Contains(w, muscleLabel(m)) && strings.Contains(w, "with the rest")
		})
		plain := slices.ContainsFunc(p.Science.Warnings, func(w string) bool {
			return strings.Contains(w, muscleLabel(m)) && strings.Contains(w, "not emphasised")
		})
		if grows || !plain {
			t.Errorf("%s get no direct sets, yet the warnings are %q", wp, p.Science.Warnings)
		}
	}
}

// checkNoPullTriples: a strength block's heavy 3–6-rep slot holds a lift
// loaded in fine steps, never a pulldown or a band-assisted pull-up.
func checkNoPullTriples(t *testing.T, a Analysis, p Program) {
	for _, d := range p.Weeks[0].Days {
		for _, x := range d.Exercises {
			if c, _ := LookupExercise(x.ExerciseID); c.Pattern == PatternVerticalPull && x.RepMax <= heavyRepMax {
				t.Errorf("%s: %s %d×%d–%d", d.Label, x.ExerciseID, x.Sets, x.RepMin, x.RepMax)
			}
		}
	}
}

// checkPullPush: every week pulls at least 0.8 × its pushing sets, and
// the plan is laid out, not the compact fallback.
func checkPullPush(t *testing.T, a Analysis, p Program) {
	if a.compact {
		t.Error("laid out compactly")
	}
	for _, f := range Validate(a, p) {
		if f.Rule == RulePullPushRatio {
			t.Errorf("week %d: %s", f.Week, f.Message)
		}
	}
}

// checkNoVolumeJump: no muscle gains more than 2 direct sets from one week
// to the next (DOMAIN.md: 1–2 sets a week).
func checkNoVolumeJump(t *testing.T, a Analysis, p Program) {
	for _, f := range Validate(a, p) {
		if f.Rule == RuleVolumeJump {
			t.Errorf("week %d: %s", f.Week, f.Message)
		}
	}
}

// TestStrengthMainLiftsBeforeIsolation: a strength day trains its main
// lifts before any isolation, a weak point's included (a coach objected to
// triceps pushdowns before the bench press of a 2 × 120 min block).
func TestStrengthMainLiftsBeforeIsolation(t *testing.T) {
	in := Input{Goal: GoalStrength, Experience: LevelIntermediate, DaysPerWeek: 2, SessionMinutes: 120,
		Equipment: []string{"barbell", "dumbbells", "machines", "cables", "kettlebells", "bands", "pullup_bar", "bench"},
		Injuries:  []string{"knee"}, WeakPoints: []string{"glutes", "triceps"}}
	a, err := Analyze(in)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range Generate(a).Weeks[0].Days {
		iso := ""
		for _, x := range d.Exercises {
			c, _ := LookupExercise(x.ExerciseID)
			switch {
			case !c.isCompound() && iso == "":
				iso = c.ID
			case isMainLift(&c) && iso != "":
				t.Errorf("%s: main lift %s after the isolation %s", d.Label, c.ID, iso)
			}
		}
	}
}
