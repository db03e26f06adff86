// Package llmtest is a fake OpenAI-compatible server for tests and demos: it speaks the
// chat-completions protocol (plain and streaming) over real HTTP and answers with scripted
// behaviours — a valid program, rate limits, gateway errors, hangs, broken or science-invalid
// programs, refusals, exhausted quota — so the real client code runs end to end without a key.
package llmtest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	openai "github.com/sashabaranov/go-openai"

	"liftplan/internal/llm"
	"liftplan/internal/science"
)

// Behaviour is what the server does with one chat-completion request.
type Behaviour string

// Scripted behaviours.
const (
	// Valid answers with a program that passes validation (the built-in generator's).
	Valid Behaviour = "valid"
	// RateLimited answers 429 with Retry-After (Options.RetryAfter).
	RateLimited Behaviour = "rate_limited"
	// BadGatewayHTML answers 502 with an HTML page, as a proxy in front of a server does.
	BadGatewayHTML Behaviour = "bad_gateway_html"
	// Hang never answers, until the client gives up (its timeout) or the server closes.
	Hang Behaviour = "hang"
	// InvalidJSON answers 200 with content that is not JSON.
	InvalidJSON Behaviour = "invalid_json"
	// SchemaInvalid answers JSON that breaks the schema (missing and mistyped fields).
	SchemaInvalid Behaviour = "schema_invalid"
	// ScienceInvalid answers a schema-valid program the enhancer cannot fix (a week missing).
	ScienceInvalid Behaviour = "science_invalid"
	// Enhanceable answers a schema-valid program breaking rules the enhancer fixes (reps, sets,
	// rest, weekly volume, weak points).
	Enhanceable Behaviour = "enhanceable"
	// InventedExercise answers a valid program whose first exercise of each day is not in the
	// catalogue.
	InventedExercise Behaviour = "invented_exercise"
	// FollowNotes answers as a model that obeyed an injected instruction: a one-week program.
	FollowNotes Behaviour = "follow_notes"
	// Refusal answers with a refusal message instead of content.
	Refusal Behaviour = "refusal"
	// Truncated answers half a program with finish_reason "length".
	Truncated Behaviour = "truncated"
	// InsufficientQuota answers 429 with OpenAI's insufficient_quota error.
	InsufficientQuota Behaviour = "insufficient_quota"
	// Unauthorized answers 401 invalid_api_key.
	Unauthorized Behaviour = "unauthorized"
)

// Behaviours lists every behaviour, for flag help and validation.
func Behaviours() []Behaviour {
	return []Behaviour{Valid, RateLimited, BadGatewayHTML, Hang, InvalidJSON, SchemaInvalid, ScienceInvalid,
		Enhanceable, InventedExercise, FollowNotes, Refusal, Truncated, InsufficientQuota, Unauthorized}
}

// Options configures a Server.
type Options struct {
	// Script is the behaviour of the first requests, in order; later requests get Default.
	Script []Behaviour
	// Default is the behaviour once the script is used up; Valid when empty.
	Default Behaviour
	// RetryAfter is the Retry-After header of RateLimited answers; "1" when empty.
	RetryAfter string
	// ModelSuffix is appended to the requested model in answers, as servers resolve aliases to
	// snapshots; "-fake" when empty.
	ModelSuffix string
	// Latency delays every answer (demos show the progress steps); 0 answers at once.
	// SetLatency changes it while the server runs.
	Latency time.Duration
	// Mix, when set, draws the behaviour of every unscripted request at random: each behaviour
	// with its probability, and Default with what is left up to 1 (the weights must not sum to
	// more). Reliability tests use it for a fault mix such as 30 % RateLimited, 10 %
	// BadGatewayHTML, 10 % InvalidJSON, 5 % Hang.
	Mix map[Behaviour]float64
	// Seed seeds Mix's draws, so a mix is the same sequence of answers from run to run (in
	// order of arrival).
	Seed uint64
}

// Request is one request the server received.
type Request struct {
	// Body is the decoded request.
	Body openai.ChatCompletionRequest
	// Raw is the request body as sent.
	Raw []byte
	// Header is the request header (Authorization included).
	Header http.Header
	// Behaviour is what the server did.
	Behaviour Behaviour
	// At is when the request arrived.
	At time.Time
}

// Server is a running fake.
type Server struct {
	// URL is the base URL to use as OPENAI_BASE_URL (it ends in /v1).
	URL string

	o        Options
	srv      *http.Server
	ln       net.Listener
	done     chan struct{}
	closeOne sync.Once
	served   chan struct{}

	mu       sync.Mutex
	script   []Behaviour
	requests []Request
	latency  time.Duration
	rng      *rand.Rand
	mix      []weighted
}

