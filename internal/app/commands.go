package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"strings"

	"github.com/jackc/pgx/v5/pgxpool"

	"liftplan/internal/auth"
	"liftplan/internal/config"
	"liftplan/internal/db"
	"liftplan/internal/derrors"
	"liftplan/internal/generation"
	"liftplan/internal/llm"
	"liftplan/internal/programs"
	"liftplan/internal/science"
)

// openDB loads the configuration, connects and migrates: every command needs the same start.
func openDB(ctx context.Context, e env) (config.Config, *pgxpool.Pool, error) {
	cfg, err := config.Load(e.getenv)
	if err != nil {
		return cfg, nil, err
	}
	pool, err := db.Open(ctx, cfg.DatabaseURL, 0)
	if err != nil {
		return cfg, nil, err
	}
	if _, err := db.Migrate(ctx, pool, riverLogger(newLogger(cfg, e.stderr))); err != nil {
		pool.Close()
		return cfg, nil, err
	}
	return cfg, pool, nil
}

func cmdMigrate(ctx context.Context, args []string, e env) error {
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	if err := parseFlags(fs, args, e); err != nil {
		return err
	}
	cfg, err := config.Load(e.getenv)
	if err != nil {
		return err
	}
	pool, err := db.Open(ctx, cfg.DatabaseURL, 0)
	if err != nil {
		return err
	}
	defer pool.Close()
	res, err := db.Migrate(ctx, pool, riverLogger(newLogger(cfg, e.stderr)))
	if err != nil {
		return err
	}
	if len(res.Goose) == 0 && len(res.River) == 0 {
		fmt.Fprintln(e.stdout, "database is up to date")
		return nil
	}
	for _, m := range res.Goose {
		fmt.Fprintln(e.stdout, "applied", m)
	}
	for _, v := range res.River {
		fmt.Fprintf(e.stdout, "applied river migration %03d\n", v)
	}
	return nil
}

func cmdUserCreate(ctx context.Context, args []string, e env) error {
	fs := flag.NewFlagSet("user create", flag.ContinueOnError)
	email := fs.String("email", "", "email address (required)")
	password := fs.String("password", "", "password, 10 to 128 characters (required)")
	role := fs.String("role", auth.RoleUser, "user, coach or admin")
	paid := fs.Bool("paid", false, "give the account paid access (6-week programs)")
	coach := fs.String("coach", "", "email of the coach who follows this user")
	if err := parseFlags(fs, args, e); err != nil {
		return err
	}
	n := auth.NewUser{Email: *email, Password: *password, Role: *role, HasPaidAccess: *paid, CoachEmail: *coach}
	if errs := n.Validate(); len(errs) > 0 {
		return usageError{"user create: " + errs.Error()}
	}
	_, pool, err := openDB(ctx, e)
	if err != nil {
		return err
	}
	defer pool.Close()
	u, err := auth.NewUsers(pool).Create(ctx, n)
	var fe auth.FieldErrors
	if errors.As(err, &fe) {
		return fmt.Errorf("user create: %s", fe.Error())
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "created %s %s (id %d)\n", u.Role, u.Email, u.ID)
	return nil
}

// Demo accounts: fixed credentials, reset on every run, printed for the person trying liftplan.
const demoPassword = "liftplan-demo"

var demoAccounts = []struct{ email, role string }{
	{"coach@liftplan.test", auth.RoleCoach},
	{"user@liftplan.test", auth.RoleUser},
	{"client2@liftplan.test", auth.RoleUser},
	{"admin@liftplan.test", auth.RoleAdmin},
}

func cmdDemo(ctx context.Context, args []string, e env) error {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	if err := parseFlags(fs, args, e); err != nil {
		return err
	}
	cfg, pool, err := openDB(ctx, e)
	if err != nil {
		return err
	}
	defer pool.Close()
	return createDemo(ctx, cfg, pool, e)
}

// createDemo creates a coach with two clients, an admin, a few completed programs and one
// failed program ready to retry — everything the coach and admin pages have to show. Accounts
// are reset on every run; programs are only created for clients who have none.
func createDemo(ctx context.Context, cfg config.Config, pool *pgxpool.Pool, e env) error {
	users := auth.NewUsers(pool)
	var coachID *int64
	var clients []auth.User
	fmt.Fprintln(e.stdout, "Demo accounts (password for all: "+demoPassword+"):")
	for _, a := range demoAccounts {
		var coach *int64
		if a.role == auth.RoleUser {
			coach = coachID
		}
		u, err := users.Upsert(ctx, auth.NewUser{Email: a.email, Password: demoPassword, Role: a.role}, coach)
		if err != nil {
			return fmt.Errorf("demo: %w", err)
		}
		switch a.role {
		case auth.RoleCoach:
			coachID = &u.ID
		case auth.RoleUser:
			clients = append(clients, u)
		}
		fmt.Fprintf(e.stdout, "  %-6s %s\n", a.role, a.email)
	}
	return demoPrograms(ctx, cfg, pool, clients)
}

// demoProgram is one program the demo creates: answers, and whether its generation fails.
type demoProgram struct {
	client int
	in     science.Input
	fail   bool
}

