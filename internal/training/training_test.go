package training_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"liftplan/internal/auth"
	"liftplan/internal/programs"
	"liftplan/internal/science"
	"liftplan/internal/testdb"
	"liftplan/internal/training"
)

// recorder is the Submitter of these store tests: what the next block would be generated from.
// The real submit path (programs.Service, River) is exercised by the web tests.
type recorder struct {
	mu    sync.Mutex
	next  []science.Input
	batch [][]programs.NextBlock
}

func (r *recorder) SubmitNext(_ context.Context, _ auth.User, in science.Input) (int64, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.next = append(r.next, in)
	return int64(1000 + len(r.next)), nil
}

func (r *recorder) SubmitNextBlocks(_ context.Context, blocks []programs.NextBlock) ([]int64, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.batch = append(r.batch, blocks)
	ids := make([]int64, len(blocks))
	for i := range ids {
		ids[i] = int64(2000 + i)
	}
	return ids, nil
}

type bundle struct {
	pool  *pgxpool.Pool
	svc   *training.Service
	sub   *recorder
	owner auth.User
	coach auth.User
	other auth.User
	admin auth.User
	prog  int64
	plan  science.Program
}

// trainingInput is a barbell-and-dumbbell lifter, so loads and steps are real.
var trainingInput = science.Input{Goal: science.GoalHypertrophy, Experience: science.LevelIntermediate, DaysPerWeek: 3, SessionMinutes: 60,
	Equipment: []string{"barbell", "dumbbells", "bench", "cables", "machines", "pullup_bar"}}

