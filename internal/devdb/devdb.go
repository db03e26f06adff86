// Package devdb finds or starts a PostgreSQL server for local development and
// tests, so that `make run` and `make test` work on a fresh machine.
//
// The order is: DATABASE_URL if set; a server answering on ProbeAddr
// (127.0.0.1:5432, user postgres, trust auth); otherwise a private cluster
// under <repo>/.data created with the system's initdb and run with pg_ctl.
//
// To prove the private-cluster path on a machine that runs PostgreSQL on
// 5432, run the suite in a fresh network namespace, where nothing listens:
//
//	unshare -n sh -c 'ip link set lo up && make test; go run ./internal/devdb/cmd/devdb stop'
//
// (as root, with dependencies already downloaded: the namespace has no
// network). The stop matters: a server started there lives on in that
// namespace and cannot be reached from any other.
package devdb

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
)

// Defaults used when the corresponding Options field is zero.
const (
	DefaultDataDir   = ".data"
	DefaultProbeAddr = "127.0.0.1:5432"
	DefaultPort      = 54329
)

// DatabaseName is the database named in the URLs devdb builds; the app creates it.
const DatabaseName = "liftplan"

// probeTimeout bounds how long a single "does it answer" check may take; a
// healthy local server answers in milliseconds, so 2 s only matters for
// black-holed addresses.
const probeTimeout = 2 * time.Second

// Options configures URL and Stop; the zero value means defaults.
type Options struct {
	// DataDir holds the private cluster and its log; default ".data" relative to
	// the repository root (the nearest directory upwards with a go.mod). A
	// relative DataDir is also resolved against the repository root.
	DataDir string
	// ProbeAddr is where an existing server is looked for; default 127.0.0.1:5432.
	ProbeAddr string
	// Port is the preferred TCP port of the private cluster; default 54329.
	Port int
	// Log receives progress messages; default discards them.
	Log io.Writer
}

// URL returns a base URL (database name "liftplan" unless DATABASE_URL says
// otherwise) of a PostgreSQL server that answers, starting a private cluster
// when needed.
func URL(ctx context.Context, opts Options) (string, error) {
	// An explicit DATABASE_URL is returned untouched and unprobed: the database
	// it names may not exist yet, and the user asked for exactly that server.
	if u := os.Getenv("DATABASE_URL"); u != "" {
		if opts.Log != nil {
			fmt.Fprintln(opts.Log, "devdb: using DATABASE_URL")
		}
		return u, nil
	}
	o, err := opts.withDefaults()
	if err != nil {
		return "", err
	}
	err = probe(ctx, o.ProbeAddr)
	if err == nil {
		o.logf("using PostgreSQL on %s", o.ProbeAddr)
		return baseURL(o.ProbeAddr), nil
	}
	o.logf("no usable PostgreSQL on %s (%v); using private cluster under %s", o.ProbeAddr, err, o.DataDir)
	port, err := ensureCluster(ctx, o)
	if err != nil {
		return "", fmt.Errorf("devdb: private cluster under %s: %w", o.DataDir, err)
	}
	return baseURL(net.JoinHostPort("127.0.0.1", strconv.Itoa(port))), nil
}

// Stop stops the private cluster under DataDir if one runs (pg_ctl stop -m fast).
func Stop(ctx context.Context, opts Options) error {
	o, err := opts.withDefaults()
	if err != nil {
		return err
	}
	if err := stopCluster(ctx, o); err != nil {
		return fmt.Errorf("devdb: stop private cluster under %s: %w", o.DataDir, err)
	}
	return nil
}

// baseURL builds the URL handed to the app for a trust-auth server at addr.
func baseURL(addr string) string {
	return "postgres://postgres@" + addr + "/" + DatabaseName + "?sslmode=disable"
}

// withDefaults fills zero fields and makes DataDir absolute, because the
// cluster path is handed to processes running in another directory.
func (o Options) withDefaults() (Options, error) {
	if o.ProbeAddr == "" {
		o.ProbeAddr = DefaultProbeAddr
	}
	if o.Port == 0 {
		o.Port = DefaultPort
	}
	if o.Log == nil {
		o.Log = io.Discard
	}
	if o.DataDir == "" {
		o.DataDir = DefaultDataDir
	}
	if !filepath.IsAbs(o.DataDir) {
		root, err := repoRoot()
		if err != nil {
			return o, err
		}
		o.DataDir = filepath.Join(root, o.DataDir)
	}
	o.DataDir = filepath.Clean(o.DataDir)
	return o, nil
}

