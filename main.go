// Command liftplan serves the liftplan web application and its background workers.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"liftplan/internal/app"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := app.Main(ctx, os.Args, os.Getenv, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
