// Command devdb prints the URL of a development PostgreSQL server, starting a
// private cluster under <repo>/.data when needed, or stops that cluster.
//
//	DATABASE_URL=$(go run ./internal/devdb/cmd/devdb url)
//	go run ./internal/devdb/cmd/devdb stop
//
// Only the URL goes to stdout, so command substitution captures nothing else;
// progress and errors go to stderr.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"liftplan/internal/devdb"
)

const usage = "devdb: usage: devdb url|stop"

func main() {
	if err := run(os.Args[1:]); err != nil {
		// Library errors already start with "devdb:".
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// run executes one subcommand; split from main so deferred cancels run.
func run(args []string) error {
	if len(args) != 1 {
		return fmt.Errorf("%s", usage)
	}
	// Ctrl-C from make must not leave us waiting; the timeout is an outer
	// bound above devdb's own per-step limits.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, 3*time.Minute)
	defer cancel()

	opts := devdb.Options{Log: os.Stderr}
	switch args[0] {
	case "url":
		u, err := devdb.URL(ctx, opts)
		if err != nil {
			return err
		}
		fmt.Println(u)
		return nil
	case "stop":
		return devdb.Stop(ctx, opts)
	default:
		return fmt.Errorf("devdb: unknown command %q\n%s", args[0], usage)
	}
}
