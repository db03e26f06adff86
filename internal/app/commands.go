package app

import (
	"context"
	"errors"
	"flag"
	"fmt"

	"github.com/jackc/pgx/v5/pgxpool"

	"liftplan/internal/auth"
	"liftplan/internal/config"
	"liftplan/internal/db"
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
	if _, err := db.Migrate(ctx, pool, newLogger(cfg, e.stderr)); err != nil {
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
	res, err := db.Migrate(ctx, pool, newLogger(cfg, e.stderr))
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
	{"admin@liftplan.test", auth.RoleAdmin},
}

func cmdDemo(ctx context.Context, args []string, e env) error {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	if err := parseFlags(fs, args, e); err != nil {
		return err
	}
	_, pool, err := openDB(ctx, e)
	if err != nil {
		return err
	}
	defer pool.Close()
	return createDemo(ctx, pool, e)
}

// createDemo creates a coach, a user who is that coach's client, and an admin.
func createDemo(ctx context.Context, pool *pgxpool.Pool, e env) error {
	users := auth.NewUsers(pool)
	var coachID *int64
	fmt.Fprintln(e.stdout, "Demo accounts (password for all: "+demoPassword+"):")
	for _, a := range demoAccounts {
		n := auth.NewUser{Email: a.email, Password: demoPassword, Role: a.role}
		var coach *int64
		if a.role == auth.RoleUser {
			coach = coachID
		}
		u, err := users.Upsert(ctx, n, coach)
		if err != nil {
			return fmt.Errorf("demo: %w", err)
		}
		if a.role == auth.RoleCoach {
			coachID = &u.ID
		}
		fmt.Fprintf(e.stdout, "  %-6s %s\n", a.role, a.email)
	}
	return nil
}