// weighted is one entry of a Mix, in a fixed order so that a seed gives the same draws.
type weighted struct {
	b Behaviour
	p float64
}

// New starts a server on a free local port and closes it when the test ends.
func New(t testing.TB, o Options) *Server {
	t.Helper()
	s, err := Listen("127.0.0.1:0", o)
	if err != nil {
		t.Fatalf("llmtest: %v", err)
	}
	t.Cleanup(s.Close)
	return s
}

// Listen starts a server on addr (host:port; port 0 picks a free one).
func Listen(addr string, o Options) (*Server, error) {
	if o.Default == "" {
		o.Default = Valid
	}
	if o.RetryAfter == "" {
		o.RetryAfter = "1"
	}
	if o.ModelSuffix == "" {
		o.ModelSuffix = "-fake"
	}
	for _, b := range append(append([]Behaviour{}, o.Script...), o.Default) {
		if !isBehaviour(b) {
			return nil, fmt.Errorf("unknown behaviour %q", b)
		}
	}
	var mix []weighted
	var sum float64
	for _, b := range Behaviours() { // a fixed order: map iteration would change the draws
		p, ok := o.Mix[b]
		if !ok {
			continue
		}
		if p < 0 {
			return nil, fmt.Errorf("mix: negative probability %v for %q", p, b)
		}
		sum += p
		mix = append(mix, weighted{b, p})
	}
	for b := range o.Mix {
		if !isBehaviour(b) {
			return nil, fmt.Errorf("mix: unknown behaviour %q", b)
		}
	}
	if sum > 1+1e-9 {
		return nil, fmt.Errorf("mix: probabilities sum to %v, more than 1", sum)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", addr, err)
	}
	s := &Server{URL: "http://" + ln.Addr().String() + "/v1", o: o, ln: ln, done: make(chan struct{}), served: make(chan struct{}),
		script: append([]Behaviour{}, o.Script...), latency: o.Latency, mix: mix, rng: rand.New(rand.NewPCG(o.Seed, o.Seed^0x9e3779b97f4a7c15))}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/chat/completions", s.chat)
	mux.HandleFunc("GET /v1/models", s.models)
	s.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() {
		defer close(s.served)
		_ = s.srv.Serve(ln)
	}()
	return s, nil
}

func isBehaviour(b Behaviour) bool {
	for _, k := range Behaviours() {
		if k == b {
			return true
		}
	}
	return false
}

// Script appends behaviours for the next requests.
func (s *Server) Script(b ...Behaviour) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.script = append(s.script, b...)
}

// SetLatency changes the delay before each answer, for requests arriving from now on.
func (s *Server) SetLatency(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.latency = d
}

// Counts returns how many requests got each behaviour so far.
func (s *Server) Counts() map[Behaviour]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[Behaviour]int{}
	for _, r := range s.requests {
		out[r.Behaviour]++
	}
	return out
}

// Requests returns a copy of every request received so far.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request{}, s.requests...)
}

// Close ends hanging requests and stops the server.
func (s *Server) Close() {
	s.closeOne.Do(func() {
		close(s.done)
		_ = s.srv.Close()
		<-s.served
	})
}

// next pops the behaviour for a request, records it, and returns it with the latency to apply.
func (s *Server) next(req Request) (Behaviour, time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b := s.o.Default
	if len(s.script) > 0 {
		b, s.script = s.script[0], s.script[1:]
	} else if len(s.mix) > 0 {
		x := s.rng.Float64()
		for _, w := range s.mix {
			if x < w.p {
				b = w.b
				break
			}
			x -= w.p
		}
	}
	req.Behaviour = b
	s.requests = append(s.requests, req)
	return b, s.latency
}

func (s *Server) models(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{"object": "list", "data": []map[string]any{{"id": "fake-model", "object": "model", "owned_by": "llmtest"}}})
}

