package devdb

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"
)

const (
	// clusterLink is the cluster's name inside DataDir: the data directory
	// itself, or a symlink to it when it had to be relocated (see placeCluster).
	clusterLink = "pg"
	// confName is our include file inside the cluster. It is written only
	// after initdb succeeded, so it doubles as the "fully initialized" marker.
	confName = "liftplan-devdb.conf"
	// logName is the server log inside DataDir.
	logName = "postgres.log"
	// lockName serializes devdb processes: `go test ./...` runs many test
	// binaries at once, and two concurrent initdb runs would collide.
	lockName = "devdb.lock"

	startTimeout = 30 * time.Second
	stopTimeout  = 30 * time.Second
	lockTimeout  = 2 * time.Minute
	// maxSocketPath is sizeof(sockaddr_un.sun_path) minus the NUL on Linux.
	maxSocketPath = 107
)

// ensureCluster makes the private cluster exist and run, and returns its port.
func ensureCluster(ctx context.Context, o Options) (int, error) {
	if err := os.MkdirAll(o.DataDir, 0o755); err != nil {
		return 0, fmt.Errorf("create data dir: %w", err)
	}
	unlock, err := lockDir(ctx, o)
	if err != nil {
		return 0, err
	}
	defer unlock()

	r, err := newRunner()
	if err != nil {
		return 0, err
	}
	dir, err := placeCluster(ctx, o, r)
	if err != nil {
		return 0, err
	}
	major := readTrim(filepath.Join(dir, "PG_VERSION"))
	if !exists(filepath.Join(dir, confName)) {
		major = "" // a half-made cluster is recreated, with whatever binaries we find
	}
	if r.binDir, err = findBinDir(ctx, major); err != nil {
		return 0, err
	}
	if !exists(filepath.Join(dir, confName)) {
		if err := initCluster(ctx, o, r, dir); err != nil {
			return 0, err
		}
	}

	// Twice: a server that dies while we wait for it (a crash, or a kill
	// whose effect /proc shows a moment late) gets started afresh.
	for range 2 {
		pid, port, running := settledState(ctx, o, dir)
		if !running {
			break
		}
		// Ours is up (maybe still starting, if someone ran pg_ctl by hand):
		// reuse it on the port it actually listens on.
		if otherNetNamespace(pid) {
			// Started inside `unshare -n`: its 127.0.0.1 is not ours, and
			// waiting for it would only time out.
			return 0, fmt.Errorf("cluster (PID %d) runs in another network namespace (started under unshare -n?); stop it with `go run ./internal/devdb/cmd/devdb stop`", pid)
		}
		o.logf("reusing running cluster (PID %d) on port %d", pid, port)
		err := waitReady(ctx, o, port, dir, startTimeout)
		if err == nil {
			return port, nil
		}
		if !errors.Is(err, errServerGone) {
			return 0, fmt.Errorf("cluster (PID %d) runs but does not answer on 127.0.0.1:%d (`go run ./internal/devdb/cmd/devdb stop` stops it): %w%s", pid, port, err, logTail(o, 0))
		}
		o.logf("cluster (PID %d) exited while we waited for it", pid)
	}
	return startCluster(ctx, o, r, dir)
}

