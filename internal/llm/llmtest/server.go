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
	"unicode/utf8"

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
	// Verbose answers a valid blueprint whose notes ignore the prompt's word limits (as models
	// sometimes do), long enough to run into a small output cap; re-asked shorter, it complies.
	Verbose Behaviour = "verbose"
)

// Behaviours lists every behaviour, for flag help and validation.
func Behaviours() []Behaviour {
	return []Behaviour{Valid, RateLimited, BadGatewayHTML, Hang, InvalidJSON, SchemaInvalid, ScienceInvalid,
		Enhanceable, InventedExercise, FollowNotes, Refusal, Truncated, InsufficientQuota, Unauthorized, Verbose}
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
	// Pace makes answers take as long as a real model's: TimeToFirstToken, then the answer's
	// tokens (counted with o200k_base, gpt-4o's tokenizer) at TokensPerSecond, streamed in
	// chunks or, unstreamed, all at the end. The zero Pace answers at once (behaviour tests).
	Pace Pace
	// MaxOutputTokens is the model's own output cap; an answer longer than it, or than the
	// request's max_tokens, is cut there with finish_reason "length". 0: 16,384 (gpt-4o-mini).
	MaxOutputTokens int
	// RefuseStreamWithSchema answers 400 to a streamed request with a json_schema response
	// format, as some OpenAI-compatible servers do.
	RefuseStreamWithSchema bool
	// ContextTokens is reported as max_model_len by /v1/models (as vLLM does); 0 reports none.
	ContextTokens int
}

// Pace is how fast the fake model writes.
type Pace struct {
	// TimeToFirstToken is the wait before the first token.
	TimeToFirstToken time.Duration
	// TokensPerSecond is the output pace after the first token; 0 means instant.
	TokensPerSecond float64
}

// RealPace is a realistic hosted model (issue 14's benchmark pace): 0.6 s to the first
// token, then 90 tokens a second.
var RealPace = Pace{TimeToFirstToken: 600 * time.Millisecond, TokensPerSecond: 90}

// DemoPace is what `make run LLM=fake` uses: about 80 tokens a second, so the days appear one
// after another.
var DemoPace = Pace{TimeToFirstToken: 700 * time.Millisecond, TokensPerSecond: 80}

// defaultMaxOutputTokens is gpt-4o-mini's output cap.
const defaultMaxOutputTokens = 16384

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
	if o.MaxOutputTokens <= 0 {
		o.MaxOutputTokens = defaultMaxOutputTokens
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
	// Load the tokenizer's tables now (once per process, ~0.1 s), not inside the first answer,
	// which a test's short attempt timeout would then cut.
	codec()
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
	m := map[string]any{"id": "fake-model", "object": "model", "owned_by": "llmtest"}
	if s.o.ContextTokens > 0 {
		m["max_model_len"] = s.o.ContextTokens
	}
	writeJSON(w, http.StatusOK, map[string]any{"object": "list", "data": []map[string]any{m}})
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
	if body.Stream && s.o.RefuseStreamWithSchema && body.ResponseFormat != nil && body.ResponseFormat.JSONSchema != nil {
		apiError(w, http.StatusBadRequest, "invalid_request_error", "", "stream is not supported together with response_format json_schema")
		return
	}
	content, refusal, finish, err := s.answer(b, body)
	if err != nil {
		apiError(w, http.StatusBadRequest, "invalid_request_error", "", err.Error())
		return
	}
	pieces := tokenPieces(content)
	if limit := s.outputCap(body); len(pieces) > limit {
		pieces, finish = pieces[:limit], openai.FinishReasonLength
		content = strings.Join(pieces, "")
	}
	model := body.Model + s.o.ModelSuffix
	prompt := 0
	for _, m := range body.Messages {
		prompt += CountTokens(m.Content)
	}
	if body.ResponseFormat != nil && body.ResponseFormat.JSONSchema != nil && body.ResponseFormat.JSONSchema.Schema != nil {
		raw, _ := body.ResponseFormat.JSONSchema.Schema.MarshalJSON()
		prompt += CountTokens(string(raw))
	}
	usage := openai.Usage{PromptTokens: max(prompt, 1), CompletionTokens: max(len(pieces), 1)}
	usage.TotalTokens = usage.PromptTokens + usage.CompletionTokens
	pace := s.pace()
	if body.Stream {
		s.stream(w, r, pace, model, pieces, refusal, finish, usage, body.StreamOptions != nil && body.StreamOptions.IncludeUsage)
		return
	}
	if !s.wait(r, pace.TimeToFirstToken+pace.duration(len(pieces))) {
		return
	}
	writeJSON(w, http.StatusOK, openai.ChatCompletionResponse{ID: "chatcmpl-fake", Object: "chat.completion", Created: time.Now().Unix(), Model: model,
		Choices: []openai.ChatCompletionChoice{{Message: openai.ChatCompletionMessage{Role: openai.ChatMessageRoleAssistant, Content: content, Refusal: refusal},
			FinishReason: finish}}, Usage: usage})
}

