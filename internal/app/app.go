// Package app wires liftplan together: it parses the command line, loads the configuration, and
// builds and shuts down every service in order. Nothing here is global, so tests can run Main.
package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"liftplan/internal/config"
)

// Exit codes of the liftplan command.
const (
	ExitOK      = 0
	ExitFailure = 1
	ExitUsage   = 2
)

// version is set at build time with -ldflags "-X liftplan/internal/app.version=…".
var version = "dev"

const usage = `liftplan — evidence-based training programs

Usage:
  liftplan serve [--role all|web|worker]   serve HTTP and/or run generation workers
  liftplan migrate                         apply database migrations (liftplan's and River's)
  liftplan user create --email E --password P [--role user|coach|admin] [--paid] [--coach EMAIL]
  liftplan demo                            create the demo accounts and print their credentials
  liftplan llm check                       send one tiny request to the configured LLM server and report
                                           model, latency and whether structured output is honoured
  liftplan explain [--goal G] [--experience L] [--days N] [--minutes M] [--equipment a,b] [--injuries a,b] [--weak a,b] [--paid]
                                           print the plan for one profile: muscles, priorities, weekly
                                           targets and the time model per day (no database needed)
  liftplan version                         print the version

Configuration comes from the environment; see README.md.
`

// usageError is a problem with the command line (exit status 2).
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// env bundles the process environment a command runs in.
type env struct {
	getenv func(string) string
	stdout io.Writer
	stderr io.Writer
}

// Main runs the liftplan command line and returns the process exit code.
func Main(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	e := env{getenv: getenv, stdout: stdout, stderr: stderr}
	err := run(ctx, args[1:], e)
	switch {
	case err == nil:
		return ExitOK
	case errors.Is(err, flag.ErrHelp):
		return ExitOK
	case config.IsProblems(err):
		fmt.Fprintln(stderr, "liftplan:", err)
		return ExitUsage
	default:
		var ue usageError
		if errors.As(err, &ue) {
			fmt.Fprintf(stderr, "liftplan: %s\n\n%s", ue.msg, usage)
			return ExitUsage
		}
		fmt.Fprintln(stderr, "liftplan:", err)
		return ExitFailure
	}
}

func run(ctx context.Context, args []string, e env) error {
	if len(args) == 0 {
		return usageError{"missing command"}
	}
	switch cmd, rest := args[0], args[1:]; cmd {
	case "serve":
		return cmdServe(ctx, rest, e)
	case "migrate":
		return cmdMigrate(ctx, rest, e)
	case "user":
		if len(rest) == 0 || rest[0] != "create" {
			return usageError{`"user" needs the subcommand "create"`}
		}
		return cmdUserCreate(ctx, rest[1:], e)
	case "demo":
		return cmdDemo(ctx, rest, e)
	case "llm":
		return cmdLLM(ctx, rest, e)
	case "explain":
		return cmdExplain(ctx, rest, e)
	case "version":
		fmt.Fprintln(e.stdout, "liftplan", version)
		return nil
	case "help", "-h", "--help":
		fmt.Fprint(e.stdout, usage)
		return nil
	default:
		return usageError{fmt.Sprintf("unknown command %q", cmd)}
	}
}

// parseFlags parses a subcommand's flags; every problem is a usage error.
func parseFlags(fs *flag.FlagSet, args []string, e env) error {
	fs.SetOutput(e.stderr)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageError{err.Error()}
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("unexpected arguments: %s", strings.Join(fs.Args(), " "))}
	}
	return nil
}

// newLogger builds the process logger from LOG_LEVEL and LOG_FORMAT.
func newLogger(cfg config.Config, w io.Writer) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(cfg.LogLevel))
	opts := &slog.HandlerOptions{Level: level}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}
