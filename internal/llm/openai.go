package llm

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
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
}

// NewOpenAI returns the generator; it sends nothing until Generate or Check.
func NewOpenAI(o OpenAIOptions) (*OpenAI, error) {
	if err := o.validate(); err != nil {
		return nil, fmt.Errorf("openai generator: %w", err)
	}
	schema, err := compileProgramSchema()
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
	return &OpenAI{o: o, client: openai.NewClientWithConfig(cfg), schema: schema}, nil
}

// Version implements Generator: provider, model, prompt version and schema version.
func (g *OpenAI) Version() string {
	return "openai/" + g.o.Model + "/" + PromptVersion + "/schema-" + science.SchemaVersion
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
	msgTruncated = "The AI's answer was cut off before the program was complete. Press Try again for a new attempt."
	msgQuota     = "The program generator has run out of credit with its AI provider. An administrator needs to top it up; please try again later."
	msgAuth      = "The program generator is not set up correctly (the AI provider rejected our credentials). An administrator has been notified; please try again later."
	msgRejected  = "The AI provider rejected our request, so no program was generated. An administrator can see the details; please try again later."
)

// Generate implements Generator: one request, and at most one repair request quoting the
// problems when the answer is unusable. Refusals and truncated answers are not repaired: the
// same request tends to end the same way, and a repair would cost a full answer again.
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
	msgs, err := buildMessages(a)
	if err != nil {
		return res, outcomePermanent, derrors.ForOperator(msgRejected, err)
	}
	var last checked
	var answer string
	for round := range 2 {
		if round == 1 {
			res.Repairs = 1
			msgs = repairMessages(msgs, answer, last.problems)
			g.o.Log.Info("llm answer unusable; sending one repair request", "problems", len(last.problems), "first", last.problems[0])
		}
		resp, err := g.complete(ctx, msgs, g.programFormat())
		if err != nil {
			return res, outcomeFor(err), err
		}
		res.Model = resp.Model
		res.PromptTokens += resp.Usage.PromptTokens
		res.CompletionTokens += resp.Usage.CompletionTokens
		if len(resp.Choices) == 0 {
			return res, outcomeTransient, fmt.Errorf("llm answer has no choices: %w", ErrTransient)
		}
		choice := resp.Choices[0]
		if choice.Message.Refusal != "" || choice.FinishReason == openai.FinishReasonContentFilter {
			return res, outcomeRefused, derrors.Permanent(msgRefused, fmt.Errorf("llm refused (finish_reason %q): %q", choice.FinishReason, truncate(choice.Message.Refusal, 300)))
		}
		if choice.FinishReason == openai.FinishReasonLength {
			return res, outcomeTruncated, derrors.Permanent(msgTruncated, fmt.Errorf("llm answer truncated (finish_reason length) after %d completion tokens", resp.Usage.CompletionTokens))
		}
		answer = choice.Message.Content
		last = checkAnswer(g.schema, a, answer)
		if len(last.problems) == 0 {
			res.Program = last.program
			if round == 1 {
				g.o.Metrics.Repairs.WithLabelValues("fixed").Inc()
				return res, outcomeRepaired, nil
			}
			return res, outcomeOK, nil
		}
	}
	g.o.Metrics.Repairs.WithLabelValues("failed").Inc()
	// A second unusable answer in one conversation rarely means the next conversation fails too
	// (answers are sampled): the job is retried, and fails with msgInvalid on its last attempt.
	return res, outcomeInvalid, derrors.Retryable(msgInvalid,
		fmt.Errorf("llm answer unusable after one repair: %d problems: %s: %w", len(last.problems), strings.Join(last.problems[:min(len(last.problems), 5)], "; "), ErrTransient))
}

// programFormat is the response format of program requests: the strict schema, verbatim.
// go-openai's own schema helper drops omitempty fields from required, which strict mode
// rejects, so the schema goes in as raw JSON.
func (g *OpenAI) programFormat() *openai.ChatCompletionResponseFormat {
	return &openai.ChatCompletionResponseFormat{Type: openai.ChatCompletionResponseFormatTypeJSONSchema,
		JSONSchema: &openai.ChatCompletionResponseFormatJSONSchema{Name: ProgramSchemaName,
			Description: "A liftplan training program, schema v" + science.SchemaVersion + ".",
			Schema:      json.RawMessage(science.ProgramJSONSchema()), Strict: true}}
}

// complete sends one chat-completion request (the transport retries it) and classifies errors.
func (g *OpenAI) complete(ctx context.Context, msgs []openai.ChatCompletionMessage, format *openai.ChatCompletionResponseFormat) (openai.ChatCompletionResponse, error) {
	start := time.Now()
	resp, err := g.client.CreateChatCompletion(ctx, openai.ChatCompletionRequest{Model: g.o.Model, Messages: msgs, ResponseFormat: format})
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
