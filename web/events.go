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
	"liftplan/internal/events"
	"liftplan/internal/programs"
	pview "liftplan/views/programs"
)

// sseHeartbeat keeps proxies from closing a quiet stream and notices gone clients.
const sseHeartbeat = 15 * time.Second

// liveStream is one open SSE stream and what it needs to render and revalidate.
type liveStream struct {
	s      *Server
	w      *echo.Response
	viewer auth.User
	token  string
	key    string // the session's key: revalidated on every change
	last   string // the last status sent, so an unchanged one is not sent again
}

// programEvents streams the live status element over SSE: subscribe first, then send the current
// fragment, then one `status` event per change, heartbeats in between, and `done` after a final
// status. A wake-up triggers one read shared by every stream of the program (Hub.Snapshot),
// which also revalidates each stream: a signed-out session or a viewer who lost access gets
// `done` and the stream ends. Sign-out in this process ends the session's streams at once.
func (s *Server) programEvents(c echo.Context) error {
	id, err := programID(c)
	if err != nil {
		return err
	}
	key := auth.SessionKey(session(c))
	viewer, _ := currentUser(c)
	reg, err := s.streams.Open(viewer.ID, key)
	if errors.Is(err, events.ErrTooManyStreams) {
		return echo.NewHTTPError(http.StatusTooManyRequests, err.Error())
	}
	defer reg.Close()
	// Subscribe before the first read: a change committed in between is then a wake-up that
	// re-reads, never a notification lost.
	sub := s.hub.SubscribeKey(id, key)
	defer sub.Close()
	prog, u, err := s.loadProgram(c)
	if err != nil {
		return err
	}
	token, err := s.csrfToken(c)
	if err != nil {
		return err
	}
	ls := &liveStream{s: s, w: c.Response(), viewer: u, token: token, key: key}
	ls.start()
	ctx := c.Request().Context()
	if done, err := ls.send(ctx, prog); err != nil || done {
		return ls.finish(err)
	}
	return ls.loop(ctx, sub, reg)
}

// start writes the stream's headers.
func (ls *liveStream) start() {
	h := ls.w.Header()
	h.Set(echo.HeaderContentType, "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no") // nginx: do not buffer the stream
	// The server's WriteTimeout protects ordinary pages; a stream lives as long as the client.
	_ = http.NewResponseController(ls.w.Writer).SetWriteDeadline(time.Time{})
	ls.w.WriteHeader(http.StatusOK)
}

// loop waits for changes, heartbeats, sign-out and the client leaving.
func (ls *liveStream) loop(ctx context.Context, sub *events.Subscription, reg *events.Stream) error {
	heartbeat := time.NewTicker(sseHeartbeat)
	defer heartbeat.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-reg.Ended: // signed out in this process
			return ls.finish(nil)
		case <-heartbeat.C:
			if _, err := fmt.Fprint(ls.w, ": heartbeat\n\n"); err != nil {
				return nil
			}
			ls.w.Flush()
		case _, open := <-sub.C:
			if end, err := ls.changed(ctx, sub, open); end {
				return ls.finish(err)
			} else if !open {
				return nil
			}
		}
	}
}

// changed handles one wake-up: the shared read, revalidation, and the status event. end says
// the stream is over (with done, unless err says the client went away).
func (ls *liveStream) changed(ctx context.Context, sub *events.Subscription, open bool) (end bool, err error) {
	id := sub.ID()
	v, err := ls.s.hub.Snapshot(ctx, id, func(ctx context.Context, keys []string) (any, error) {
		return ls.s.programs.ReadForStreams(ctx, id, keys)
	})
	if err != nil {
		// The database is briefly unreachable (a restart): keep the stream; the hub wakes
		// every subscriber again once its LISTEN connection is back.
		ls.s.log.Debug("sse: program re-read failed; waiting for the next wake-up", "program_id", sub.ID(), "error", err)
		return false, nil
	}
	p, ok := v.(programs.StreamRead).For(ls.viewer, ls.key)
	if !ok {
		return true, nil // signed out elsewhere, access revoked, or the program is gone
	}
	if !open {
		// Shutting down: a final status event, then the client's EventSource reconnects
		// (to another instance, or to this one after the restart).
		ls.last = ""
		done, err := ls.send(ctx, p)
		return done && err == nil, err
	}
	return ls.send(ctx, p)
}

// send writes the status event when the status changed; terminal says the program is final.
func (ls *liveStream) send(ctx context.Context, p programs.Program) (terminal bool, err error) {
	sv := ls.s.statusView(p, ls.token, 0)
	key := fmt.Sprintf("%s|%s|%d|%v|%d", sv.Status, sv.Step, sv.Attempt, sv.Message, len(sv.DraftDays)) // a streamed day is a change
	if key != ls.last {
		ls.last = key
		if err := writeEvent(ctx, ls.w, "status", pview.Status(sv)); err != nil {
			return false, err
		}
	}
	return sv.Terminal(), nil
}

// finish ends a stream with `done` (final status, signed out, access lost).
func (ls *liveStream) finish(err error) error {
	if err != nil {
		return nil // the client went away; nothing to report
	}
	fmt.Fprint(ls.w, "event: done\ndata: done\n\n")
	ls.w.Flush()
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
