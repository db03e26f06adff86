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
		AttemptTimeout: cfg.LLMTimeout, MaxRetries: cfg.LLMMaxRetries, Metrics: m, Log: log.With("component", "llm")})
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
	fmt.Fprintf(e.stdout, "generator version: %s\n", g.Version())
	return nil
}