// placeCluster returns the cluster's data directory, creating it (empty,
// owned by the tools' user) on first use.
//
// As root, the tools run as postgres, which must be able to reach the data
// directory. A repository under /root (mode 0700) or a t.TempDir (0700
// directories under /tmp) is not reachable. Opening that up would mean
// chmod-ing directories we do not own, such as /root itself, which weakens
// the machine's security for a dev convenience. Instead the cluster then
// lives in the postgres user's home (or /var/tmp), in a directory named after
// a hash of DataDir, and DataDir/pg is a symlink to it. The log stays at
// DataDir/postgres.log in every case: we open it ourselves and hand the
// descriptor to pg_ctl, so the postgres user never needs the path.
func placeCluster(ctx context.Context, o Options, r *runner) (string, error) {
	link := filepath.Join(o.DataDir, clusterLink)
	fi, err := os.Lstat(link)
	switch {
	case err == nil && fi.Mode()&fs.ModeSymlink != 0:
		target, err := os.Readlink(link)
		if err != nil {
			return "", fmt.Errorf("read cluster link: %w", err)
		}
		// The target may have vanished (e.g. /var/tmp cleaned); recreate it,
		// parent first so that no root-only directory ends up in between.
		if err := mkdirOwned(filepath.Dir(target), r); err != nil {
			return "", err
		}
		if err := mkdirOwned(target, r); err != nil {
			return "", err
		}
		return target, nil
	case err == nil && fi.IsDir():
		return link, nil
	case err == nil:
		return "", fmt.Errorf("%s exists but is not a directory", link)
	case !errors.Is(err, fs.ErrNotExist):
		return "", fmt.Errorf("inspect cluster dir: %w", err)
	}

	// Search access suffices: we create DataDir/pg ourselves and chown it.
	if r.canAccess(ctx, o.DataDir, false) {
		if err := mkdirOwned(link, r); err != nil {
			return "", err
		}
		return link, nil
	}
	base := os.TempDir()
	if r.home != "" && r.canAccess(ctx, r.home, true) {
		base = r.home
	} else if r.canAccess(ctx, "/var/tmp", true) {
		base = "/var/tmp" // survives reboots, unlike /tmp on many systems
	}
	sum := sha256.Sum256([]byte(o.DataDir))
	target := filepath.Join(base, "liftplan-devdb", hex.EncodeToString(sum[:6]))
	if err := mkdirOwned(filepath.Dir(target), r); err != nil {
		return "", err
	}
	if err := mkdirOwned(target, r); err != nil {
		return "", err
	}
	if err := os.Symlink(target, link); err != nil {
		return "", fmt.Errorf("link cluster dir: %w", err)
	}
	o.logf("the postgres user cannot reach %s, so the cluster lives in %s (linked from %s)", o.DataDir, target, link)
	return target, nil
}

// mkdirOwned creates dir (mode 0700, as initdb wants) owned by the tools'
// user, and hands over an existing empty dir we may have created as root.
func mkdirOwned(dir string, r *runner) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("create %s: %w", dir, err)
	}
	if r.asPostgres {
		if err := os.Chown(dir, r.uid, r.gid); err != nil {
			return fmt.Errorf("chown %s to postgres: %w", dir, err)
		}
	}
	return nil
}

// initCluster runs initdb and writes our settings.
func initCluster(ctx context.Context, o Options, r *runner, dir string) error {
	// Without our conf file any content is a failed or interrupted earlier
	// initdb; initdb refuses non-empty directories, so clear it. The directory
	// is ours (DataDir/pg or its relocated twin), never a user's cluster.
	if entries, _ := os.ReadDir(dir); len(entries) > 0 {
		o.logf("removing incomplete cluster in %s", dir)
		for _, e := range entries {
			if err := os.RemoveAll(filepath.Join(dir, e.Name())); err != nil {
				return fmt.Errorf("clear incomplete cluster: %w", err)
			}
		}
	}
	o.logf("creating cluster in %s with %s", dir, r.tool("initdb"))
	ictx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	// --no-locale: the C locale always exists, whereas the caller's LANG may
	// name a locale that is not installed, which makes initdb fail.
	// --no-sync: a throwaway dev cluster does not need initdb's fsync pass,
	// which costs seconds on slow disks.
	if err := r.run(ictx, r.tool("initdb"), "-D", dir, "-U", "postgres", "--auth=trust",
		"--encoding=UTF8", "--no-locale", "--no-sync"); err != nil {
		return fmt.Errorf("initdb failed: %w", err)
	}
	if err := writeConf(dir, o.Port, r); err != nil {
		return err
	}
	// Appended last so our settings override initdb's defaults; the include
	// keeps everything we manage in one file that is easy to rewrite.
	f, err := os.OpenFile(filepath.Join(dir, "postgresql.conf"), os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		return fmt.Errorf("open postgresql.conf: %w", err)
	}
	_, err = fmt.Fprintf(f, "\ninclude = '%s'\n", confName)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("append include to postgresql.conf: %w", err)
	}
	// The marker is the conf file, which must exist only once the include is
	// in place; rewrite it last to keep that ordering true after a crash.
	return writeConf(dir, o.Port, r)
}

