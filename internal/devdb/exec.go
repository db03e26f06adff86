package devdb

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// runner runs PostgreSQL's tools, as the postgres OS user when we are root
// because initdb, pg_ctl and postgres all refuse to run as root.
type runner struct {
	binDir     string // directory holding initdb and pg_ctl
	asPostgres bool   // wrap commands so they run as the postgres user
	uid, gid   int    // owner for files we create on the cluster's behalf
	home       string // postgres user's home, a candidate for relocated clusters
	runuser    string // path of runuser, preferred over su when present
	su         string // path of su, the fallback
}

// newRunner decides who runs the tools: the current user, or postgres when root.
func newRunner() (*runner, error) {
	r := &runner{uid: os.Getuid(), gid: os.Getgid()}
	if os.Geteuid() != 0 {
		return r, nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		return nil, fmt.Errorf("running as root, so initdb must run as the postgres OS user, but looking it up failed (create it, e.g. `useradd -r -m postgres`, or run as a normal user): %w", err)
	}
	uid, err := strconv.Atoi(u.Uid)
	if err != nil {
		return nil, fmt.Errorf("postgres user has non-numeric uid %q: %w", u.Uid, err)
	}
	gid, err := strconv.Atoi(u.Gid)
	if err != nil {
		return nil, fmt.Errorf("postgres user has non-numeric gid %q: %w", u.Gid, err)
	}
	r.asPostgres, r.uid, r.gid, r.home = true, uid, gid, u.HomeDir
	// runuser needs no PAM password dance and is meant for root; su is the
	// portable fallback (e.g. images without util-linux's runuser).
	if p, err := exec.LookPath("runuser"); err == nil {
		r.runuser = p
	} else if p, err := exec.LookPath("su"); err == nil {
		r.su = p
	} else {
		return nil, errors.New("running as root but neither runuser nor su is available to switch to the postgres user")
	}
	return r, nil
}

// command builds a command for prog (a path, or a name looked up on PATH),
// wrapped to run as postgres when needed.
func (r *runner) command(ctx context.Context, prog string, args ...string) *exec.Cmd {
	argv := append([]string{prog}, args...)
	switch {
	case r.asPostgres && r.runuser != "":
		argv = append([]string{r.runuser, "-u", "postgres", "--"}, argv...)
	case r.asPostgres:
		argv = []string{r.su, "postgres", "-s", "/bin/sh", "-c", shellJoin(argv)}
	}
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	// "/" because the postgres user usually cannot enter root's working
	// directory, and the PostgreSQL tools fail or warn when getcwd fails.
	cmd.Dir = "/"
	cmd.Env = cleanEnv()
	// Own process group so cancellation can kill runuser/su and the tool
	// below it; pg_ctl puts the postmaster in its own session, so a running
	// server survives this.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = 5 * time.Second
	return cmd
}

// tool returns the path of a PostgreSQL program in the chosen bin directory.
func (r *runner) tool(name string) string { return filepath.Join(r.binDir, name) }

// run runs a short-lived command and returns an error carrying its output.
// Only for programs that leave no daemon behind: a daemon inheriting the
// output pipe would keep Wait from returning.
func (r *runner) run(ctx context.Context, prog string, args ...string) error {
	cmd := r.command(ctx, prog, args...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s %s: %w\n%s", filepath.Base(prog), strings.Join(args, " "), err, strings.TrimSpace(out.String()))
	}
	return nil
}

// canAccess reports whether the tools' user can search dir (and, with
// write, create entries in it), asked of the OS itself, as that user, so
// ACLs and group membership count.
func (r *runner) canAccess(ctx context.Context, dir string, write bool) bool {
	if !r.asPostgres {
		return true
	}
	args := []string{"-x", dir}
	if write {
		args = append(args, "-a", "-w", dir)
	}
	return r.command(ctx, "test", args...).Run() == nil
}

// cleanEnv drops PG* variables: a developer's PGPORT, PGDATA or PGHOST is
// meant for psql, and must not redirect the private cluster's tools.
func cleanEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "PG") {
			env = append(env, kv)
		}
	}
	return env
}

// shellJoin quotes argv for `su -c`, which takes one shell command string.
func shellJoin(argv []string) string {
	q := make([]string, len(argv))
	for i, a := range argv {
		q[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
	}
	return strings.Join(q, " ")
}

// debianBinGlob is where Debian/Ubuntu install server binaries, which are
// not on PATH there.
const debianBinGlob = "/usr/lib/postgresql/*/bin"

// findBinDir picks a directory with both initdb and pg_ctl. wantMajor, when
// non-empty, is the existing cluster's PG_VERSION: a cluster only starts
// with binaries of its own major version.
func findBinDir(ctx context.Context, wantMajor string) (string, error) {
	var dirs []string
	if wantMajor != "" {
		dirs = append(dirs, filepath.Join("/usr/lib/postgresql", wantMajor, "bin"))
	}
	if p, err := exec.LookPath("initdb"); err == nil {
		// Resolve symlinks (/usr/local/bin/initdb -> .../15/bin/initdb) so
		// initdb and pg_ctl surely come from the same installation.
		if real, err := filepath.EvalSymlinks(p); err == nil {
			dirs = append(dirs, filepath.Dir(real))
		}
		dirs = append(dirs, filepath.Dir(p))
	}
	matches, _ := filepath.Glob(debianBinGlob)
	sort.Slice(matches, func(i, j int) bool { return versionOf(matches[i]) > versionOf(matches[j]) })
	dirs = append(dirs, matches...)

	var seen []string
	for _, d := range dirs {
		if !isExecutable(filepath.Join(d, "initdb")) || !isExecutable(filepath.Join(d, "pg_ctl")) {
			continue
		}
		if wantMajor == "" {
			return d, nil
		}
		major, err := majorVersion(ctx, filepath.Join(d, "pg_ctl"))
		if err == nil && major == wantMajor {
			return d, nil
		}
		seen = append(seen, fmt.Sprintf("%s (version %s)", d, major))
	}
	if wantMajor != "" {
		return "", fmt.Errorf("the cluster needs PostgreSQL %s binaries, found only %v; install them or delete the cluster to recreate it", wantMajor, seen)
	}
	return "", fmt.Errorf("initdb and pg_ctl not found on PATH or in %s; install the PostgreSQL server (e.g. apt-get install postgresql)", debianBinGlob)
}

// versionOf extracts the major version from a /usr/lib/postgresql/N/bin path
// so that 16 sorts above 9.6.
func versionOf(binDir string) float64 {
	v, _ := strconv.ParseFloat(filepath.Base(filepath.Dir(binDir)), 64)
	return v
}

var versionRE = regexp.MustCompile(`\(PostgreSQL\) (\d+)(?:\.(\d+))?`)

// majorVersion asks pg_ctl for its major version in PG_VERSION's format
// ("15", or "9.6" before version 10).
func majorVersion(ctx context.Context, pgCtl string) (string, error) {
	out, err := exec.CommandContext(ctx, pgCtl, "--version").Output()
	if err != nil {
		return "", fmt.Errorf("%s --version: %w", pgCtl, err)
	}
	m := versionRE.FindStringSubmatch(string(out))
	if m == nil {
		return "", fmt.Errorf("%s --version: unexpected output %q", pgCtl, out)
	}
	if n, _ := strconv.Atoi(m[1]); n < 10 && m[2] != "" {
		return m[1] + "." + m[2], nil
	}
	return m[1], nil
}

// isExecutable reports whether path is a regular file with an execute bit.
func isExecutable(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().IsRegular() && fi.Mode().Perm()&0o111 != 0
}