// The last program of each client is the one they train from (two weeks logged for user@).
var demoPlan = []demoProgram{
	{0, science.Input{Goal: "strength", Experience: "intermediate", DaysPerWeek: 3, SessionMinutes: 75,
		Equipment: []string{"barbell", "bench", "pullup_bar"}, Injuries: []string{"shoulder"}}, false},
	{0, science.Input{Goal: "general_fitness", Experience: "beginner", DaysPerWeek: 2, SessionMinutes: 45,
		Equipment: []string{"dumbbells", "bands"}}, true},
	{0, science.Input{Goal: "hypertrophy", Experience: "intermediate", DaysPerWeek: 4, SessionMinutes: 60,
		Equipment: []string{"barbell", "dumbbells", "bench", "pullup_bar", "cables"}, WeakPoints: []string{"side_delts"}}, false},
	{1, science.Input{Goal: "hypertrophy", Experience: "advanced", DaysPerWeek: 6, SessionMinutes: 90,
		Equipment: []string{"barbell", "dumbbells", "machines", "cables", "bench", "pullup_bar"}, WeakPoints: []string{"chest", "hamstrings"}}, false},
}

// demoOutage stands in for an LLM provider that was down, so the demo has a failure to retry.
type demoOutage struct{ llm.Builtin }

func (demoOutage) Generate(context.Context, science.Analysis) (llm.Result, error) {
	return llm.Result{}, derrors.Permanent("Demo: this program failed on purpose, as if the AI service had not answered. Nothing is wrong with the answers; press Try again and the server's own generator (the built-in planner when no AI is set up) writes it.",
		errors.New("demo: the LLM provider answered 503 three times"))
}

// demoPrograms submits the demo programs exactly as the web does (the same wiring, as a web
// process: jobs are inserted, not worked) and runs their generations right here; the River jobs
// stay queued and find their program finished (a no-op) when a worker starts.
func demoPrograms(ctx context.Context, cfg config.Config, pool *pgxpool.Pool, clients []auth.User) error {
	quiet := slog.New(slog.DiscardHandler)
	gen := llm.Builtin{}
	a, err := Build(ctx, cfg, pool, Options{Role: RoleWeb, Log: quiet, Generator: gen})
	if err != nil {
		return err
	}
	ok, failing := generation.NewRunner(pool, gen, quiet), generation.NewRunner(pool, demoOutage{}, quiet)
	for i, c := range clients {
		existing, err := a.Programs.List(ctx, c.ID)
		if err != nil {
			return err
		}
		if len(existing) > 0 {
			continue
		}
		var last int64
		for _, d := range demoPlan {
			if d.client != i {
				continue
			}
			sub, err := a.Programs.Submit(ctx, c, programs.Form{Input: d.in})
			if err != nil {
				return fmt.Errorf("demo program: %w", err)
			}
			runner := ok
			if d.fail {
				runner = failing
			}
			err = runner.Run(ctx, generation.Job{ProgramID: sub.ProgramID, GenerationNo: 1, Attempt: 1, MaxAttempts: cfg.JobMaxAttempts})
			if err != nil && !d.fail {
				return fmt.Errorf("demo generation: %w", err)
			}
			last = sub.ProgramID
		}
		if i == 0 && last != 0 {
			if err := demoTraining(ctx, a.Training, c, last); err != nil {
				return fmt.Errorf("demo training log: %w", err)
			}
		}
	}
	return nil
}

// cmdExplain prints the plan for one profile given as flags, without a
// database: muscles, priorities, weekly targets and the time model per day.
func cmdExplain(_ context.Context, args []string, e env) error {
	fs := flag.NewFlagSet("explain", flag.ContinueOnError)
	goal := fs.String("goal", science.GoalHypertrophy, "hypertrophy, strength or general_fitness")
	level := fs.String("experience", science.LevelIntermediate, "beginner, intermediate or advanced")
	days := fs.Int("days", 4, "training days per week, 2 to 6")
	minutes := fs.Int("minutes", 60, "minutes per session, 30 to 120")
	equipment := fs.String("equipment", "", "comma-separated equipment, e.g. barbell,bench,dumbbells")
	injuries := fs.String("injuries", "", "comma-separated injuries, e.g. shoulder,knee")
	weak := fs.String("weak", "", "comma-separated weak points (at most 2)")
	paid := fs.Bool("paid", false, "paid access (6-week block)")
	if err := parseFlags(fs, args, e); err != nil {
		return err
	}
	in := science.Input{Goal: *goal, Experience: *level, DaysPerWeek: *days, SessionMinutes: *minutes,
		Equipment: splitList(*equipment), Injuries: splitList(*injuries), WeakPoints: splitList(*weak), HasPaidAccess: *paid}
	a, err := science.Analyze(in)
	if err != nil {
		return usageError{"explain: " + err.Error()}
	}
	fmt.Fprint(e.stdout, a.Explain())
	return nil
}

// splitList splits a comma-separated flag value, dropping empty items.
func splitList(s string) []string {
	out := []string{}
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}
