package events

import (
	"errors"
	"sync"
)

// ErrTooManyStreams refuses a stream beyond the per-user or the global cap (HTTP 429): open
// streams hold a connection and a goroutine each, and one user's tabs (or script) must not take
// what every other user needs.
var ErrTooManyStreams = errors.New("too many open live-status streams; close some tabs and reload")

// Default caps on open streams.
const (
	DefaultStreamsPerUser = 8
	DefaultStreamsGlobal  = 2000
)

// Streams counts the open SSE streams of this process and ends a session's streams at sign-out.
type Streams struct {
	perUser, global int

	mu        sync.Mutex
	total     int
	byUser    map[int64]int
	bySession map[string]map[*Stream]struct{}
}

// Stream is one open SSE stream; Ended closes when its session signs out.
type Stream struct {
	Ended   <-chan struct{}
	ended   chan struct{}
	once    sync.Once
	s       *Streams
	user    int64
	session string
}

// NewStreams returns the registry with its caps (≤ 0: the defaults).
func NewStreams(perUser, global int) *Streams {
	if perUser <= 0 {
		perUser = DefaultStreamsPerUser
	}
	if global <= 0 {
		global = DefaultStreamsGlobal
	}
	return &Streams{perUser: perUser, global: global, byUser: map[int64]int{}, bySession: map[string]map[*Stream]struct{}{}}
}

// Open registers a stream of user on session, or returns ErrTooManyStreams.
func (s *Streams) Open(user int64, session string) (*Stream, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.total >= s.global || s.byUser[user] >= s.perUser {
		return nil, ErrTooManyStreams
	}
	st := &Stream{ended: make(chan struct{}), s: s, user: user, session: session}
	st.Ended = st.ended
	s.total++
	s.byUser[user]++
	if s.bySession[session] == nil {
		s.bySession[session] = map[*Stream]struct{}{}
	}
	s.bySession[session][st] = struct{}{}
	return st, nil
}

// Close unregisters the stream; safe to call more than once.
func (st *Stream) Close() {
	st.once.Do(func() {
		s := st.s
		s.mu.Lock()
		defer s.mu.Unlock()
		s.total--
		if s.byUser[st.user]--; s.byUser[st.user] <= 0 {
			delete(s.byUser, st.user)
		}
		if set := s.bySession[st.session]; set != nil {
			delete(set, st)
			if len(set) == 0 {
				delete(s.bySession, st.session)
			}
		}
	})
}

// EndSession ends every stream of session (sign-out): their Ended channels close.
func (s *Streams) EndSession(session string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for st := range s.bySession[session] {
		select {
		case <-st.ended:
		default:
			close(st.ended)
		}
	}
}

// Count is the number of open streams.
func (s *Streams) Count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.total
}
