// Package testdb gives each test its own freshly migrated PostgreSQL database, cloned from a
// template that is migrated once per migration set, so tests are isolated and still fast.
package testdb

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"liftplan/internal/db"
	"liftplan/internal/devdb"
	"liftplan/migrations"
)

var (
	once     sync.Once
	baseURL  string
	template string
	setupErr error
)

// BaseURL is the server every test database lives on: DATABASE_URL, else 127.0.0.1:5432, else a
// private cluster under .data/ (see internal/devdb).
func BaseURL(t testing.TB) string {
	t.Helper()
	setup()
	if setupErr != nil {
		t.Fatalf("test database: %v", setupErr)
	}
	return baseURL
}

// New creates an empty, fully migrated database for this test and returns a pool on it; the
// database is dropped when the test ends.
func New(t testing.TB) *pgxpool.Pool {
	t.Helper()
	url := NewURL(t)
	pool, err := pgxpool.New(context.Background(), url)
	if err != nil {
		t.Fatalf("test database pool: %v", err)
	}
	t.Cleanup(pool.Close)
	return pool
}

// NewURL creates a migrated database like New and returns its URL (for child processes).
func NewURL(t testing.TB) string {
	t.Helper()
	base := BaseURL(t)
	ctx := context.Background()
	name := "liftplan_test_" + randomSuffix()
	admin := adminConn(t, base)
	if _, err := admin.Exec(ctx, fmt.Sprintf("CREATE DATABASE %s TEMPLATE %s",
		pgx.Identifier{name}.Sanitize(), pgx.Identifier{template}.Sanitize())); err != nil {
		t.Fatalf("create test database: %v", err)
	}
	admin.Close(ctx)
	t.Cleanup(func() {
		c := adminConn(t, base)
		defer c.Close(ctx)
		if _, err := c.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)"); err != nil {
			t.Logf("drop test database %s: %v", name, err)
		}
	})
	return withDatabase(base, name)
}

func setup() {
	once.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		baseURL, setupErr = devdb.URL(ctx, devdb.Options{Log: os.Stderr})
		if setupErr != nil {
			return
		}
		template, setupErr = ensureTemplate(ctx, baseURL)
	})
}

// ensureTemplate builds the template database for the current migrations once; its name carries
// a hash of the migration files so a changed migration gets a new template.
func ensureTemplate(ctx context.Context, base string) (string, error) {
	h := sha256.New()
	entries, _ := fs.ReadDir(migrations.FS, ".")
	for _, e := range entries {
		b, _ := fs.ReadFile(migrations.FS, e.Name())
		h.Write([]byte(e.Name()))
		h.Write(b)
	}
	name := "liftplan_tmpl_" + hex.EncodeToString(h.Sum(nil))[:12]

	admin, err := pgx.Connect(ctx, withDatabase(base, "postgres"))
	if err != nil {
		return "", fmt.Errorf("connect: %w", err)
	}
	defer admin.Close(ctx)
	// Test packages run in parallel processes; the lock makes one of them build the template.
	if _, err := admin.Exec(ctx, "SELECT pg_advisory_lock(7470011)"); err != nil {
		return "", err
	}
	defer admin.Exec(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock(7470011)") //nolint:errcheck
	var exists bool
	if err := admin.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&exists); err != nil {
		return "", err
	}
	if exists {
		return name, nil
	}
	build := name + "_build"
	if _, err := admin.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{build}.Sanitize()+" WITH (FORCE)"); err != nil {
		return "", err
	}
	pool, err := db.Open(ctx, withDatabase(base, build), 4)
	if err != nil {
		return "", err
	}
	_, err = db.Migrate(ctx, pool, slog.New(slog.DiscardHandler))
	pool.Close()
	if err != nil {
		return "", err
	}
	if _, err := admin.Exec(ctx, fmt.Sprintf("ALTER DATABASE %s RENAME TO %s", pgx.Identifier{build}.Sanitize(), pgx.Identifier{name}.Sanitize())); err != nil {
		return "", fmt.Errorf("rename template: %w", err)
	}
	return name, nil
}

func adminConn(t testing.TB, base string) *pgx.Conn {
	t.Helper()
	c, err := pgx.Connect(context.Background(), withDatabase(base, "postgres"))
	if err != nil {
		t.Fatalf("connect to postgres database: %v", err)
	}
	return c
}

func withDatabase(base, name string) string {
	u, err := url.Parse(base)
	if err != nil {
		return base
	}
	u.Path = "/" + name
	return u.String()
}

func randomSuffix() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// EmptyURL returns the URL of a database that does not exist yet (for tests of database
// creation and migration); it is dropped when the test ends if something created it.
func EmptyURL(t testing.TB) string {
	t.Helper()
	base := BaseURL(t)
	name := "liftplan_empty_" + randomSuffix()
	t.Cleanup(func() {
		c := adminConn(t, base)
		defer c.Close(context.Background())
		_, _ = c.Exec(context.Background(), "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)")
	})
	return withDatabase(base, name)
}