// outputCap is the most tokens an answer to body may have: the request's cap within the model's.
func (s *Server) outputCap(body openai.ChatCompletionRequest) int {
	limit := s.o.MaxOutputTokens
	for _, c := range []int{body.MaxTokens, body.MaxCompletionTokens} {
		if c > 0 {
			limit = min(limit, c)
		}
	}
	return limit
}

// SetPace changes the pace for requests arriving from now on.
func (s *Server) SetPace(p Pace) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.o.Pace = p
}

func (s *Server) pace() Pace {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.o.Pace
}

// duration is how long writing n tokens takes after the first.
func (p Pace) duration(n int) time.Duration {
	if p.TokensPerSecond <= 0 || n <= 1 {
		return 0
	}
	return time.Duration(float64(n-1) / p.TokensPerSecond * float64(time.Second))
}

// wait sleeps d unless the client or the server goes away first.
func (s *Server) wait(r *http.Request, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
		return false
	case <-s.done:
		return false
	}
}

// answer is the message content of a 200 answer.
func (s *Server) answer(b Behaviour, body openai.ChatCompletionRequest) (content, refusal string, finish openai.FinishReason, err error) {
	if b == Refusal {
		return "", "I'm sorry, but I can't help with that request.", openai.FinishReasonStop, nil
	}
	if b == InvalidJSON {
		return "Sure! Here is your program:\n{\"name\": \"Upper/Lower\", \"days\": [", "", openai.FinishReasonStop, nil
	}
	if body.ResponseFormat == nil || body.ResponseFormat.JSONSchema == nil || body.ResponseFormat.JSONSchema.Name != llm.BlueprintSchemaName {
		// Not a generation request (llm check): a minimal instance of whatever schema was sent,
		// or a sentence when none was.
		if body.ResponseFormat == nil || body.ResponseFormat.JSONSchema == nil {
			return "ok", "", openai.FinishReasonStop, nil
		}
		var schema map[string]any
		if body.ResponseFormat.JSONSchema.Schema != nil {
			raw, _ := body.ResponseFormat.JSONSchema.Schema.MarshalJSON()
			_ = json.Unmarshal(raw, &schema)
		}
		out, _ := json.Marshal(instance(schema))
		return string(out), "", openai.FinishReasonStop, nil
	}
	a, err := analysisFor(body)
	if err != nil {
		return "", "", "", err
	}
	shorter := lastUserMessageHas(body, llm.ShorterMarker)
	bp := BlueprintFor(a, b == Verbose && !shorter, shorter)
	var v any = &bp
	switch b {
	case SchemaInvalid:
		v = map[string]any{"name": bp.Name, "days": "four", "split": map[string]any{"type": "bro_split"}}
	case ScienceInvalid:
		bp.Days = bp.Days[:len(bp.Days)-1]
	case FollowNotes:
		bp.Days = bp.Days[:1]
		bp.Name = "Curls for the girls (as the notes asked)"
	case Enhanceable:
		x := &bp.Days[0].Exercises[0]
		x.RepMin, x.RepMax, x.RestSeconds = 40, 2, 20
		bp.Days[0].Exercises[len(bp.Days[0].Exercises)-1].Sets = 9
	case InventedExercise:
		for di := range bp.Days {
			x := &bp.Days[di].Exercises[0]
			x.ExerciseID = "quantum_flux_" + x.ExerciseID
		}
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

// lastUserMessageHas reports whether the conversation's last user message contains s.
func lastUserMessageHas(body openai.ChatCompletionRequest, s string) bool {
	for i := len(body.Messages) - 1; i >= 0; i-- {
		if body.Messages[i].Role == openai.ChatMessageRoleUser {
			return strings.Contains(body.Messages[i].Content, s)
		}
	}
	return false
}

// BlueprintFor is the blueprint a compliant model writes for an analysis: the built-in
// generator's template week, with its notes and rationales cut to the prompt's word limits
// (shorter ones after a cut-off re-ask). verbose ignores the limits, repeating the texts as a
// rambling model does.
func BlueprintFor(a science.Analysis, verbose, shorter bool) llm.Blueprint {
	bp := a.BuiltinBlueprint()
	notesMax, ratMax, progMax := llm.NotesMaxWords, llm.RationaleMaxWords, programRationaleWords
	if shorter {
		notesMax, ratMax, progMax = llm.ShortNotesMaxWords, llm.ShortRationaleMaxWords, llm.ShortRationaleMaxWords
	}
	text := func(s string, n int) string {
		if verbose {
			return strings.TrimSpace(strings.Repeat(s+" ", verboseRepeats))
		}
		return words(s, n)
	}
	bp.Rationale = text(bp.Rationale, progMax)
	for d := range bp.Days {
		for i := range bp.Days[d].Exercises {
			x := &bp.Days[d].Exercises[i]
			if i >= llm.NotedExercisesPerDay && !verbose {
				x.Notes = "" // the prompt asks for cues on the main lifts only
			}
			x.Notes, x.Rationale = text(x.Notes, notesMax), text(x.Rationale, ratMax)
		}
	}
	return bp
}

// programRationaleWords is about the one sentence the prompt asks for.
const programRationaleWords = 20

// verboseRepeats makes a Verbose answer several times longer than a compliant one.
const verboseRepeats = 4

// words keeps the first n words of s.
func words(s string, n int) string {
	f := strings.Fields(s)
	if len(f) > n {
		f = f[:n]
	}
	return strings.Join(f, " ")
}

// analysisFor reads the submission from the plan data in the prompt and analyses it, the way a
// model reads the plan.
func analysisFor(body openai.ChatCompletionRequest) (science.Analysis, error) {
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
			return science.Analysis{}, fmt.Errorf("plan data is not JSON: %w", err)
		}
		a, err := science.Analyze(plan.Input)
		if err != nil {
			return science.Analysis{}, fmt.Errorf("plan data: %w", err)
		}
		return a, nil
	}
	return science.Analysis{}, errors.New("no " + llm.PlanDataOpen + " block in any user message")
}

