package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"liftplan/internal/auth"
	"liftplan/internal/programs"
	pview "liftplan/views/programs"
)

// sseHeartbeat keeps proxies from closing a quiet stream and notices gone clients.
const sseHeartbeat = 15 * time.Second

// programEvents streams the live status element over SSE: subscribe first, then send the current
// fragment, then one `status` event per change, heartbeats in between, and `done` after a final
// status. Each wake-up re-reads the program row, so a missed or coalesced notification costs
// nothing; after the hub reconnects it wakes every stream to re-read.
func (s *Server) programEvents(c echo.Context) error {
	id, err := programID(c)
	if err != nil {
		return err
	}
	// Subscribe before the first read: a change committed in between is then a wake-up that
	// re-reads, never a notification lost.
	sub := s.hub.Subscribe(id)
	defer sub.Close()
	prog, u, err := s.loadProgram(c)
	if err != nil {
		return err
	}
	token, err := s.csrfToken(c)
	if err != nil {
		return err
	}
	st := &statusStream{s: s, w: c.Response(), ctx: c.Request().Context(), token: token}
	st.open()
	if done, err := st.send(prog); err != nil || done {
		return st.finish(err)
	}
	return st.follow(sub.C, u, prog.ID)
}

// statusStream is one SSE stream of a program's status.
type statusStream struct {
	s     *Server
	w     *echo.Response
	ctx   context.Context
	token string
	last  string // the last status sent, so an unchanged re-read sends nothing
}

// open writes the stream's headers.
func (st *statusStream) open() {
	h := st.w.Header()
	h.Set(echo.HeaderContentType, "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no") // nginx: do not buffer the stream
	// The server's WriteTimeout protects ordinary pages; a stream lives as long as the client.
	_ = http.NewResponseController(st.w.Writer).SetWriteDeadline(time.Time{})
	st.w.WriteHeader(http.StatusOK)
}

// send writes a status event when the status changed; terminal is true once it is final.
func (st *statusStream) send(p programs.Program) (terminal bool, err error) {
	sv := st.s.statusView(p, st.token, 0)
	key := fmt.Sprintf("%s|%s|%d|%v|%d", sv.Status, sv.Step, sv.Attempt, sv.Message, len(sv.DraftDays)) // a streamed day is a change
	if key != st.last {
		st.last = key
		if err := writeEvent(st.ctx, st.w, "status", pview.Status(sv)); err != nil {
			return false, err
		}
	}
	return sv.Terminal(), nil
}

// follow sends heartbeats and a status event per wake-up until the program is final, the client
// leaves or the hub closes.
func (st *statusStream) follow(wake <-chan struct{}, u auth.User, id int64) error {
	heartbeat := time.NewTicker(sseHeartbeat)
	defer heartbeat.Stop()
	for {
		select {
		case <-st.ctx.Done():
			return nil
		case <-heartbeat.C:
			if _, err := fmt.Fprint(st.w, ": heartbeat\n\n"); err != nil {
				return nil
			}
			st.w.Flush()
		case _, open := <-wake:
			if end, err := st.wake(u, id, open); end {
				return st.finish(err)
			}
			if !open {
				return nil
			}
		}
	}
}

// errStreamQuiet ends a stream without the done event.
var errStreamQuiet = errors.New("stream ends quietly")

// wake re-reads the program after a notification (open) or the hub's shutdown (!open). end says
// the stream is over: with a nil error after a final status (done follows), with
// errStreamQuiet or a write error otherwise.
func (st *statusStream) wake(u auth.User, id int64, open bool) (end bool, err error) {
	p, err := st.s.programs.Get(st.ctx, u, id)
	if errors.Is(err, programs.ErrNotFound) {
		return true, errStreamQuiet // gone or no longer visible: end the stream quietly
	}
	if err != nil {
		// The database is briefly unreachable (a restart): keep the stream; the hub wakes
		// every subscriber again once its LISTEN connection is back.
		st.s.log.Debug("sse: program re-read failed; waiting for the next wake-up", "program_id", id, "error", err)
		return false, nil
	}
	if !open {
		// Shutting down: a final status event, then the client's EventSource reconnects
		// (to another instance, or to this one after the restart).
		st.last = ""
		if done, err := st.send(p); done && err == nil {
			return true, nil
		}
		return false, nil
	}
	done, err := st.send(p)
	return err != nil || done, err
}

// finish ends a stream: the done event after a final status, nothing after an error.
func (st *statusStream) finish(err error) error {
	return st.s.finishStream(st.w, err)
}

// finishStream ends a stream whose program reached a final status.
func (s *Server) finishStream(w *echo.Response, err error) error {
	if err != nil {
		return nil // the client went away; nothing to report
	}
	fmt.Fprint(w, "event: done\ndata: done\n\n")
	w.Flush()
	return nil
}

// writeEvent renders comp and writes it as one SSE event (one data: line per line of HTML).
func writeEvent(ctx context.Context, w *echo.Response, event string, comp interface {
	Render(context.Context, io.Writer) error
}) error {
	var buf bytes.Buffer
	if err := comp.Render(ctx, &buf); err != nil {
		return err
	}
	var b strings.Builder
	b.WriteString("event: " + event + "\n")
	for _, line := range strings.Split(buf.String(), "\n") {
		b.WriteString("data: " + strings.TrimRight(line, "\r") + "\n")
	}
	b.WriteString("\n")
	if _, err := w.Write([]byte(b.String())); err != nil {
		return err
	}
	w.Flush()
	return nil
}
