package llm

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"
	openai "github.com/sashabaranov/go-openai"

	"liftplan/internal/derrors"
	"liftplan/internal/science"
)

// OpenAIOptions configures the OpenAI-compatible generator (DESIGN §4, §6).
type OpenAIOptions struct {
	// BaseURL is OPENAI_BASE_URL (e.g. http://127.0.0.1:11434/v1); empty means OpenAI itself.
	BaseURL string
	// APIKey is OPENAI_API_KEY; servers without keys accept any non-empty value.
	APIKey string
	// Model is OPENAI_MODEL.
	Model string
	// AttemptTimeout is LLM_TIMEOUT: the bound of one HTTP attempt.
	AttemptTimeout time.Duration
	// MaxRetries is LLM_MAX_RETRIES: transport retries per request.
	MaxRetries int
	// BaseDelay and MaxDelay shape the retry backoff (defaults 500 ms and 30 s); tests use
	// milliseconds.
	BaseDelay, MaxDelay time.Duration
	// DeadlineMargin is kept back from the job's deadline for validating and storing the
	// program, so a late answer still lands. Default 5 s (at most a tenth of the time left).
	DeadlineMargin time.Duration
	// Transport is the base HTTP transport under the retry wrapper; nil means a default one.
	Transport http.RoundTripper
	// Metrics receives the provider's counters; nil counts nothing.
	Metrics *Metrics
	// Log receives retry and repair lines; nil discards.
	Log *slog.Logger
	// MaxOutputTokens is LLM_MAX_OUTPUT_TOKENS, sent as the request's max_tokens; default 4096.
	MaxOutputTokens int
	// NoStream sends plain requests (LLM_STREAM=false). Streaming is the default: the page
	// shows each day as it arrives.
	NoStream bool
}

