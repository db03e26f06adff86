package devdb

import (
	"context"
	"errors"
	"io/fs"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// These tests really run initdb and pg_ctl; they never skip, so CI proves the
// private-cluster path. They clear DATABASE_URL because `make test` exports
// one for the rest of the suite.

// tlog sends devdb's progress lines to the test log.
type tlog struct{ t *testing.T }

func (w tlog) Write(p []byte) (int, error) {
	w.t.Helper()
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// closedAddr returns a loopback address where nothing listens.
func closedAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	addr := l.Addr().String()
	if err := l.Close(); err != nil {
		t.Fatalf("close listener: %v", err)
	}
	return addr
}

// privateOptions points devdb at a fresh DataDir with nothing to probe, and
// registers a cleanup that stops the cluster and removes a relocated one
// (t.TempDir only removes the symlink to it).
func privateOptions(t *testing.T, dataDir string) Options {
	t.Helper()
	o := Options{DataDir: dataDir, ProbeAddr: closedAddr(t), Log: tlog{t}}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if err := Stop(ctx, o); err != nil {
			t.Errorf("cleanup Stop: %v", err)
		}
		if target, err := os.Readlink(filepath.Join(dataDir, clusterLink)); err == nil {
			if err := os.RemoveAll(target); err != nil {
				t.Errorf("remove relocated cluster: %v", err)
			}
			_ = os.Remove(filepath.Dir(target)) // only if no other cluster lives there
		}
	})
	return o
}

// portOf returns the port of a devdb URL.
func portOf(t *testing.T, u string) int {
	t.Helper()
	pu, err := url.Parse(u)
	if err != nil {
		t.Fatalf("parse %q: %v", u, err)
	}
	p, err := strconv.Atoi(pu.Port())
	if err != nil {
		t.Fatalf("port of %q: %v", u, err)
	}
	return p
}

// selectOne connects to the server of u (database postgres: liftplan is the
// app's to create) and runs select 1.
func selectOne(ctx context.Context, u string) error {
	cfg, err := pgx.ParseConfig(u)
	if err != nil {
		return err
	}
	cfg.Database = "postgres"
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	var one int
	return conn.QueryRow(ctx, "select 1").Scan(&one)
}

func TestPrivateClusterLifecycle(t *testing.T) {
	t.Setenv("DATABASE_URL", "")
	// As root the cluster runs as postgres. A t.TempDir (0700 dirs) is out of
	// its reach, like a repo under /root, so the cluster is relocated; making
	// the dirs traversable exercises the in-place layout too.
	variants := []string{"in place"}
	if os.Geteuid() == 0 {
		variants = append(variants, "relocated")
	}
	for _, v := range variants {
		t.Run(v, func(t *testing.T) {
			base := t.TempDir()
			if v == "in place" {
				for _, d := range []string{base, filepath.Dir(base)} {
					if err := os.Chmod(d, 0o755); err != nil {
						t.Fatal(err)
					}
				}
			}
			testLifecycle(t, filepath.Join(base, ".data"), v == "relocated")
		})
	}
}

func testLifecycle(t *testing.T, dataDir string, relocated bool) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	o := privateOptions(t, dataDir)

	// A foreign process on the preferred port must push the cluster elsewhere.
	foreign, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer foreign.Close()
	o.Port = foreign.Addr().(*net.TCPAddr).Port

	u1, err := URL(ctx, o)
	if err != nil {
		t.Fatalf("first URL: %v", err)
	}
	port := portOf(t, u1)
	if want := baseURL("127.0.0.1:" + strconv.Itoa(port)); u1 != want {
		t.Errorf("URL = %q, want %q", u1, want)
	}
	if port == o.Port {
		t.Errorf("cluster took port %d, which a foreign process holds", port)
	}
	if err := selectOne(ctx, u1); err != nil {
		t.Fatalf("select 1 on %s: %v", u1, err)
	}
	fi, err := os.Lstat(filepath.Join(dataDir, clusterLink))
	if err != nil {
		t.Fatal(err)
	}
	if isLink := fi.Mode()&fs.ModeSymlink != 0; isLink != relocated {
		t.Errorf("%s/pg is symlink = %v, want %v", dataDir, isLink, relocated)
	}
	if _, err := os.Stat(filepath.Join(dataDir, logName)); err != nil {
		t.Errorf("server log: %v", err)
	}

	start := time.Now()
	u2, err := URL(ctx, o)
	if err != nil {
		t.Fatalf("second URL: %v", err)
	}
	if u2 != u1 {
		t.Errorf("second URL = %q, want reuse of %q", u2, u1)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("reusing the running cluster took %v", d)
	}

	if err := Stop(ctx, o); err != nil {
		t.Fatalf("Stop: %v", err)
	}
	if err := selectOne(ctx, u1); err == nil {
		t.Fatal("server still answers after Stop")
	}
	if err := Stop(ctx, o); err != nil {
		t.Errorf("Stop of a stopped cluster: %v", err)
	}

	// The recorded port survives a restart even though the preferred one is
	// still taken.
	u3, err := URL(ctx, o)
	if err != nil {
		t.Fatalf("URL after Stop: %v", err)
	}
	if u3 != u1 {
		t.Errorf("URL after Stop = %q, want %q", u3, u1)
	}
	if err := selectOne(ctx, u3); err != nil {
		t.Fatalf("select 1 after restart: %v", err)
	}

	// Crash: the postmaster dies, leaving postmaster.pid behind.
	dir, err := filepath.EvalSymlinks(filepath.Join(dataDir, clusterLink))
	if err != nil {
		t.Fatal(err)
	}
	pid, _, running, _ := postmasterState(o, dir)
	if !running {
		t.Fatal("postmasterState: not running after URL")
	}
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
		t.Fatalf("kill postmaster: %v", err)
	}
	u4, err := URL(ctx, o)
	if err != nil {
		t.Fatalf("URL after crash: %v", err)
	}
	if err := selectOne(ctx, u4); err != nil {
		t.Fatalf("select 1 after crash restart: %v", err)
	}

	// Crash plus PID reuse: the stale postmaster.pid names a live process
	// that is not a postmaster (this test), which the postmaster alone would
	// take for a running server and refuse to start.
	if err := Stop(ctx, o); err != nil {
		t.Fatalf("Stop: %v", err)
	}
	stale := strconv.Itoa(os.Getpid()) + "\n" + dir + "\n1700000000\n" + strconv.Itoa(port) + "\n" + dir + "\n127.0.0.1\n  1234567     12345\nready   \n"
	if err := os.WriteFile(filepath.Join(dir, "postmaster.pid"), []byte(stale), 0o600); err != nil {
		t.Fatal(err)
	}
	u5, err := URL(ctx, o)
	if err != nil {
		t.Fatalf("URL with stale postmaster.pid: %v", err)
	}
	if err := selectOne(ctx, u5); err != nil {
		t.Fatalf("select 1 after stale-pid restart: %v", err)
	}
}

