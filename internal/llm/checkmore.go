package llm

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	openai "github.com/sashabaranov/go-openai"

	"liftplan/internal/science"
)

// StreamCheck is the streamed part of `liftplan llm check`.
type StreamCheck struct {
	// Works is true when a streamed request with a strict json_schema answered schema-valid JSON.
	Works bool
	// Problem says why not (refused, error, answer not matching the schema).
	Problem string
	// FirstToken is the time to the first streamed token.
	FirstToken time.Duration
	// TokensPerSecond is the output pace after the first token (completion tokens reported by
	// the server, or estimated from the characters when it reports none).
	TokensPerSecond float64
	// CompletionTokens is what the pace was measured over.
	CompletionTokens int
}

// ContextCheck compares the largest prompt liftplan sends plus the output cap with the context
// the server says the model has.
type ContextCheck struct {
	// LargestPromptTokens is the prompt of the largest profile, as the server counted it.
	LargestPromptTokens int
	// MaxOutputTokens is LLM_MAX_OUTPUT_TOKENS.
	MaxOutputTokens int
	// ContextTokens is the model's context as the server reports it; 0 when it does not.
	ContextTokens int
	// Source names where ContextTokens came from (e.g. "ollama num_ctx", "/models max_model_len").
	Source string
	// Problem is set when the prompt could not be measured.
	Problem string
}

// Fits reports whether the largest request fits; false also when the context is unknown.
func (c ContextCheck) Fits() bool {
	return c.ContextTokens > 0 && c.LargestPromptTokens > 0 && c.LargestPromptTokens+c.MaxOutputTokens <= c.ContextTokens
}

// paceSchema asks for an answer long enough (about 150 tokens) to measure a pace on.
const paceSchema = `{"type":"object","properties":{"numbers":{"type":"array","items":{"type":"string"}}},"required":["numbers"],"additionalProperties":false}`

// paceCheckMaxTokens caps the pace request: enough for the answer, little cost if it rambles.
const paceCheckMaxTokens = 400

// checkStreaming sends one streamed structured request and measures time to first token and
// the output pace.
func (g *OpenAI) checkStreaming(ctx context.Context, rep *CheckReport) {
	format := &openai.ChatCompletionResponseFormat{Type: openai.ChatCompletionResponseFormatTypeJSONSchema,
		JSONSchema: &openai.ChatCompletionResponseFormatJSONSchema{Name: "liftplan_pace", Schema: json.RawMessage(paceSchema), Strict: true}}
	req := openai.ChatCompletionRequest{Model: g.o.Model, MaxTokens: paceCheckMaxTokens, ResponseFormat: format, Messages: []openai.ChatCompletionMessage{
		{Role: openai.ChatMessageRoleSystem, Content: "Answer with a JSON object matching the schema."},
		{Role: openai.ChatMessageRoleUser, Content: "List the numbers from one to forty written in English words, one per item."},
	}}
	start := time.Now()
	ans, err := g.completeStream(ctx, req, nil)
	total := time.Since(start)
	sc := &rep.Streaming
	switch {
	case err != nil && streamRefused(err):
		sc.Problem = "the server refuses streaming with structured output; liftplan falls back to one plain request (no days on screen while it writes): " + err.Error()
		return
	case err != nil:
		sc.Problem = "streamed request failed: " + err.Error()
		return
	}
	sc.FirstToken, sc.CompletionTokens = ans.firstToken, ans.usage.CompletionTokens
	if sc.CompletionTokens == 0 {
		sc.CompletionTokens = len(ans.content) / charsPerTokenEstimate
	}
	if gen := total - ans.firstToken; gen > 0 && sc.CompletionTokens > 1 {
		sc.TokensPerSecond = float64(sc.CompletionTokens-1) / gen.Seconds()
	}
	var v struct {
		Numbers []string `json:"numbers"`
	}
	if err := json.Unmarshal([]byte(stripFences(ans.content)), &v); err != nil || len(v.Numbers) == 0 {
		sc.Problem = fmt.Sprintf("the streamed answer does not match the schema: %.200s", ans.content)
		return
	}
	sc.Works = true
}

// charsPerTokenEstimate turns characters into tokens when a server reports no usage; English
// JSON runs at about four characters a token.
const charsPerTokenEstimate = 4