// instanceItems is the length of arrays in schema instances.
const instanceItems = 40

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
		// A few dozen items: long enough for llm check to measure a pace on.
		items, _ := s["items"].(map[string]any)
		out := make([]any, instanceItems)
		for i := range out {
			out[i] = instance(items)
		}
		return out
	case "integer", "number":
		return 3
	case "boolean":
		return true
	case "string":
		return "ok"
	}
	return map[string]any{}
}

// tokensPerChunk is how many tokens one streamed chunk carries. Servers send one or a few;
// a few keeps a thousand parallel streams cheap for the benchmark.
const tokensPerChunk = 3

// stream writes the answer as server-sent chunks at the pace, as servers do for "stream": true.
func (s *Server) stream(w http.ResponseWriter, r *http.Request, pace Pace, model string, pieces []string, refusal string, finish openai.FinishReason, usage openai.Usage, includeUsage bool) {
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
	start := time.Now()
	if !s.wait(r, pace.TimeToFirstToken) {
		return
	}
	if refusal != "" {
		send(chunk(openai.ChatCompletionStreamChoiceDelta{Refusal: refusal}, ""))
	}
	var pending []byte // bytes of a UTF-8 character split across tokens wait for its end
	for i := 0; i < len(pieces); i += tokensPerChunk {
		// Each chunk leaves when its last token is due, on an absolute schedule (no drift).
		due := pace.TimeToFirstToken + pace.duration(min(i+tokensPerChunk, len(pieces)))
		if !s.wait(r, due-time.Since(start)) {
			return
		}
		pending = append(pending, strings.Join(pieces[i:min(i+tokensPerChunk, len(pieces))], "")...)
		cut := len(pending)
		for cut > 0 && !utf8.Valid(pending[:cut]) {
			cut--
		}
		if cut == 0 {
			continue
		}
		send(chunk(openai.ChatCompletionStreamChoiceDelta{Content: string(pending[:cut])}, ""))
		pending = append(pending[:0], pending[cut:]...)
	}
	if len(pending) > 0 {
		send(chunk(openai.ChatCompletionStreamChoiceDelta{Content: string(pending)}, ""))
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