// writeConf writes our settings; it is also the record of the chosen port.
func writeConf(dir string, port int, r *runner) error {
	sock := dir
	// A socket path longer than sun_path makes the server refuse to start;
	// we only use TCP, so drop the socket rather than fail.
	if len(filepath.Join(dir, ".s.PGSQL."+strconv.Itoa(port))) > maxSocketPath {
		sock = ""
	}
	content := fmt.Sprintf(`# Managed by liftplan internal/devdb; rewritten when the port changes.
listen_addresses = '127.0.0.1'
port = %d
# In the data dir, so we need no write access to /var/run/postgresql.
unix_socket_directories = '%s'
`, port, strings.ReplaceAll(sock, "'", "''"))
	tmp := filepath.Join(dir, confName+".tmp")
	if err := os.WriteFile(tmp, []byte(content), 0o600); err != nil {
		return fmt.Errorf("write %s: %w", confName, err)
	}
	if r.asPostgres {
		if err := os.Chown(tmp, r.uid, r.gid); err != nil {
			return fmt.Errorf("chown %s: %w", confName, err)
		}
	}
	if err := os.Rename(tmp, filepath.Join(dir, confName)); err != nil {
		return fmt.Errorf("install %s: %w", confName, err)
	}
	return nil
}

var portRE = regexp.MustCompile(`(?m)^port = (\d+)`)

// readPort returns the port recorded in our conf file, or def.
func readPort(dir string, def int) int {
	b, err := os.ReadFile(filepath.Join(dir, confName))
	if err != nil {
		return def
	}
	if m := portRE.FindSubmatch(b); m != nil {
		if p, err := strconv.Atoi(string(m[1])); err == nil {
			return p
		}
	}
	return def
}

// startCluster starts the stopped cluster, moving it to another port when
// its port is taken by a foreign process, and waits until it answers.
func startCluster(ctx context.Context, o Options, r *runner, dir string) (int, error) {
	logPath := filepath.Join(o.DataDir, logName)
	tried := map[int]bool{}
	port := readPort(dir, o.Port)
	for attempt := 1; ; attempt++ {
		if tried[port] || !portFree(port) {
			np, err := pickPort(o.Port, tried)
			if err != nil {
				return 0, err
			}
			o.logf("port %d is in use by another process; moving the cluster to port %d", port, np)
			if err := writeConf(dir, np, r); err != nil {
				return 0, err
			}
			port = np
		}
		tried[port] = true

		o.logf("starting cluster on 127.0.0.1:%d (log: %s)", port, logPath)
		offset, err := pgCtlStart(ctx, r, dir, logPath)
		if err == nil {
			if err := waitReady(ctx, o, port, dir, startTimeout); err != nil {
				return 0, fmt.Errorf("started but not answering on port %d: %w%s", port, err, logTail(o, offset))
			}
			return port, nil
		}
		// Between our check and the server's bind another process may grab
		// the port (parallel test binaries do); try a different one.
		tail := logTail(o, offset)
		if attempt < 3 && (strings.Contains(tail, "could not bind") || strings.Contains(tail, "Address already in use")) {
			continue
		}
		return 0, fmt.Errorf("pg_ctl start failed: %w%s", err, tail)
	}
}

// pgCtlStart runs pg_ctl start and returns the log offset where its output
// begins. The server's stdout/stderr is a file we opened: with a pipe, Wait
// would block until the server (which inherits it) exits, and the postgres
// user may be unable to open DataDir/postgres.log itself.
func pgCtlStart(ctx context.Context, r *runner, dir, logPath string) (int64, error) {
	f, err := os.OpenFile(logPath, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return 0, fmt.Errorf("open log: %w", err)
	}
	defer f.Close()
	var offset int64
	if fi, err := f.Stat(); err == nil {
		offset = fi.Size()
	}
	sctx, cancel := context.WithTimeout(ctx, startTimeout+10*time.Second)
	defer cancel()
	// -w -t: pg_ctl itself notices a server that dies during startup (bad
	// config, port in use) and gives up after the timeout, so we never hang.
	cmd := r.command(sctx, r.tool("pg_ctl"), "start", "-D", dir, "-w", "-t", strconv.Itoa(int(startTimeout/time.Second)))
	cmd.Stdout, cmd.Stderr = f, f
	if err := cmd.Run(); err != nil {
		return offset, err
	}
	return offset, nil
}

// errServerGone says the postmaster exited while we waited for it.
var errServerGone = errors.New("server process exited")