// logf writes one progress line.
func (o Options) logf(format string, args ...any) {
	fmt.Fprintf(o.Log, "devdb: "+format+"\n", args...)
}

// repoRoot walks up from the working directory to the nearest go.mod, so
// `go run` and `go test` (which runs in the package directory) agree on .data.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("devdb: find repository root: %w", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("devdb: find repository root: no go.mod in the working directory or its parents; set Options.DataDir to an absolute path")
		}
		dir = parent
	}
}

// probe reports whether a PostgreSQL server at addr accepts user postgres
// without a password and runs a query. A bare TCP dial is not enough: some
// other service, or a server demanding a password, would pass that check and
// then fail later in a more confusing place.
func probe(ctx context.Context, addr string) error {
	_, err := queryServer(ctx, addr, "select 1::text")
	return err
}

// queryServer connects to the postgres database at addr as user postgres and
// returns the single text value of q, all within probeTimeout.
func queryServer(ctx context.Context, addr, q string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, probeTimeout)
	defer cancel()
	conn, err := pgx.Connect(ctx, "postgres://postgres@"+addr+"/postgres?sslmode=disable&connect_timeout=2")
	if err != nil {
		return "", err
	}
	defer func() {
		// Closing gets its own short deadline so an expired ctx still sends
		// Terminate instead of leaving the server to notice a dropped socket.
		cctx, ccancel := context.WithTimeout(context.Background(), time.Second)
		defer ccancel()
		_ = conn.Close(cctx)
	}()
	var v string
	if err := conn.QueryRow(ctx, q).Scan(&v); err != nil {
		return "", fmt.Errorf("query %q: %w", q, err)
	}
	return v, nil
}

// Private returns the URL of the private cluster under DataDir, creating and starting it when
// needed, whatever DATABASE_URL or ProbeAddr say. Tests that must stop and start their own
// server (the reliability suite's database restart) use it with a DataDir of their own.
func Private(ctx context.Context, opts Options) (string, error) {
	o, err := opts.withDefaults()
	if err != nil {
		return "", err
	}
	port, err := ensureCluster(ctx, o)
	if err != nil {
		return "", fmt.Errorf("devdb: private cluster under %s: %w", o.DataDir, err)
	}
	return baseURL(net.JoinHostPort("127.0.0.1", strconv.Itoa(port))), nil
}

// Crash stops the private cluster under DataDir the way a crash would (pg_ctl stop -m
// immediate: backends are killed, no checkpoint), so the next start runs crash recovery.
// Private starts it again; together they are `pg_ctl restart -m immediate` with an outage
// of the caller's choosing in between.
func Crash(ctx context.Context, opts Options) error {
	o, err := opts.withDefaults()
	if err != nil {
		return err
	}
	if err := stopClusterMode(ctx, o, "immediate"); err != nil {
		return fmt.Errorf("devdb: crash private cluster under %s: %w", o.DataDir, err)
	}
	return nil
}

// Destroy stops the private cluster under DataDir and deletes it, including a relocated data
// directory (see placeCluster), so throwaway test clusters leave nothing behind.
func Destroy(ctx context.Context, opts Options) error {
	o, err := opts.withDefaults()
	if err != nil {
		return err
	}
	if err := stopClusterMode(ctx, o, "immediate"); err != nil {
		return fmt.Errorf("devdb: destroy private cluster under %s: %w", o.DataDir, err)
	}
	link := filepath.Join(o.DataDir, clusterLink)
	if target, err := os.Readlink(link); err == nil {
		if err := os.RemoveAll(target); err != nil {
			return fmt.Errorf("devdb: destroy private cluster: %w", err)
		}
	}
	if err := os.RemoveAll(o.DataDir); err != nil {
		return fmt.Errorf("devdb: destroy private cluster: %w", err)
	}
	return nil
}