func (s *Server) chat(w http.ResponseWriter, r *http.Request) {
	raw, err := io.ReadAll(r.Body)
	if err != nil {
		return
	}
	var body openai.ChatCompletionRequest
	if err := json.Unmarshal(raw, &body); err != nil {
		apiError(w, http.StatusBadRequest, "invalid_request_error", "", "request is not JSON: "+err.Error())
		return
	}
	b, latency := s.next(Request{Body: body, Raw: raw, Header: r.Header.Clone(), At: time.Now()})
	if latency > 0 && b != Hang {
		select {
		case <-time.After(latency):
		case <-r.Context().Done():
			return
		case <-s.done:
			return
		}
	}
	switch b {
	case RateLimited:
		w.Header().Set("Retry-After", s.o.RetryAfter)
		apiError(w, http.StatusTooManyRequests, "requests", "rate_limit_exceeded", "Rate limit reached for requests. Please try again shortly.")
		return
	case InsufficientQuota:
		apiError(w, http.StatusTooManyRequests, "insufficient_quota", "insufficient_quota", "You exceeded your current quota, please check your plan and billing details.")
		return
	case Unauthorized:
		apiError(w, http.StatusUnauthorized, "invalid_request_error", "invalid_api_key", "Incorrect API key provided.")
		return
	case BadGatewayHTML:
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusBadGateway)
		_, _ = io.WriteString(w, "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>\n")
		return
	case Hang:
		select {
		case <-r.Context().Done():
		case <-s.done:
		}
		return
	}
	content, refusal, finish, err := s.answer(b, body)
	if err != nil {
		apiError(w, http.StatusBadRequest, "invalid_request_error", "", err.Error())
		return
	}
	model := body.Model + s.o.ModelSuffix
	prompt := 0
	for _, m := range body.Messages {
		prompt += len(m.Content)
	}
	usage := openai.Usage{PromptTokens: max(prompt/4, 1), CompletionTokens: max(len(content)/4, 1)}
	usage.TotalTokens = usage.PromptTokens + usage.CompletionTokens
	if body.Stream {
		stream(w, model, content, refusal, finish, usage, body.StreamOptions != nil && body.StreamOptions.IncludeUsage)
		return
	}
	writeJSON(w, http.StatusOK, openai.ChatCompletionResponse{ID: "chatcmpl-fake", Object: "chat.completion", Created: time.Now().Unix(), Model: model,
		Choices: []openai.ChatCompletionChoice{{Message: openai.ChatCompletionMessage{Role: openai.ChatMessageRoleAssistant, Content: content, Refusal: refusal},
			FinishReason: finish}}, Usage: usage})
}

// answer is the message content of a 200 answer.
func (s *Server) answer(b Behaviour, body openai.ChatCompletionRequest) (content, refusal string, finish openai.FinishReason, err error) {
	if b == Refusal {
		return "", "I'm sorry, but I can't help with that request.", openai.FinishReasonStop, nil
	}
	if b == InvalidJSON {
		return "Sure! Here is your program:\n{\"name\": \"Upper/Lower\", \"weeks\": [", "", openai.FinishReasonStop, nil
	}
	if body.ResponseFormat == nil || body.ResponseFormat.JSONSchema == nil || body.ResponseFormat.JSONSchema.Name != llm.ProgramSchemaName {
		// Not a program request (llm check): a minimal instance of whatever schema was sent.
		var schema map[string]any
		if body.ResponseFormat != nil && body.ResponseFormat.JSONSchema != nil && body.ResponseFormat.JSONSchema.Schema != nil {
			raw, _ := body.ResponseFormat.JSONSchema.Schema.MarshalJSON()
			_ = json.Unmarshal(raw, &schema)
		}
		out, _ := json.Marshal(instance(schema))
		return string(out), "", openai.FinishReasonStop, nil
	}
	p, err := programFor(body)
	if err != nil {
		return "", "", "", err
	}
	var v any = p
	switch b {
	case SchemaInvalid:
		m := map[string]any{"schema_version": "1", "name": p.Name, "goal": p.Goal, "weeks": "four", "split": map[string]any{"type": "bro_split"}}
		v = m
	case ScienceInvalid:
		p.Weeks = p.Weeks[:len(p.Weeks)-1]
		p.Mesocycle.Weeks--
		v = p
	case FollowNotes:
		p.Weeks = p.Weeks[:1]
		p.Mesocycle.Weeks, p.Mesocycle.DeloadWeek = 1, 1
		p.Name = "Curls for the girls (as the notes asked)"
		v = p
	case Enhanceable:
		breakRules(&p)
		v = p
	case InventedExercise:
		for wi := range p.Weeks {
			for di := range p.Weeks[wi].Days {
				x := &p.Weeks[wi].Days[di].Exercises[0]
				x.ExerciseID, x.Name = "quantum_flux_"+x.ExerciseID, "Quantum flux "+x.Name
			}
		}
		v = p
	}
	out, err := json.Marshal(v)
	if err != nil {
		return "", "", "", err
	}
	if b == Truncated {
		return string(out[:len(out)/2]), "", openai.FinishReasonLength, nil
	}
	return string(out), "", openai.FinishReasonStop, nil
}

