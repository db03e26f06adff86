package llm

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"time"

	openai "github.com/sashabaranov/go-openai"
)

// DraftSink receives the blueprint days written so far, each time one more day has arrived
// complete while the model streams. The pipeline stores them on the program row and notifies,
// so every process's status element shows them. It must not block for long: the stream waits.
type DraftSink func(ctx context.Context, days []BlueprintDay)

type draftSinkKey struct{}

// WithDraftSink returns a context whose generation reports streamed days to sink. It travels
// in the context rather than the Generator interface because it belongs to one run of one
// program, and generators that cannot stream (builtin) simply never call it.
func WithDraftSink(ctx context.Context, sink DraftSink) context.Context {
	return context.WithValue(ctx, draftSinkKey{}, sink)
}

func draftSinkFrom(ctx context.Context) DraftSink {
	s, _ := ctx.Value(draftSinkKey{}).(DraftSink)
	return s
}

// answer is one chat completion, streamed or not, reduced to what the generator uses.
type answer struct {
	model          string
	content        string
	refusal        string
	finish         openai.FinishReason
	usage          openai.Usage
	firstToken     time.Duration // time to the first content (or refusal) delta; 0 unstreamed
	streamed       bool
	daysDuringRead int // blueprint days that were complete before the answer ended
}

// completeStream sends one streaming request and reads it to the end, handing every newly
// completed blueprint day to sink (nil: nobody watches).
func (g *OpenAI) completeStream(ctx context.Context, req openai.ChatCompletionRequest, sink DraftSink) (answer, error) {
	start := time.Now()
	req.Stream = true
	req.StreamOptions = &openai.StreamOptions{IncludeUsage: true}
	s, err := g.client.CreateChatCompletionStream(ctx, req)
	if err != nil {
		g.o.Metrics.RequestDuration.Observe(time.Since(start).Seconds())
		g.o.Metrics.Requests.WithLabelValues("error").Inc()
		return answer{}, err // unclassified: the caller looks for a refusal to stream first
	}
	defer s.Close()
	var a answer
	a.streamed = true
	var content, refusal strings.Builder
	var scan dayScanner
	var days []BlueprintDay
	for {
		chunk, err := s.Recv()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			g.o.Metrics.RequestDuration.Observe(time.Since(start).Seconds())
			g.o.Metrics.Requests.WithLabelValues("error").Inc()
			return a, classify(ctx, err)
		}
		if chunk.Model != "" {
			a.model = chunk.Model
		}
		if chunk.Usage != nil {
			a.usage = *chunk.Usage
		}
		for _, c := range chunk.Choices {
			if c.Index != 0 {
				continue
			}
			if (c.Delta.Content != "" || c.Delta.Refusal != "") && a.firstToken == 0 {
				a.firstToken = time.Since(start)
			}
			content.WriteString(c.Delta.Content)
			refusal.WriteString(c.Delta.Refusal)
			if c.FinishReason != "" {
				a.finish = c.FinishReason
			}
			for _, raw := range scan.feed(c.Delta.Content) {
				var d BlueprintDay
				if json.Unmarshal(raw, &d) != nil {
					continue // shown at the end if usable; a draft is only a preview
				}
				days = append(days, d)
				if sink != nil {
					sink(ctx, append([]BlueprintDay(nil), days...))
				}
			}
		}
	}
	a.content, a.refusal, a.daysDuringRead = content.String(), refusal.String(), len(days)
	g.o.Metrics.RequestDuration.Observe(time.Since(start).Seconds())
	g.o.Metrics.Requests.WithLabelValues("ok").Inc()
	g.o.Metrics.Tokens.WithLabelValues("prompt").Add(float64(a.usage.PromptTokens))
	g.o.Metrics.Tokens.WithLabelValues("completion").Add(float64(a.usage.CompletionTokens))
	return a, nil
}

// streamRefused reports whether err is a server saying it cannot stream this request (many
// OpenAI-compatible servers reject stream together with a json_schema response format). Any
// other error is classified as usual.
func streamRefused(err error) bool {
	var apiErr *openai.APIError
	var reqErr *openai.RequestError
	status, msg := 0, ""
	switch {
	case errors.As(err, &apiErr):
		status, msg = apiErr.HTTPStatusCode, apiErr.Message
	case errors.As(err, &reqErr):
		status, msg = reqErr.HTTPStatusCode, string(reqErr.Body)
	default:
		return false
	}
	refusing := status == http.StatusBadRequest || status == http.StatusUnprocessableEntity || status == http.StatusNotImplemented
	return refusing && strings.Contains(strings.ToLower(msg), "stream")
}

// dayScanner finds complete objects of the root's "days" array in JSON arriving in pieces. It
// tracks only nesting and strings, so it costs one pass over the answer; a day it returns is
// the exact bytes the model wrote, decoded by the caller.
type dayScanner struct {
	buf      []byte
	depth    int
	inString bool
	escaped  bool
	keyStart int    // start of the last string at depth 1 (a key candidate)
	lastKey  string // the last complete string at depth 1
	inDays   bool   // inside the root's "days" array
	dayStart int    // start of the day object being read; -1 none
}

// feed adds a piece of the answer and returns the day objects it completed.
func (s *dayScanner) feed(piece string) [][]byte {
	if s.buf == nil {
		s.dayStart = -1
	}
	var out [][]byte
	from := len(s.buf)
	s.buf = append(s.buf, piece...)
	for i := from; i < len(s.buf); i++ {
		c := s.buf[i]
		if s.inString {
			switch {
			case s.escaped:
				s.escaped = false
			case c == '\\':
				s.escaped = true
			case c == '"':
				s.inString = false
				if s.depth == 1 {
					s.lastKey = string(s.buf[s.keyStart+1 : i])
				}
			}
			continue
		}
		switch c {
		case '"':
			s.inString, s.keyStart = true, i
		case '{', '[':
			s.depth++
			if c == '[' && s.depth == 2 && s.lastKey == "days" {
				s.inDays = true
			}
			if c == '{' && s.inDays && s.depth == 3 {
				s.dayStart = i
			}
		case '}', ']':
			if c == '}' && s.inDays && s.depth == 3 && s.dayStart >= 0 {
				out = append(out, append([]byte(nil), s.buf[s.dayStart:i+1]...))
				s.dayStart = -1
			}
			if c == ']' && s.depth == 2 {
				s.inDays = false
			}
			s.depth--
		}
	}
	return out
}
