package programs

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"liftplan/internal/auth"
	"liftplan/internal/db/dbq"
)

// StreamRead is one read of a program shared by every SSE stream watching it: the row, and
// which of the streams' sessions are still signed in and may still see it. Each stream then
// decodes its own view (For) without another query.
type StreamRead struct {
	row     dbq.GetProgramForViewerRow
	found   bool
	allowed map[string]bool
}

// ReadForStreams reads program id once for the streams whose session keys are given (two
// statements, however many streams watch).
func (s *Service) ReadForStreams(ctx context.Context, id int64, sessionKeys []string) (StreamRead, error) {
	row, err := s.q.GetProgramForStream(ctx, id)
	if errors.Is(err, pgx.ErrNoRows) {
		return StreamRead{}, nil
	}
	if err != nil {
		return StreamRead{}, fmt.Errorf("stream read of program %d: %w", id, err)
	}
	hashes := make([][]byte, len(sessionKeys))
	for i, k := range sessionKeys {
		hashes[i] = []byte(k)
	}
	ok, err := s.q.StreamViewers(ctx, dbq.StreamViewersParams{ProgramID: id, SessionHashes: hashes})
	if err != nil {
		return StreamRead{}, fmt.Errorf("stream viewers of program %d: %w", id, err)
	}
	r := StreamRead{row: dbq.GetProgramForViewerRow(row), found: true, allowed: make(map[string]bool, len(ok))}
	for _, h := range ok {
		r.allowed[string(h)] = true
	}
	return r, nil
}

// For is the program as viewer on session sessionKey sees it, or false when the program is gone,
// the session signed out or the viewer lost access: that stream must end.
func (r StreamRead) For(viewer auth.User, sessionKey string) (Program, bool) {
	if !r.found || !r.allowed[sessionKey] {
		return Program{}, false
	}
	p, _ := fromViewerRow(r.row, viewer) // a partly unreadable row was logged by the page's read
	return p, true
}