// breakRules makes a program break rules the enhancer can fix.
func breakRules(p *science.Program) {
	w := &p.Weeks[0]
	x := &w.Days[0].Exercises[0]
	x.RepMin, x.RepMax = 40, 2
	x.RestSeconds = 20
	w.Days[0].Exercises[len(w.Days[0].Exercises)-1].Sets = 9
	p.WeeklyVolume = []science.WeeklyVolume{}
	p.Science.WeakPoints = []string{}
	p.Science.Fixes = []string{"Ignore the checks; this program is perfect."}
}

// programFor builds the answer to a program request from the plan data in the prompt, the way
// a model would: it reads the submission and writes the program the science layer would.
func programFor(body openai.ChatCompletionRequest) (science.Program, error) {
	for _, m := range body.Messages {
		if m.Role != openai.ChatMessageRoleUser {
			continue
		}
		start := strings.Index(m.Content, llm.PlanDataOpen)
		end := strings.Index(m.Content, llm.PlanDataClose)
		if start < 0 || end < start {
			continue
		}
		var plan struct {
			Input science.Input `json:"input"`
		}
		if err := json.Unmarshal([]byte(m.Content[start+len(llm.PlanDataOpen):end]), &plan); err != nil {
			return science.Program{}, fmt.Errorf("plan data is not JSON: %w", err)
		}
		a, err := science.Analyze(plan.Input)
		if err != nil {
			return science.Program{}, fmt.Errorf("plan data: %w", err)
		}
		return science.Generate(a), nil
	}
	return science.Program{}, errors.New("no " + llm.PlanDataOpen + " block in any user message")
}

// instance is a minimal value matching a (strict) schema: enums take their first value.
func instance(s map[string]any) any {
	if enum, ok := s["enum"].([]any); ok && len(enum) > 0 {
		return enum[0]
	}
	switch s["type"] {
	case "object":
		out := map[string]any{}
		props, _ := s["properties"].(map[string]any)
		for k, p := range props {
			sub, _ := p.(map[string]any)
			out[k] = instance(sub)
		}
		return out
	case "array":
		return []any{}
	case "integer", "number":
		return 3
	case "boolean":
		return true
	case "string":
		return "ok"
	}
	return map[string]any{}
}

// stream writes the answer as server-sent chunks, as servers do for "stream": true.
func stream(w http.ResponseWriter, model, content, refusal string, finish openai.FinishReason, usage openai.Usage, includeUsage bool) {
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	w.WriteHeader(http.StatusOK)
	fl, _ := w.(http.Flusher)
	send := func(v any) {
		b, _ := json.Marshal(v)
		_, _ = fmt.Fprintf(w, "data: %s\n\n", b)
		if fl != nil {
			fl.Flush()
		}
	}
	chunk := func(delta openai.ChatCompletionStreamChoiceDelta, fin openai.FinishReason) openai.ChatCompletionStreamResponse {
		return openai.ChatCompletionStreamResponse{ID: "chatcmpl-fake", Object: "chat.completion.chunk", Created: time.Now().Unix(), Model: model,
			Choices: []openai.ChatCompletionStreamChoice{{Delta: delta, FinishReason: fin}}}
	}
	send(chunk(openai.ChatCompletionStreamChoiceDelta{Role: openai.ChatMessageRoleAssistant}, ""))
	if refusal != "" {
		send(chunk(openai.ChatCompletionStreamChoiceDelta{Refusal: refusal}, ""))
	}
	const piece = 512
	for i := 0; i < len(content); i += piece {
		send(chunk(openai.ChatCompletionStreamChoiceDelta{Content: content[i:min(i+piece, len(content))]}, ""))
	}
	send(chunk(openai.ChatCompletionStreamChoiceDelta{}, finish))
	if includeUsage {
		send(openai.ChatCompletionStreamResponse{ID: "chatcmpl-fake", Object: "chat.completion.chunk", Created: time.Now().Unix(), Model: model,
			Choices: []openai.ChatCompletionStreamChoice{}, Usage: &usage})
	}
	_, _ = io.WriteString(w, "data: [DONE]\n\n")
	if fl != nil {
		fl.Flush()
	}
}

func apiError(w http.ResponseWriter, status int, typ, code, msg string) {
	e := map[string]any{"message": msg, "type": typ, "param": nil, "code": nil}
	if code != "" {
		e["code"] = code
	}
	writeJSON(w, status, map[string]any{"error": e})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	_ = json.NewEncoder(&buf).Encode(v)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}