func TestDatabaseURLWins(t *testing.T) {
	const want = "postgres://someone@db.example.invalid:6543/other?sslmode=require"
	t.Setenv("DATABASE_URL", want)
	dataDir := filepath.Join(t.TempDir(), ".data")
	o := Options{DataDir: dataDir, ProbeAddr: closedAddr(t), Log: tlog{t}}
	got, err := URL(context.Background(), o)
	if err != nil {
		t.Fatalf("URL: %v", err)
	}
	if got != want {
		t.Errorf("URL = %q, want DATABASE_URL %q", got, want)
	}
	if _, err := os.Stat(dataDir); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("DataDir touched although DATABASE_URL is set: %v", err)
	}
}

func TestAnsweringServerWins(t *testing.T) {
	t.Setenv("DATABASE_URL", "")
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	o := Options{DataDir: filepath.Join(t.TempDir(), ".data"), Log: tlog{t}}
	want := baseURL(DefaultProbeAddr)
	if err := probe(ctx, DefaultProbeAddr); err != nil {
		// E.g. inside `unshare -n`: still test the rule, with a private
		// cluster standing in for the server on 5432.
		t.Logf("nothing answers on %s (%v); probing a private cluster instead", DefaultProbeAddr, err)
		other, err := URL(ctx, privateOptions(t, filepath.Join(t.TempDir(), ".data")))
		if err != nil {
			t.Fatalf("start stand-in server: %v", err)
		}
		o.ProbeAddr = "127.0.0.1:" + strconv.Itoa(portOf(t, other))
		want = baseURL(o.ProbeAddr)
	}
	got, err := URL(ctx, o)
	if err != nil {
		t.Fatalf("URL: %v", err)
	}
	if got != want {
		t.Errorf("URL = %q, want the answering server %q", got, want)
	}
	if _, err := os.Stat(o.DataDir); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("DataDir touched although a server answers: %v", err)
	}
}

func TestNonPostgresListenerDoesNotCount(t *testing.T) {
	// Something that accepts TCP but is not PostgreSQL must not count as an
	// answering server; the probe has to fail fast, not hang.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			_, _ = c.Write([]byte("SSH-2.0-not-postgres\r\n"))
			_ = c.Close()
		}
	}()
	start := time.Now()
	if err := probe(context.Background(), l.Addr().String()); err == nil {
		t.Error("probe accepted a non-PostgreSQL listener")
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("probe took %v", d)
	}
}

func TestRunnerSwitchesUser(t *testing.T) {
	// Both ways of dropping root must run the tool as postgres with its
	// arguments intact (su takes one shell string, so quoting matters).
	r, err := newRunner()
	if err != nil {
		t.Fatal(err)
	}
	want := "postgres"
	if !r.asPostgres {
		want = "" // not root: tools run as ourselves, nothing to switch
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	variants := map[string]*runner{"default": r}
	if r.asPostgres {
		if su, err := exec.LookPath("su"); err == nil {
			viaSu := *r
			viaSu.runuser, viaSu.su = "", su
			variants["su"] = &viaSu
		}
	}
	for name, r := range variants {
		out, err := r.command(ctx, "sh", "-c", `printf '%s|%s' "$(id -un)" "$1"`, "sh", "it's a \"dir\" $HOME").Output()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		user, arg, _ := strings.Cut(string(out), "|")
		if want != "" && user != want {
			t.Errorf("%s: ran as %q, want %q", name, user, want)
		}
		if arg != `it's a "dir" $HOME` {
			t.Errorf("%s: argument arrived as %q", name, arg)
		}
	}
}
