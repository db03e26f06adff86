package app

import (
	"context"
	"flag"
	"fmt"
	"log/slog"

	"github.com/prometheus/client_golang/prometheus"

	"liftplan/internal/config"
	"liftplan/internal/llm"
)

// newGenerator picks the program generator from the configuration: the OpenAI-compatible
// provider when LLM_PROVIDER is openai, else the built-in one. Its collectors register on reg,
// the registry /metrics serves.
func newGenerator(cfg config.Config, reg prometheus.Registerer, log *slog.Logger) (llm.Generator, error) {
	if cfg.LLMProvider != "openai" {
		return llm.Builtin{}, nil
	}
	return newOpenAI(cfg, reg, log)
}

// newOpenAI builds the OpenAI-compatible provider from OPENAI_* and LLM_* settings.
func newOpenAI(cfg config.Config, reg prometheus.Registerer, log *slog.Logger) (*llm.OpenAI, error) {
	m, err := llm.NewMetrics(reg)
	if err != nil {
		return nil, err
	}
	g, err := llm.NewOpenAI(llm.OpenAIOptions{BaseURL: cfg.OpenAIBaseURL, APIKey: cfg.OpenAIAPIKey, Model: cfg.OpenAIModel,
		AttemptTimeout: cfg.LLMTimeout, MaxRetries: cfg.LLMMaxRetries, MaxOutputTokens: cfg.LLMMaxOutputTokens, NoStream: !cfg.LLMStream,
		Metrics: m, Log: log.With("component", "llm")})
	if err != nil {
		return nil, fmt.Errorf("llm provider: %w", err)
	}
	return g, nil
}

// cmdLLM runs `liftplan llm check`.
func cmdLLM(ctx context.Context, args []string, e env) error {
	if len(args) == 0 || args[0] != "check" {
		return usageError{`"llm" needs the subcommand "check"`}
	}
	fs := flag.NewFlagSet("llm check", flag.ContinueOnError)
	if err := parseFlags(fs, args[1:], e); err != nil {
		return err
	}
	cfg, err := config.Load(e.getenv)
	if err != nil {
		return err
	}
	if cfg.LLMProvider != "openai" {
		fmt.Fprintln(e.stdout, "LLM_PROVIDER=builtin: programs come from the built-in generator; no LLM server to check.")
		fmt.Fprintln(e.stdout, "Set OPENAI_API_KEY (and OPENAI_BASE_URL, OPENAI_MODEL for Ollama, vLLM and others) to use one.")
		return nil
	}
	g, err := newOpenAI(cfg, nil, newLogger(cfg, e.stderr))
	if err != nil {
		return err
	}
	server := cfg.OpenAIBaseURL
	if server == "" {
		server = "https://api.openai.com/v1 (default)"
	}
	fmt.Fprintf(e.stdout, "server:            %s\n", server)
	fmt.Fprintf(e.stdout, "model requested:   %s\n", cfg.OpenAIModel)
	rep, err := g.Check(ctx)
	if err != nil {
		fmt.Fprintf(e.stdout, "result:            FAILED after %s and %d HTTP attempt(s)\n", rep.Latency.Round(1e6), rep.Attempts)
		return err
	}
	fmt.Fprintf(e.stdout, "model returned:    %s\n", rep.ModelReturned)
	fmt.Fprintf(e.stdout, "latency:           %s (%d HTTP attempt(s))\n", rep.Latency.Round(1e6), rep.Attempts)
	fmt.Fprintf(e.stdout, "tokens:            %d prompt, %d completion\n", rep.PromptTokens, rep.CompletionTokens)
	if rep.StructuredOutput {
		fmt.Fprintln(e.stdout, "structured output: honoured (the answer matched the strict JSON schema)")
	} else {
		fmt.Fprintf(e.stdout, "structured output: NOT honoured: %s\n", rep.Problem)
		fmt.Fprintf(e.stdout, "                   answer: %.300s\n", rep.Answer)
		fmt.Fprintln(e.stdout, "                   liftplan validates and repairs every answer, so generation still works, but expect more repairs and failures.")
	}
	printStreaming(e, rep.Streaming)
	printContext(e, rep.Context)
	fmt.Fprintf(e.stdout, "generator version: %s\n", g.Version())
	return nil
}

// printStreaming reports the streamed structured request: pace and whether it worked.
func printStreaming(e env, sc llm.StreamCheck) {
	if !sc.Works {
		fmt.Fprintf(e.stdout, "streaming:         NOT working with structured output: %s\n", sc.Problem)
		fmt.Fprintln(e.stdout, "                   liftplan sends one plain request instead; days appear only when the program is done (or set LLM_STREAM=false).")
		return
	}
	fmt.Fprintln(e.stdout, "streaming:         works with structured output (days appear as they are written)")
	fmt.Fprintf(e.stdout, "first token:       %s\n", sc.FirstToken.Round(1e6))
	fmt.Fprintf(e.stdout, "output pace:       %.0f tokens/s (over %d tokens)\n", sc.TokensPerSecond, sc.CompletionTokens)
	if sc.TokensPerSecond > 0 {
		// The largest blueprint is about 2,300 tokens; say what that costs at this pace.
		fmt.Fprintf(e.stdout, "                   the largest blueprint (about %d tokens, 6 days of 2 hours) takes about %.0f s at this pace\n",
			largeBlueprintTokens, sc.FirstToken.Seconds()+largeBlueprintTokens/sc.TokensPerSecond)
	}
}

// largeBlueprintTokens is about the largest blueprint over the profile grid
// (internal/llm/budget_test.go measures it and bounds it by 3,000).
const largeBlueprintTokens = 2300

// printContext says whether the largest prompt plus the output cap fits the model's context.
func printContext(e env, cc llm.ContextCheck) {
	need := cc.LargestPromptTokens + cc.MaxOutputTokens
	switch {
	case cc.Problem != "":
		fmt.Fprintf(e.stdout, "context:           unknown: %s\n", cc.Problem)
	case cc.ContextTokens == 0:
		fmt.Fprintf(e.stdout, "context:           the server does not say; the largest request needs %d tokens (%d prompt + %d output cap)\n", need, cc.LargestPromptTokens, cc.MaxOutputTokens)
	case cc.Fits():
		fmt.Fprintf(e.stdout, "context:           fits: %d of %d tokens (%d prompt + %d output cap; %s)\n", need, cc.ContextTokens, cc.LargestPromptTokens, cc.MaxOutputTokens, cc.Source)
	default:
		fmt.Fprintf(e.stdout, "context:           DOES NOT FIT: needs %d tokens (%d prompt + %d output cap), the model has %d (%s)\n", need, cc.LargestPromptTokens, cc.MaxOutputTokens, cc.ContextTokens, cc.Source)
		fmt.Fprintln(e.stdout, "                   raise the context (Ollama: num_ctx, see README) or lower LLM_MAX_OUTPUT_TOKENS.")
	}
}
