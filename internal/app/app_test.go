package app

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"liftplan/internal/testdb"
)

// runMain runs the liftplan command line in-process with the given environment.
func runMain(ctx context.Context, environ map[string]string, args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	code = Main(ctx, append([]string{"liftplan"}, args...), func(k string) string { return environ[k] }, &out, &errb)
	return code, out.String(), errb.String()
}

func TestUsageAndConfigErrors(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name     string
		env      map[string]string
		args     []string
		code     int
		inStderr []string
	}{
		{"no command", nil, nil, ExitUsage, []string{"missing command", "Usage:"}},
		{"unknown command", nil, []string{"fly"}, ExitUsage, []string{`unknown command "fly"`}},
		{"bad role", nil, []string{"serve", "--role", "boss"}, ExitUsage, []string{"--role must be all, web or worker"}},
		{"unknown flag", nil, []string{"migrate", "--force"}, ExitUsage, []string{"flag provided but not defined"}},
		{"user without subcommand", nil, []string{"user"}, ExitUsage, []string{`"user" needs the subcommand "create"`}},
		{"user create invalid", nil, []string{"user", "create", "--email", "nope", "--password", "short", "--role", "king"}, ExitUsage,
			[]string{"email: enter an email address", "password: use at least 10 characters", "role: role must be user, coach or admin"}},
		{"config problems all at once", map[string]string{"APP_ENV": "production", "JOB_TIMEOUT": "10m", "RESCUE_AFTER": "1m", "LLM_PROVIDER": "openai"},
			[]string{"serve"}, ExitUsage, []string{"SESSION_SECRET", "RESCUE_AFTER", "OPENAI_API_KEY"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runMain(ctx, tt.env, tt.args...)
			if code != tt.code {
				t.Errorf("exit = %d, want %d (stderr %q)", code, tt.code, stderr)
			}
			for _, s := range tt.inStderr {
				if !strings.Contains(stderr, s) {
					t.Errorf("stderr %q does not contain %q", stderr, s)
				}
			}
		})
	}
	if code, out, _ := runMain(ctx, nil, "version"); code != ExitOK || !strings.HasPrefix(out, "liftplan ") {
		t.Errorf("version = %d %q", code, out)
	}
}

func TestMigrateTwiceAndUserCreate(t *testing.T) {
	ctx := context.Background()
	env := map[string]string{"DATABASE_URL": testdb.EmptyURL(t)}
	code, out, stderr := runMain(ctx, env, "migrate")
	if code != ExitOK || !strings.Contains(out, "applied 00001_accounts.sql") || !strings.Contains(out, "applied river migration") {
		t.Fatalf("first migrate = %d, out %q, err %q", code, out, stderr)
	}
	if code, out, _ := runMain(ctx, env, "migrate"); code != ExitOK || !strings.Contains(out, "up to date") {
		t.Errorf("second migrate = %d %q, want 0 and up to date", code, out)
	}
	if code, out, stderr := runMain(ctx, env, "user", "create", "--email", "Admin@Example.com", "--password", "a long enough password", "--role", "admin"); code != ExitOK || !strings.Contains(out, "created admin admin@example.com") {
		t.Errorf("user create = %d %q %q", code, out, stderr)
	}
	if code, _, stderr := runMain(ctx, env, "user", "create", "--email", "admin@example.com", "--password", "a long enough password"); code != ExitFailure || !strings.Contains(stderr, "already registered") {
		t.Errorf("duplicate user create = %d %q, want 1 and already registered", code, stderr)
	}
	if code, out, _ := runMain(ctx, env, "demo"); code != ExitOK || !strings.Contains(out, "admin@liftplan.test") || !strings.Contains(out, demoPassword) {
		t.Errorf("demo = %d %q", code, out)
	}
	if code, _, stderr := runMain(ctx, env, "demo"); code != ExitOK {
		t.Errorf("demo twice = %d %q", code, stderr)
	}
	conn, err := pgx.Connect(ctx, env["DATABASE_URL"])
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var clients int
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM users u JOIN users c ON c.id = u.coach_id WHERE c.email = 'coach@liftplan.test'`).Scan(&clients); err != nil || clients != 2 {
		t.Errorf("demo coach has %d clients (%v), want 2", clients, err)
	}
	// Run twice, the demo still has exactly its programs: three completed, one failed to retry.
	var completed, failed int
	if err := conn.QueryRow(ctx, `SELECT count(*) FILTER (WHERE generation_status = 'completed'), count(*) FILTER (WHERE generation_status = 'failed')
		FROM training_programs`).Scan(&completed, &failed); err != nil || completed != 3 || failed != 1 {
		t.Errorf("demo programs: %d completed, %d failed (%v); want 3 and 1", completed, failed, err)
	}
	var msg string
	_ = conn.QueryRow(ctx, `SELECT generation_error FROM training_programs WHERE generation_status = 'failed'`).Scan(&msg)
	if !strings.Contains(msg, "Try again") {
		t.Errorf("demo failure message %q does not tell the user what to do", msg)
	}
	// The demo user's latest program has two weeks logged (once, though demo ran twice).
	var sessions, weeks, days, sets int
	err = conn.QueryRow(ctx, `SELECT (SELECT count(*) FROM session_logs s WHERE s.program_id = p.id),
		(SELECT count(DISTINCT week) FROM session_logs s WHERE s.program_id = p.id),
		jsonb_array_length(p.program->'weeks'->0->'days'),
		(SELECT count(*) FROM workout_sets w WHERE w.program_id = p.id)
		FROM training_programs p JOIN users u ON u.id = p.user_id
		WHERE u.email = 'user@liftplan.test' ORDER BY p.created_at DESC, p.id DESC LIMIT 1`).Scan(&sessions, &weeks, &days, &sets)
	if err != nil || weeks != 2 || sessions != 2*days || sets == 0 {
		t.Errorf("demo log: %d sessions over %d weeks (%d days a week), %d sets (%v); want two weeks logged", sessions, weeks, days, sets, err)
	}
}

// TestTwoServersStartTogether starts two instances at the same moment against a database that
// does not exist yet: both create/migrate under the advisory lock and serve.
func TestTwoServersStartTogether(t *testing.T) {
	dbURL := testdb.EmptyURL(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var wg sync.WaitGroup
	codes := make([]int, 2)
	errs := make([]string, 2)
	addrs := []string{freeAddr(t), freeAddr(t)}
	for i := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes[i], _, errs[i] = runMain(ctx, map[string]string{"DATABASE_URL": dbURL, "LISTEN_ADDR": addrs[i], "LOG_LEVEL": "warn"}, "serve")
		}()
	}
	for i, a := range addrs {
		if !waitReady(t, "http://"+a+"/readyz", 60*time.Second) {
			cancel()
			wg.Wait()
			t.Fatalf("server %d never became ready: exit %d, stderr %s", i, codes[i], errs[i])
		}
	}
	cancel() // graceful shutdown, as on SIGTERM
	wg.Wait()
	for i := range 2 {
		if codes[i] != ExitOK {
			t.Errorf("server %d exit = %d, stderr %s", i, codes[i], errs[i])
		}
	}
}

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// waitReady polls url until it answers 200 or the timeout passes.
func waitReady(t *testing.T, url string, timeout time.Duration) bool {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		res, err := http.Get(url)
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return true
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	return false
}
