package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Server is one `liftplan serve` child process. The benchmark harness and the reliability
// suite (internal/reliability) share it.
type Server struct {
	URL string
	// Addr is the process's LISTEN_ADDR; a restarted process can take it over, so clients
	// (and their cookies) carry on as with a real redeploy.
	Addr string
	cmd  *exec.Cmd
	done chan struct{} // closed when the process has exited and been reaped
	err  error         // Wait's result, valid once done is closed
}

// StartOptions configures StartWith.
type StartOptions struct {
	// Role is --role (all, web or worker); default all.
	Role string
	// Env is added to the caller's environment (later entries win, so it overrides).
	Env map[string]string
	// Addr is LISTEN_ADDR; empty picks a free port.
	Addr string
	// Stderr receives the process's log; nil means os.Stderr.
	Stderr io.Writer
	// ReadyTimeout bounds the wait for /readyz; default 30 s.
	ReadyTimeout time.Duration
}

// Start runs binary `serve --role role` with env added to the harness's environment and waits
// until /readyz answers.
func Start(ctx context.Context, binary, role string, env map[string]string) (*Server, error) {
	return StartWith(ctx, binary, StartOptions{Role: role, Env: env})
}

// StartWith runs `binary serve` as configured and waits until /readyz answers 200.
func StartWith(ctx context.Context, binary string, o StartOptions) (*Server, error) {
	addr := o.Addr
	if addr == "" {
		var err error
		if addr, err = freeAddr(); err != nil {
			return nil, err
		}
	}
	if o.Role == "" {
		o.Role = "all"
	}
	if o.ReadyTimeout <= 0 {
		o.ReadyTimeout = 30 * time.Second
	}
	cmd := exec.Command(binary, "serve", "--role", o.Role)
	// The harness speaks for many users from one machine: it names each client's address in
	// X-Forwarded-For, so the per-address sign-up throttle applies per simulated user.
	cmd.Env = append(os.Environ(), "LISTEN_ADDR="+addr, "LOG_LEVEL=error", "TRUSTED_PROXIES=127.0.0.1/32")
	for k, v := range o.Env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	cmd.Stderr = o.Stderr
	if cmd.Stderr == nil {
		cmd.Stderr = os.Stderr
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", binary, err)
	}
	s := &Server{URL: "http://" + addr, Addr: addr, cmd: cmd, done: make(chan struct{})}
	go func() { s.err = cmd.Wait(); close(s.done) }()
	deadline := time.Now().Add(o.ReadyTimeout)
	for time.Now().Before(deadline) && ctx.Err() == nil {
		select {
		case <-s.done:
			return nil, fmt.Errorf("liftplan serve --role %s exited before it was ready: %v", o.Role, s.err)
		default:
		}
		if res, err := http.Get(s.URL + "/readyz"); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return s, nil
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	s.Kill()
	return nil, fmt.Errorf("liftplan serve --role %s never became ready", o.Role)
}

// Stop sends SIGTERM and waits (then kills after 30 s).
func (s *Server) Stop() {
	if s == nil || s.cmd.Process == nil {
		return
	}
	if _, err := s.Terminate(30 * time.Second); err != nil {
		s.Kill()
	}
}

// ErrStillRunning is Terminate's error when the process outlived the timeout (it was killed).
var ErrStillRunning = errors.New("process still running after the timeout")

// Terminate sends SIGTERM and waits up to timeout for the process to exit. It returns how long
// the exit took and the process's exit error (nil for exit status 0); past the timeout the
// process is killed and the error is ErrStillRunning.
func (s *Server) Terminate(timeout time.Duration) (time.Duration, error) {
	start := time.Now()
	select {
	case <-s.done:
		return 0, s.err
	default:
	}
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.done:
		return time.Since(start), s.err
	case <-time.After(timeout):
		s.Kill()
		return time.Since(start), ErrStillRunning
	}
}

// Kill sends SIGKILL (a crash: no shutdown code runs) and waits until the process is gone.
func (s *Server) Kill() {
	if s == nil || s.cmd.Process == nil {
		return
	}
	_ = s.cmd.Process.Kill()
	<-s.done
}

// Exited reports whether the process has ended.
func (s *Server) Exited() bool {
	select {
	case <-s.done:
		return true
	default:
		return false
	}
}

// RSSMiB is the process's resident set size in MiB, from /proc.
func (s *Server) RSSMiB() float64 {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(s.cmd.Process.Pid) + "/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "VmRSS:") {
			f := strings.Fields(line)
			kb, _ := strconv.ParseFloat(f[1], 64)
			return kb / 1024
		}
	}
	return 0
}

// FreeAddr returns a 127.0.0.1 address with a port nothing listens on right now.
//
// It picks a port below Linux's ephemeral range (32768 and up): a port from that range can be
// taken by any outgoing connection between this check and the server's bind, which is what
// happens when a scenario restarts a server on the same address while others run.
func FreeAddr() (string, error) {
	for range 100 {
		port := 20000 + rand.IntN(12000)
		l, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", port))
		if err != nil {
			continue
		}
		addr := l.Addr().String()
		l.Close()
		return addr, nil
	}
	return freeAddr()
}

func freeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}