// LargestProfile is the submission whose prompt is the longest liftplan sends: six days, every
// piece of equipment, two weak points, the longest notes, paid. Tests measure its prompt.
func LargestProfile() science.Input {
	return science.Input{Goal: "hypertrophy", Experience: "advanced", DaysPerWeek: 6, SessionMinutes: 120,
		Equipment:  []string{"barbell", "dumbbells", "machines", "cables", "kettlebells", "bands", "pullup_bar", "bench"},
		WeakPoints: []string{"side_delts", "hamstrings"}, Notes: strings.Repeat("Long notes. ", 42)[:science.MaxNotesLength], HasPaidAccess: true}
}

// checkContext sends the largest prompt with a one-token cap, so the server counts it with the
// model's own tokenizer, and asks the server for the model's context.
func (g *OpenAI) checkContext(ctx context.Context, rep *CheckReport) {
	cc := &rep.Context
	cc.MaxOutputTokens = g.o.MaxOutputTokens
	if a, err := science.Analyze(LargestProfile()); err == nil {
		if msgs, err := buildMessages(a); err == nil {
			// With the response format: servers count the schema as prompt too.
			resp, err := g.complete(ctx, openai.ChatCompletionRequest{Model: g.o.Model, Messages: msgs, MaxTokens: 1, ResponseFormat: g.blueprintFormat()})
			if err != nil {
				cc.Problem = "could not measure the largest prompt: " + err.Error()
			}
			cc.LargestPromptTokens = resp.Usage.PromptTokens
		}
	}
	cc.ContextTokens, cc.Source = g.serverContext(ctx)
}

// serverContext asks the server how much context the model has: Ollama's /api/show (num_ctx
// when set, which is what Ollama actually uses, else the model's trained length), else the
// /models listing (vLLM's max_model_len, OpenRouter's context_length). 0 when not reported.
func (g *OpenAI) serverContext(ctx context.Context) (int, string) {
	base := strings.TrimRight(g.o.BaseURL, "/")
	if base == "" {
		return 0, ""
	}
	ctx, cancel := context.WithTimeout(ctx, contextProbeTimeout)
	defer cancel()
	if n, src := g.ollamaContext(ctx, strings.TrimSuffix(base, "/v1")); n > 0 {
		return n, src
	}
	var list struct {
		Data []struct {
			ID            string `json:"id"`
			MaxModelLen   int    `json:"max_model_len"`
			ContextLength int    `json:"context_length"`
			ContextWindow int    `json:"context_window"`
		} `json:"data"`
	}
	if g.getJSON(ctx, http.MethodGet, base+"/models", nil, &list) != nil {
		return 0, ""
	}
	for _, m := range list.Data {
		if m.ID != g.o.Model && len(list.Data) > 1 {
			continue
		}
		switch {
		case m.MaxModelLen > 0:
			return m.MaxModelLen, "/models max_model_len"
		case m.ContextLength > 0:
			return m.ContextLength, "/models context_length"
		case m.ContextWindow > 0:
			return m.ContextWindow, "/models context_window"
		}
	}
	return 0, ""
}

// contextProbeTimeout bounds the context look-ups; they are a courtesy of some servers.
const contextProbeTimeout = 10 * time.Second

// ollamaDefaultNumCtx is the context Ollama runs a model with unless num_ctx is raised.
const ollamaDefaultNumCtx = 4096

func (g *OpenAI) ollamaContext(ctx context.Context, root string) (int, string) {
	var show struct {
		Parameters string         `json:"parameters"`
		ModelInfo  map[string]any `json:"model_info"`
	}
	body, _ := json.Marshal(map[string]string{"model": g.o.Model})
	if g.getJSON(ctx, http.MethodPost, root+"/api/show", body, &show) != nil || show.ModelInfo == nil {
		return 0, ""
	}
	for _, line := range strings.Split(show.Parameters, "\n") {
		var n int
		if f := strings.Fields(line); len(f) == 2 && f[0] == "num_ctx" {
			if _, err := fmt.Sscan(f[1], &n); err == nil && n > 0 {
				return n, "ollama num_ctx"
			}
		}
	}
	// Without num_ctx Ollama runs at its default however long the model could go.
	return ollamaDefaultNumCtx, "Ollama default num_ctx: none set on the model (a server-wide OLLAMA_CONTEXT_LENGTH is not visible here)"
}

// getJSON sends one request through the generator's HTTP client (no retries needed) and decodes
// a 200 answer into v.
func (g *OpenAI) getJSON(ctx context.Context, method, url string, body []byte, v any) error {
	req, err := http.NewRequestWithContext(ctx, method, url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+g.o.APIKey)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := g.plain.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("%s %s: %s", method, url, res.Status)
	}
	return json.NewDecoder(io.LimitReader(res.Body, 1<<20)).Decode(v)
}