func setup(t *testing.T) *bundle {
	t.Helper()
	ctx := context.Background()
	pool := testdb.New(t)
	users := auth.NewUsers(pool)
	mk := func(email, role, coach string) auth.User {
		u, err := users.Create(ctx, auth.NewUser{Email: email, Password: "correct horse battery", Role: role, CoachEmail: coach})
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	b := &bundle{pool: pool, sub: &recorder{}}
	b.coach = mk("coach@example.test", auth.RoleCoach, "")
	b.owner = mk("lifter@example.test", auth.RoleUser, "coach@example.test")
	b.other = mk("other@example.test", auth.RoleUser, "")
	b.admin = mk("admin@example.test", auth.RoleAdmin, "")
	b.prog, b.plan = completedProgram(t, pool, b.owner.ID, trainingInput)
	svc, err := training.New(training.Options{Pool: pool, Submitter: b.sub})
	if err != nil {
		t.Fatal(err)
	}
	b.svc = svc
	return b
}

// completedProgram stores a built-in program as a completed generation would.
func completedProgram(t *testing.T, pool *pgxpool.Pool, userID int64, in science.Input) (int64, science.Program) {
	t.Helper()
	a, err := science.Analyze(in)
	if err != nil {
		t.Fatal(err)
	}
	p := science.Generate(a)
	pj, _ := json.Marshal(p)
	ij, _ := json.Marshal(in)
	var id int64
	err = pool.QueryRow(context.Background(), `INSERT INTO training_programs (user_id, generation_status, input, cache_key, program, source, completed_at)
		VALUES ($1, 'completed', $2, $3, $4, 'builtin', now()) RETURNING id`, userID, ij, fmt.Sprintf("test:%d:%d", userID, len(pj)), pj).Scan(&id)
	if err != nil {
		t.Fatal(err)
	}
	return id, p
}

func (b *bundle) count(t *testing.T, table string) int {
	t.Helper()
	var n int
	if err := b.pool.QueryRow(context.Background(), "SELECT count(*) FROM "+table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func setForm(ex science.ProgramExercise, week, day, setNo int, kg, reps, rir, key string) url.Values {
	v := url.Values{"week": {fmt.Sprint(week)}, "day": {fmt.Sprint(day)}, "exercise_id": {ex.ExerciseID}, "set_no": {fmt.Sprint(setNo)},
		"weight_kg": {kg}, "reps": {reps}, "client_key": {key}}
	if rir != "" {
		v.Set("rir", rir)
	}
	return v
}

func (b *bundle) log(t *testing.T, viewer auth.User, v url.Values) (bool, error) {
	t.Helper()
	in, errs := training.ParseSet(v)
	if errs != nil {
		return false, errs
	}
	return b.svc.LogSet(context.Background(), viewer, b.prog, in)
}

func TestLogSetIdempotentUnderConcurrentReplays(t *testing.T) {
	b := setup(t)
	ex := b.plan.Weeks[0].Days[0].Exercises[0]
	v := setForm(ex, 1, 1, 1, "60", "10", "2", "key-concurrent-0001")
	const replays = 16
	var wg sync.WaitGroup
	inserted := make(chan bool, replays)
	for range replays {
		wg.Add(1)
		go func() {
			defer wg.Done()
			in, _ := training.ParseSet(v)
			ok, err := b.svc.LogSet(context.Background(), b.owner, b.prog, in)
			if err != nil {
				t.Error(err)
			}
			inserted <- ok
		}()
	}
	wg.Wait()
	close(inserted)
	n := 0
	for ok := range inserted {
		if ok {
			n++
		}
	}
	if n != 1 || b.count(t, "workout_sets") != 1 {
		t.Fatalf("%d replays: %d reported inserted, %d rows; want 1 and 1", replays, n, b.count(t, "workout_sets"))
	}
	// A replay with other values changes nothing: the first write stands.
	v.Set("weight_kg", "90")
	if ok, err := b.log(t, b.owner, v); ok || err != nil {
		t.Fatalf("replay with changed values: inserted=%v err=%v", ok, err)
	}
	var kg float64
	b.pool.QueryRow(context.Background(), "SELECT weight_kg::float8 FROM workout_sets").Scan(&kg)
	if kg != 60 {
		t.Fatalf("weight after replay = %v, want 60", kg)
	}
}

func TestLogSetRefusesBadValuesAndWritesNothing(t *testing.T) {
	b := setup(t)
	ex := b.plan.Weeks[0].Days[0].Exercises[0]
	other := b.plan.Weeks[0].Days[1].Exercises[0] // on another day
	for other.ExerciseID == ex.ExerciseID {
		t.Fatal("test plan: day 2 starts with the same exercise")
	}
	ok := func() url.Values { return setForm(ex, 1, 1, 1, "60", "10", "2", "key-bad-values-1") }
	with := func(field, value string) url.Values {
		v := ok()
		if value == "<absent>" {
			v.Del(field)
		} else {
			v.Set(field, value)
		}
		return v
	}
	tests := []struct {
		name  string
		form  url.Values
		field string
	}{
		{"negative weight", with("weight_kg", "-1"), "weight_kg"},
		{"weight over 1000", with("weight_kg", "1000.5"), "weight_kg"},
		{"weight not a number", with("weight_kg", "sixty"), "weight_kg"},
		{"weight NaN", with("weight_kg", "NaN"), "weight_kg"},
		{"weight missing", with("weight_kg", "<absent>"), "weight_kg"},
		{"reps over 100", with("reps", "101"), "reps"},
		{"reps negative", with("reps", "-3"), "reps"},
		{"reps decimal", with("reps", "8.5"), "reps"},
		{"rir over 10", with("rir", "11"), "rir"},
		{"rir not a number", with("rir", "easy"), "rir"},
		{"week not in the program", with("week", "40"), "week"},
		{"week zero", with("week", "0"), "week"},
		{"day not in the program", with("day", "6"), "day"},
		{"exercise not in the session", with("exercise_id", other.ExerciseID), "exercise_id"},
		{"exercise unknown", with("exercise_id", "moon_press"), "exercise_id"},
		{"set past the planned sets", with("set_no", fmt.Sprint(ex.Sets+1)), "set_no"},
		{"client key missing", with("client_key", "<absent>"), "client_key"},
		{"client key malformed", with("client_key", "<script>"), "client_key"},
		{"field repeated", func() url.Values { v := ok(); v.Add("reps", "9"); return v }(), "reps"},
	}
	for _, tt := range tests {
		_, err := b.log(t, b.owner, tt.form)
		var fe training.FieldErrors
		if !errors.As(err, &fe) || fe[tt.field] == "" {
			t.Errorf("%s: got %v, want a field error on %s", tt.name, err, tt.field)
		}
	}
	if n := b.count(t, "workout_sets"); n != 0 {
		t.Fatalf("%d rows written by refused sets", n)
	}
	// The boundaries are accepted: 0 and 1000 kg, 0 and 100 reps, RIR 0–10 or none, a decimal comma.
	for i, v := range []url.Values{with("weight_kg", "0"), with("weight_kg", "1000"), with("reps", "0"), with("reps", "100"),
		with("rir", "0"), with("rir", "10"), with("rir", "<absent>"), with("weight_kg", "62,5")} {
		v.Set("client_key", fmt.Sprintf("key-boundary-%02d", i))
		if _, err := b.log(t, b.owner, v); err != nil {
			t.Errorf("boundary %v: %v", v, err)
		}
	}
}

func TestOnlyTheOwnerLogs(t *testing.T) {
	b := setup(t)
	ex := b.plan.Weeks[0].Days[0].Exercises[0]
	v := setForm(ex, 1, 1, 1, "60", "10", "", "key-authz-00001")
	if _, err := b.log(t, b.other, v); !errors.Is(err, training.ErrNotFound) {
		t.Errorf("a stranger logging: %v, want ErrNotFound", err)
	}
	if _, err := b.log(t, b.coach, v); !errors.Is(err, training.ErrForbidden) {
		t.Errorf("the coach logging: %v, want ErrForbidden", err)
	}
	if _, err := b.log(t, b.admin, v); !errors.Is(err, training.ErrForbidden) {
		t.Errorf("an admin logging: %v, want ErrForbidden", err)
	}
	if _, err := b.svc.Today(context.Background(), b.other, b.prog, 0, 0); !errors.Is(err, training.ErrNotFound) {
		t.Errorf("a stranger reading Today: %v, want ErrNotFound", err)
	}
	s, err := b.svc.Today(context.Background(), b.coach, b.prog, 0, 0)
	if err != nil || !s.ReadOnly {
		t.Errorf("the coach reading Today: read-only=%v err=%v", s.ReadOnly, err)
	}
	fb := training.Feedback{Soreness: "none", Pump: "good", JointPain: "none"}
	if err := b.svc.Complete(context.Background(), b.coach, b.prog, 1, 1, fb); !errors.Is(err, training.ErrForbidden) {
		t.Errorf("the coach completing a session: %v, want ErrForbidden", err)
	}
	if _, err := b.svc.NextBlock(context.Background(), b.coach, b.prog); !errors.Is(err, training.ErrForbidden) {
		t.Errorf("the coach starting a next block on the owner's route: %v, want ErrForbidden", err)
	}
	if n := b.count(t, "workout_sets") + b.count(t, "session_logs"); n != 0 {
		t.Fatalf("%d rows written by refused requests", n)
	}
}

// logSession logs every planned set of one session at kg×reps and completes it.
func (b *bundle) logSession(t *testing.T, week, day int, kg func(science.ProgramExercise) float64, reps func(science.ProgramExercise) int, fb training.Feedback) {
	t.Helper()
	d := b.plan.Weeks[week-1].Days[day-1]
	for _, ex := range d.Exercises {
		for set := 1; set <= ex.Sets; set++ {
			in := training.SetInput{Week: week, Day: day, ExerciseID: ex.ExerciseID, SetNo: set, WeightKg: kg(ex), Reps: reps(ex),
				ClientKey: fmt.Sprintf("k-%d-%d-%s-%d", week, day, ex.ExerciseID, set)}
			if _, err := b.svc.LogSet(context.Background(), b.owner, b.prog, in); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := b.svc.Complete(context.Background(), b.owner, b.prog, week, day, fb); err != nil {
		t.Fatal(err)
	}
}

func TestTodayNextSessionAndSuggestions(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	s, err := b.svc.Today(ctx, b.owner, b.prog, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if s.Week != 1 || s.Day != 1 || s.Exercises[0].Suggestion.Kg != nil {
		t.Fatalf("fresh program: today is week %d day %d, suggestion %v; want week 1 day 1 and none", s.Week, s.Day, s.Exercises[0].Suggestion.Kg)
	}
	top := func(ex science.ProgramExercise) int { return ex.RepMax }
	load := func(science.ProgramExercise) float64 { return 40 }
	b.logSession(t, 1, 1, load, top, training.Feedback{Soreness: "mild", Pump: "good", JointPain: "none"})
	s, err = b.svc.Today(ctx, b.owner, b.prog, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if s.Week != 1 || s.Day != 2 {
		t.Fatalf("after completing week 1 day 1, today is week %d day %d", s.Week, s.Day)
	}
	// Week 2 day 1 repeats week 1 day 1's exercises: every set hit the top, so each goes up a step.
	s, err = b.svc.Today(ctx, b.owner, b.prog, 2, 1)
	if err != nil {
		t.Fatal(err)
	}
	for _, ex := range s.Exercises {
		if ex.LastTime == nil {
			continue
		}
		want := training.NextLoad(ex.ProgramExercise, 40)
		if ex.Suggestion.Kg == nil || *ex.Suggestion.Kg != want {
			t.Errorf("%s: suggested %v after all sets at the top, want %v", ex.ExerciseID, ex.Suggestion.Kg, want)
		}
		if ex.E1RMKg <= 40 && ex.RepMax <= 12 {
			t.Errorf("%s: e1RM %v from 40 kg × %d", ex.ExerciseID, ex.E1RMKg, ex.RepMax)
		}
	}
	if _, err := b.svc.Today(ctx, b.owner, b.prog, 9, 9); !errors.Is(err, training.ErrNotFound) {
		t.Errorf("a session not in the plan: %v, want ErrNotFound", err)
	}
}

func TestSummaryAndNextBlockInput(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	painful := b.plan.Weeks[0].Days[0].Exercises[0].ExerciseID
	for week := 1; week <= 2; week++ {
		for day := 1; day <= len(b.plan.Weeks[week-1].Days); day++ {
			fb := training.Feedback{Soreness: "none", Pump: "great", JointPain: "none"}
			if week == 2 && day == 1 {
				fb = training.Feedback{Soreness: "mild", Pump: "good", JointPain: "stop", Painful: []string{painful}}
			}
			b.logSession(t, week, day, func(science.ProgramExercise) float64 { return 50 }, func(ex science.ProgramExercise) int { return ex.RepMax }, fb)
		}
	}
	id, err := b.svc.NextBlock(ctx, b.owner, b.prog)
	if err != nil || id == 0 {
		t.Fatalf("next block: %d, %v", id, err)
	}
	in := b.sub.next[0]
	if in.PreviousProgramID != b.prog || in.LogSummary == nil {
		t.Fatalf("next block input: previous %d, summary %v", in.PreviousProgramID, in.LogSummary)
	}
	ls := in.LogSummary
	if ls.SessionsLogged != 2*len(b.plan.Weeks[0].Days) || ls.SessionsPlanned == 0 {
		t.Errorf("sessions: %d of %d", ls.SessionsLogged, ls.SessionsPlanned)
	}
	if got := ls.PainfulExercises(); len(got) != 1 || got[0] != painful {
		t.Errorf("painful exercises %v, want [%s]", got, painful)
	}
	// Reached sets per muscle = direct sets of week 2 as planned (every set was logged).
	for _, ml := range ls.Muscles {
		planned := 0
		for _, wv := range b.plan.WeeklyVolume {
			if wv.Week == 2 && wv.Muscle == ml.Muscle {
				planned = wv.Sets
			}
		}
		if ml.ReachedSets != planned {
			t.Errorf("%s: reached %d, week 2 planned %d", ml.Muscle, ml.ReachedSets, planned)
		}
		if ml.Soreness != "none" || ml.Pump != "great" {
			// Only one session of several said otherwise, so the commonest answer stands for most muscles.
			if ml.Soreness != "mild" {
				t.Errorf("%s: soreness %q pump %q", ml.Muscle, ml.Soreness, ml.Pump)
			}
		}
	}
	// The coach starts it for the client too; a stranger coach's client is not found.
	n, err := b.svc.CoachNextBlocks(ctx, b.coach, 0)
	if err != nil || n != 1 || len(b.sub.batch) != 1 || b.sub.batch[0][0].User.ID != b.owner.ID {
		t.Fatalf("coach batch: %d started, %v", n, err)
	}
	if _, err := b.svc.CoachNextBlocks(ctx, b.coach, b.other.ID); !errors.Is(err, training.ErrNotFound) {
		t.Errorf("coach next block for someone else's client: %v", err)
	}
	adh, err := b.svc.ClientAdherence(ctx, b.coach, b.owner.ID)
	if err != nil || adh.Logged != ls.SessionsLogged || adh.PainFlags != 1 || adh.LastSession == nil {
		t.Errorf("adherence %+v, %v", adh, err)
	}
}
