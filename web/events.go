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

	w := c.Response()
	h := w.Header()
	h.Set(echo.HeaderContentType, "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no") // nginx: do not buffer the stream
	// The server's WriteTimeout protects ordinary pages; a stream lives as long as the client.
	_ = http.NewResponseController(w.Writer).SetWriteDeadline(time.Time{})
	w.WriteHeader(http.StatusOK)

	ctx := c.Request().Context()
	var last string
	send := func(p programs.Program) (terminal bool, err error) {
		sv := s.statusView(p, u, token, 0)
		key := fmt.Sprintf("%s|%s|%d|%v|%d", sv.Status, sv.Step, sv.Attempt, sv.Message, len(sv.DraftDays)) // a streamed day is a change
		if key != last {
			last = key
			if err := writeEvent(ctx, w, "status", pview.Status(sv)); err != nil {
				return false, err
			}
		}
		return sv.Terminal(), nil
	}
	if done, err := send(prog); err != nil || done {
		return s.finishStream(w, err)
	}
	heartbeat := time.NewTicker(sseHeartbeat)
	defer heartbeat.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-heartbeat.C:
			if _, err := fmt.Fprint(w, ": heartbeat\n\n"); err != nil {
				return nil
			}
			w.Flush()
		case _, open := <-sub.C:
			p, err := s.programs.Get(ctx, u, prog.ID)
			if errors.Is(err, programs.ErrNotFound) {
				return nil // gone or no longer visible: end the stream quietly
			}
			if err != nil {
				// The database is briefly unreachable (a restart): keep the stream; the hub wakes
				// every subscriber again once its LISTEN connection is back.
				s.log.Debug("sse: program re-read failed; waiting for the next wake-up", "program_id", prog.ID, "error", err)
				if !open {
					return nil
				}
				continue
			}
			if !open {
				// Shutting down: a final status event, then the client's EventSource reconnects
				// (to another instance, or to this one after the restart).
				last = ""
				if done, err := send(p); done && err == nil {
					return s.finishStream(w, nil)
				}
				return nil
			}
			done, err := send(p)
			if err != nil || done {
				return s.finishStream(w, err)
			}
		}
	}
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