// validate fills defaults and reports options that cannot work.
func (o *OpenAIOptions) validate() error {
	var errs []error
	if o.APIKey == "" {
		errs = append(errs, errors.New("an API key is required (any non-empty value for servers without keys)"))
	}
	if o.Model == "" {
		errs = append(errs, errors.New("a model is required"))
	}
	if o.AttemptTimeout <= 0 {
		o.AttemptTimeout = 60 * time.Second
	}
	if o.MaxOutputTokens <= 0 {
		o.MaxOutputTokens = DefaultMaxOutputTokens
	}
	if o.DeadlineMargin <= 0 {
		o.DeadlineMargin = 5 * time.Second
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	if o.Metrics == nil {
		o.Metrics, _ = NewMetrics(nil)
	}
	return errors.Join(errs...)
}

// OpenAI generates programs with any server speaking OpenAI's chat-completions protocol,
// asking for structured output with the strict program schema and validating the answer
// locally anyway, since many servers accept json_schema without enforcing it.
type OpenAI struct {
	o      OpenAIOptions
	client *openai.Client
	schema *jsonschema.Schema
	// noStream is set once the server refused a streamed structured request: every later
	// request is plain instead of paying for the refusal again.
	noStream atomic.Bool
	// plain is an HTTP client without retries, for the look-ups of llm check.
	plain *http.Client
}

// DefaultMaxOutputTokens is LLM_MAX_OUTPUT_TOKENS's default: a blueprint stays under 3,000
// tokens for every profile, and 4,096 fits every common model's output cap.
const DefaultMaxOutputTokens = 4096

// NewOpenAI returns the generator; it sends nothing until Generate or Check.
func NewOpenAI(o OpenAIOptions) (*OpenAI, error) {
	if err := o.validate(); err != nil {
		return nil, fmt.Errorf("openai generator: %w", err)
	}
	schema, err := compileBlueprintSchema()
	if err != nil {
		return nil, fmt.Errorf("openai generator: %w", err)
	}
	cfg := openai.DefaultConfig(o.APIKey)
	if o.BaseURL != "" {
		cfg.BaseURL = strings.TrimRight(o.BaseURL, "/")
	}
	// No Timeout on the client: the transport bounds each attempt and the context the whole
	// call; a client timeout would cut across retries.
	cfg.HTTPClient = &http.Client{Transport: NewRetryTransport(TransportOptions{Base: o.Transport, MaxRetries: o.MaxRetries,
		AttemptTimeout: o.AttemptTimeout, BaseDelay: o.BaseDelay, MaxDelay: o.MaxDelay, Metrics: o.Metrics, Log: o.Log})}
	base := o.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	return &OpenAI{o: o, client: openai.NewClientWithConfig(cfg), schema: schema, plain: &http.Client{Transport: base}}, nil
}

// Version implements Generator: provider, model, prompt version and schema version.
func (g *OpenAI) Version() string {
	return "openai/" + g.o.Model + "/" + PromptVersion + "/schema-" + science.SchemaVersion + "-" + BlueprintSchemaVersion
}

// Generation outcomes, the label values of liftplan_llm_generations_total.
const (
	outcomeOK        = "ok"
	outcomeRepaired  = "repaired"
	outcomeInvalid   = "invalid"
	outcomeRefused   = "refused"
	outcomeTruncated = "truncated"
	outcomeTransient = "transient_error"
	outcomePermanent = "permanent_error"
)

// Messages a user reads when the LLM fails for good. They say what happened without
// provider jargon; the technical cause stays in error_detail for admins. Quota, credentials and
// a rejected request (our configuration: model, parameters) are derrors.ForOperator: only an
// administrator can fix them, so the owner is offered no Try again.
const (
	msgInvalid   = "The AI wrote a program that did not pass our training-science checks, even after one correction, so we did not show it. Press Try again for a new attempt."
	msgRefused   = "The AI declined to write this program. Please check your notes and press Try again."
	msgTruncated = "The AI's answer was too long and was cut off twice, so we did not use it. Press Try again for a new attempt."
	msgQuota     = "The program generator has run out of credit with its AI provider. An administrator needs to top it up; please try again later."
	msgAuth      = "The program generator is not set up correctly (the AI provider rejected our credentials). An administrator has been notified; please try again later."
	msgRejected  = "The AI provider rejected our request, so no program was generated. An administrator can see the details; please try again later."
)

// maxRounds bounds the requests of one generation: the first, one shorter re-ask after a
// cut-off and one repair after an unusable answer.
const maxRounds = 3

// Generate implements Generator: one (streamed) request for a blueprint; after an answer cut
// off at the output cap one shorter re-ask; after an unusable answer one repair request quoting
// the problems. Refusals are not repaired: the same request tends to end the same way.
func (g *OpenAI) Generate(ctx context.Context, a science.Analysis) (Result, error) {
	start := time.Now()
	ctx, cancel := g.overallDeadline(ctx)
	defer cancel()
	ctx, attempts := withAttemptCounter(ctx)
	res := Result{Source: "llm", ModelRequested: g.o.Model}
	res, outcome, err := g.generate(ctx, a, res)
	res.Latency = time.Since(start)
	res.Attempts = int(attempts.Load())
	g.o.Metrics.Generations.WithLabelValues(outcome).Inc()
	if err != nil {
		g.o.Log.Warn("llm generation failed", "model", g.o.Model, "outcome", outcome, "attempts", res.Attempts, "repairs", res.Repairs, "error", err)
	}
	return res, err
}

func (g *OpenAI) generate(ctx context.Context, a science.Analysis, res Result) (Result, string, error) {
	first, err := buildMessages(a)
	if err != nil {
		return res, outcomePermanent, derrors.ForOperator(msgRejected, err)
	}
	msgs := first
	sink := draftSinkFrom(ctx)
	var last checked
	shortened := false
	for range maxRounds {
		ans, err := g.ask(ctx, msgs, sink)
		res.PromptTokens += ans.usage.PromptTokens
		res.CompletionTokens += ans.usage.CompletionTokens
		if res.FirstToken == 0 {
			res.FirstToken = ans.firstToken
		}
		if err != nil {
			return res, outcomeFor(err), err
		}
		res.Model = ans.model
		if ans.refusal != "" || ans.finish == openai.FinishReasonContentFilter {
			return res, outcomeRefused, derrors.Permanent(msgRefused, fmt.Errorf("llm refused (finish_reason %q): %q", ans.finish, truncate(ans.refusal, 300)))
		}
		if ans.finish == openai.FinishReasonLength {
			// Cut off: never parsed. One shorter re-ask of the first request; a second cut-off
			// is transient (River retries in a fresh conversation, and the last attempt fails
			// with msgTruncated).
			if shortened {
				return res, outcomeTruncated, derrors.Retryable(msgTruncated, fmt.Errorf("%w: after %d completion tokens (cap %d): %w",
					ErrCutOff, ans.usage.CompletionTokens, g.o.MaxOutputTokens, ErrTransient))
			}
			shortened = true
			g.o.Log.Info("llm answer cut off at the output cap; asking once for a shorter one", "completion_tokens", ans.usage.CompletionTokens)
			msgs = shorterMessages(first)
			continue
		}
		last = checkAnswer(g.schema, a, ans.content)
		if len(last.problems) == 0 {
			res.Program = last.program
			if res.Repairs > 0 {
				g.o.Metrics.Repairs.WithLabelValues("fixed").Inc()
				return res, outcomeRepaired, nil
			}
			return res, outcomeOK, nil
		}
		if res.Repairs > 0 {
			break
		}
		res.Repairs = 1
		g.o.Log.Info("llm answer unusable; sending one repair request", "problems", len(last.problems), "first", last.problems[0])
		msgs = repairMessages(msgs, ans.content, last.problems)
	}
	g.o.Metrics.Repairs.WithLabelValues("failed").Inc()
	// A second unusable answer in one conversation rarely means the next conversation fails too
	// (answers are sampled): the job is retried, and fails with msgInvalid on its last attempt.
	return res, outcomeInvalid, derrors.Retryable(msgInvalid,
		fmt.Errorf("llm answer unusable after one repair: %d problems: %s: %w", len(last.problems), strings.Join(last.problems[:min(len(last.problems), 5)], "; "), ErrTransient))
}

// ErrCutOff marks an answer that ended with finish_reason "length": cut off at the output cap,
// so it is never parsed as a program.
var ErrCutOff = errors.New("llm answer cut off at the output cap (finish_reason length)")

// ask sends one request for a blueprint: streamed unless disabled or refused by the server,
// in which case it falls back to one plain request (and stays plain from then on).
func (g *OpenAI) ask(ctx context.Context, msgs []openai.ChatCompletionMessage, sink DraftSink) (answer, error) {
	req := openai.ChatCompletionRequest{Model: g.o.Model, Messages: msgs, ResponseFormat: g.blueprintFormat(), MaxTokens: g.o.MaxOutputTokens}
	if !g.o.NoStream && !g.noStream.Load() {
		ans, err := g.completeStream(ctx, req, sink)
		if err == nil || !streamRefused(err) {
			if err != nil && !errors.Is(err, ErrTransient) && !derrors.IsPermanent(err) {
				err = classify(ctx, err)
			}
			return ans, err
		}
		g.noStream.Store(true)
		g.o.Log.Warn("the LLM server refuses streaming with structured output; sending plain requests from now on", "error", err)
	}
	resp, err := g.complete(ctx, req)
	if err != nil {
		return answer{}, err
	}
	ans := answer{model: resp.Model, usage: resp.Usage}
	if len(resp.Choices) == 0 {
		return ans, fmt.Errorf("llm answer has no choices: %w", ErrTransient)
	}
	c := resp.Choices[0]
	ans.content, ans.refusal, ans.finish = c.Message.Content, c.Message.Refusal, c.FinishReason
	return ans, nil
}

// blueprintFormat is the response format of generation requests: the strict blueprint schema,
// verbatim. go-openai's own schema helper drops omitempty fields from required, which strict
// mode rejects, so the schema goes in as raw JSON.
func (g *OpenAI) blueprintFormat() *openai.ChatCompletionResponseFormat {
	return &openai.ChatCompletionResponseFormat{Type: openai.ChatCompletionResponseFormatTypeJSONSchema,
		JSONSchema: &openai.ChatCompletionResponseFormatJSONSchema{Name: BlueprintSchemaName,
			Description: "One template week of a liftplan program (blueprint " + BlueprintSchemaVersion + ").",
			Schema:      json.RawMessage(BlueprintJSONSchema()), Strict: true}}
}

// complete sends one plain chat-completion request (the transport retries it) and classifies errors.
func (g *OpenAI) complete(ctx context.Context, req openai.ChatCompletionRequest) (openai.ChatCompletionResponse, error) {
	start := time.Now()
	resp, err := g.client.CreateChatCompletion(ctx, req)
	g.o.Metrics.RequestDuration.Observe(time.Since(start).Seconds())
	if err != nil {
		g.o.Metrics.Requests.WithLabelValues("error").Inc()
		return resp, classify(ctx, err)
	}
	g.o.Metrics.Requests.WithLabelValues("ok").Inc()
	g.o.Metrics.Tokens.WithLabelValues("prompt").Add(float64(resp.Usage.PromptTokens))
	g.o.Metrics.Tokens.WithLabelValues("completion").Add(float64(resp.Usage.CompletionTokens))
	return resp, nil
}

// overallDeadline bounds the whole generation inside the job's deadline (JOB_TIMEOUT), keeping
// a margin for the stages after it. Without a deadline (llm check, tests) it allows every
// attempt its full timeout, twice over for the repair.
func (g *OpenAI) overallDeadline(ctx context.Context) (context.Context, context.CancelFunc) {
	if dl, ok := ctx.Deadline(); ok {
		margin := min(g.o.DeadlineMargin, time.Until(dl)/10)
		return context.WithDeadline(ctx, dl.Add(-margin))
	}
	return context.WithTimeout(ctx, 2*time.Duration(g.o.MaxRetries+1)*(g.o.AttemptTimeout+g.o.MaxDelay))
}

// classify wraps a failed call as transient (retry the job) or permanent (fail it now).
func classify(ctx context.Context, err error) error {
	if errors.Is(ctx.Err(), context.Canceled) {
		return fmt.Errorf("chat completion: %w", err) // shutdown: the pipeline hands the job back
	}
	status, code, typ := 0, "", ""
	var apiErr *openai.APIError
	var reqErr *openai.RequestError
	switch {
	case errors.As(err, &apiErr):
		status, typ = apiErr.HTTPStatusCode, apiErr.Type
		if apiErr.Code != nil {
			code = fmt.Sprint(apiErr.Code)
		}
	case errors.As(err, &reqErr):
		status = reqErr.HTTPStatusCode
		err = fmt.Errorf("status %d: %s", reqErr.HTTPStatusCode, truncate(string(reqErr.Body), 200))
	}
	switch {
	case code == "insufficient_quota" || typ == "insufficient_quota":
		return derrors.ForOperator(msgQuota, fmt.Errorf("chat completion: %w", err))
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		return derrors.ForOperator(msgAuth, fmt.Errorf("chat completion: %w", err))
	case status == 0, status == http.StatusRequestTimeout, status == http.StatusConflict,
		status == http.StatusTooManyRequests, status >= 500:
		// Connection errors, timeouts and overload: a later attempt may well succeed.
		return fmt.Errorf("chat completion: %w: %w", ErrTransient, err)
	default:
		return derrors.ForOperator(msgRejected, fmt.Errorf("chat completion: %w", err))
	}
}

// outcomeFor is the metrics outcome of a classified call error.
func outcomeFor(err error) string {
	if derrors.IsPermanent(err) {
		return outcomePermanent
	}
	return outcomeTransient
}

// truncate shortens s for error messages.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
