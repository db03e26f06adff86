package db

import (
	"context"
	"fmt"
	"io/fs"
	"log/slog"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivermigrate"

	"liftplan/migrations"
)

// migrateLockKey is the advisory lock that serialises `liftplan migrate` across instances; any
// constant works as long as every instance uses the same one.
const migrateLockKey int64 = 0x6c696674706c616e // "liftplan"

// MigrateResult says what one Migrate call applied.
type MigrateResult struct {
	// Goose lists the liftplan migrations applied (file names).
	Goose []string
	// River lists the River schema versions applied.
	River []int
}

// Migrate brings the database up to date: liftplan's goose migrations, then River's tables. Both run
// under one PostgreSQL advisory lock so instances that start together apply each step exactly once.
func Migrate(ctx context.Context, pool *pgxpool.Pool, log *slog.Logger) (MigrateResult, error) {
	var res MigrateResult
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return res, fmt.Errorf("migrate: acquire: %w", err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock($1)", migrateLockKey); err != nil {
		return res, fmt.Errorf("migrate: lock: %w", err)
	}
	defer conn.Exec(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", migrateLockKey) //nolint:errcheck // released with the session anyway

	sqlDB := stdlib.OpenDBFromPool(pool)
	defer sqlDB.Close()
	var fsys fs.FS = migrations.FS
	provider, err := goose.NewProvider(goose.DialectPostgres, sqlDB, fsys, goose.WithDisableGlobalRegistry(true))
	if err != nil {
		return res, fmt.Errorf("migrate: goose: %w", err)
	}
	applied, err := provider.Up(ctx)
	if err != nil {
		return res, fmt.Errorf("migrate: goose up: %w", err)
	}
	for _, r := range applied {
		res.Goose = append(res.Goose, r.Source.Path)
	}

	migrator, err := rivermigrate.New(riverpgxv5.New(pool), &rivermigrate.Config{Logger: log})
	if err != nil {
		return res, fmt.Errorf("migrate: river: %w", err)
	}
	rres, err := migrator.Migrate(ctx, rivermigrate.DirectionUp, nil)
	if err != nil {
		return res, fmt.Errorf("migrate: river up: %w", err)
	}
	for _, v := range rres.Versions {
		res.River = append(res.River, v.Version)
	}
	return res, nil
}