// waitReady polls with real connections until the server on port answers and
// is the one serving dir. It gives up after timeout, or at once when the
// postmaster is gone, rather than polling a dead server for the full timeout.
func waitReady(ctx context.Context, o Options, port int, dir string, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	for {
		got, err := queryServer(ctx, addr, "select current_setting('data_directory')")
		if err == nil {
			if sameDir(got, dir) {
				return nil
			}
			return fmt.Errorf("port %d is served by a different cluster (%s)", port, got)
		}
		if _, _, running, _ := postmasterState(o, dir); !running {
			return fmt.Errorf("%w (last connection error: %v)", errServerGone, err)
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("waiting for connections: %w (last error: %v)", ctx.Err(), err)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// settledState is postmasterState after waiting (up to 15 s) for processes
// left over from a crashed postmaster: its children notice and exit within
// moments, and starting before they are gone fails with "shared memory block
// is still in use".
func settledState(ctx context.Context, o Options, dir string) (pid, port int, running bool) {
	pid, port, running, orphans := postmasterState(o, dir)
	if running || len(orphans) == 0 {
		return pid, port, running
	}
	o.logf("waiting for leftover server processes %v to exit", orphans)
	deadline := time.Now().Add(15 * time.Second)
	for len(orphans) > 0 && !running && time.Now().Before(deadline) && ctx.Err() == nil {
		time.Sleep(100 * time.Millisecond)
		pid, port, running, orphans = postmasterState(o, dir)
	}
	return pid, port, running
}

// portFree reports whether nothing listens on 127.0.0.1:port.
func portFree(port int) bool {
	l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
	if err != nil {
		return false
	}
	_ = l.Close()
	return true
}

// pickPort finds a free port near the preferred one, so it stays recognizable,
// falling back to one the kernel assigns.
func pickPort(preferred int, tried map[int]bool) (int, error) {
	for p := preferred; p < preferred+100 && p < 65536; p++ {
		if !tried[p] && portFree(p) {
			return p, nil
		}
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("find a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// postmasterState reads postmaster.pid and says whether this cluster's server
// runs, and on which port; orphans are other processes still working in the
// data dir. A stale pid file left by a crash is removed when that is provably
// safe, because its PID may since belong to an unrelated process, which
// makes the postmaster refuse to start.
func postmasterState(o Options, dir string) (pid, port int, running bool, orphans []int) {
	pidFile := filepath.Join(dir, "postmaster.pid")
	b, err := os.ReadFile(pidFile)
	if err != nil {
		return 0, 0, false, nil
	}
	// Lines: PID, data dir, start time, port, socket dir, listen addr, shm key, status.
	lines := strings.Split(string(b), "\n")
	pid, _ = strconv.Atoi(strings.TrimSpace(lines[0]))
	if len(lines) > 3 {
		port, _ = strconv.Atoi(strings.TrimSpace(lines[3]))
	}
	users, known := processesIn(dir)
	if !known {
		// No /proc: fall back to "does the PID exist" and let the postmaster
		// do its own, more careful, check when started.
		alive := pid > 0 && syscall.Kill(pid, 0) == nil
		return pid, port, alive && port > 0, nil
	}
	for _, p := range users {
		if p == pid && port > 0 {
			return pid, port, true, nil
		}
	}
	if len(users) == 0 {
		// No process has its cwd in the data dir, so no postmaster or orphaned
		// backend can use it: the file is stale whatever its PID now is.
		o.logf("removing stale postmaster.pid (PID %d is not this cluster's server)", pid)
		_ = os.Remove(pidFile)
		// The socket lock file names the same PID. Where nothing reaps
		// orphans (a container whose PID 1 is not an init), the crashed
		// postmaster lingers as a zombie that still "exists" for kill(pid, 0),
		// so the new postmaster would refuse to take the socket over.
		locks, _ := filepath.Glob(filepath.Join(dir, ".s.PGSQL.*.lock"))
		for _, l := range locks {
			_ = os.Remove(l)
		}
	}
	return pid, port, false, users
}

// processesIn lists PIDs whose working directory is dir (a postmaster and
// its backends chdir into their data dir). known is false without /proc.
func processesIn(dir string) (pids []int, known bool) {
	entries, err := os.ReadDir("/proc")
	if err != nil || !exists("/proc/self/cwd") {
		return nil, false
	}
	want, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return nil, false
	}
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		// Unreadable means gone, or another user's process when we are not
		// root; neither can be our server, which runs as us (or postgres,
		// whose processes root can inspect).
		cwd, err := os.Readlink(filepath.Join("/proc", e.Name(), "cwd"))
		if err != nil {
			continue
		}
		if cwd == want {
			pids = append(pids, pid)
		}
	}
	return pids, true
}

// otherNetNamespace reports whether pid provably lives in a network
// namespace other than ours; false when /proc cannot tell.
func otherNetNamespace(pid int) bool {
	theirs, err1 := os.Readlink(filepath.Join("/proc", strconv.Itoa(pid), "ns", "net"))
	ours, err2 := os.Readlink("/proc/self/ns/net")
	return err1 == nil && err2 == nil && theirs != ours
}

// stopCluster stops the cluster under o.DataDir if one exists and runs.
func stopCluster(ctx context.Context, o Options) error {
	return stopClusterMode(ctx, o, "fast")
}

// stopClusterMode is stopCluster with pg_ctl's shutdown mode (fast or immediate).
func stopClusterMode(ctx context.Context, o Options, mode string) error {
	link := filepath.Join(o.DataDir, clusterLink)
	if _, err := os.Stat(link); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil // never created (or relocated target gone): nothing runs
		}
		return fmt.Errorf("inspect cluster dir: %w", err)
	}
	unlock, err := lockDir(ctx, o)
	if err != nil {
		return err
	}
	defer unlock()
	dir, err := filepath.EvalSymlinks(link)
	if err != nil {
		return fmt.Errorf("resolve cluster dir: %w", err)
	}
	pid, _, running, _ := postmasterState(o, dir)
	if !running {
		return nil
	}
	r, err := newRunner()
	if err != nil {
		return err
	}
	if r.binDir, err = findBinDir(ctx, readTrim(filepath.Join(dir, "PG_VERSION"))); err != nil {
		return err
	}
	o.logf("stopping cluster (PID %d)", pid)
	sctx, cancel := context.WithTimeout(ctx, stopTimeout+10*time.Second)
	defer cancel()
	return r.run(sctx, r.tool("pg_ctl"), "stop", "-D", dir, "-m", mode, "-w", "-t", strconv.Itoa(int(stopTimeout/time.Second)))
}

// lockDir takes an exclusive flock on DataDir/devdb.lock, polling so that
// ctx and lockTimeout bound the wait.
func lockDir(ctx context.Context, o Options) (unlock func(), err error) {
	f, err := os.OpenFile(filepath.Join(o.DataDir, lockName), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, fmt.Errorf("open lock file: %w", err)
	}
	deadline := time.Now().Add(lockTimeout)
	for logged := false; ; {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			return func() { _ = f.Close() }, nil // closing releases the lock
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) {
			_ = f.Close()
			return nil, fmt.Errorf("lock %s: %w", f.Name(), err)
		}
		if !logged {
			o.logf("waiting for another devdb process holding %s", f.Name())
			logged = true
		}
		if time.Now().After(deadline) {
			_ = f.Close()
			return nil, fmt.Errorf("lock %s: still held after %s", f.Name(), lockTimeout)
		}
		select {
		case <-ctx.Done():
			_ = f.Close()
			return nil, fmt.Errorf("lock %s: %w", f.Name(), ctx.Err())
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// logTail returns the last lines of the log written since offset, formatted
// for appending to an error: enough to show why a start failed without
// burying the message under the whole history.
func logTail(o Options, offset int64) string {
	const maxBytes, maxLines = 4096, 20
	f, err := os.Open(filepath.Join(o.DataDir, logName))
	if err != nil {
		return ""
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && fi.Size()-offset > maxBytes {
		offset = fi.Size() - maxBytes
	}
	if _, err := f.Seek(offset, io.SeekStart); err != nil {
		return ""
	}
	var lines []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	if len(lines) > maxLines {
		lines = lines[len(lines)-maxLines:]
	}
	if len(lines) == 0 {
		return ""
	}
	return "\nserver log " + f.Name() + " (tail):\n\t" + strings.Join(lines, "\n\t")
}

// sameDir compares directories after resolving symlinks (e.g. /tmp on macOS).
func sameDir(a, b string) bool {
	ra, err1 := filepath.EvalSymlinks(a)
	rb, err2 := filepath.EvalSymlinks(b)
	if err1 != nil || err2 != nil {
		return filepath.Clean(a) == filepath.Clean(b)
	}
	return ra == rb
}

// readTrim returns a small file's trimmed content, or "" if unreadable.
func readTrim(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(b))
}

// exists reports whether path exists.
func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
