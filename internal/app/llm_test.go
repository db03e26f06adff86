package app

import (
	"context"
	"strings"
	"testing"

	"liftplan/internal/llm/llmtest"
)

func TestLLMCheck(t *testing.T) {
	tests := []struct {
		name     string
		script   []llmtest.Behaviour
		builtin  bool
		code     int
		inStdout []string
	}{
		{"structured output honoured", []llmtest.Behaviour{llmtest.Valid}, false, ExitOK,
			[]string{"model requested:   gpt-4o-mini", "model returned:    gpt-4o-mini-fake", "latency:", "(1 HTTP attempt(s))", "structured output: honoured",
				"generator version: openai/gpt-4o-mini/prompt-v2/schema-1-bp1",
				"streaming:         works with structured output", "first token:", "output pace:", "context:           the server does not say"}},
		{"structured output ignored", []llmtest.Behaviour{llmtest.InvalidJSON}, false, ExitOK, []string{"structured output: NOT honoured"}},
		{"quota exhausted", []llmtest.Behaviour{llmtest.InsufficientQuota}, false, ExitFailure, []string{"FAILED after", "1 HTTP attempt(s)"}},
		{"no LLM configured", nil, true, ExitOK, []string{"LLM_PROVIDER=builtin"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := llmtest.New(t, llmtest.Options{Script: tt.script})
			env := map[string]string{"OPENAI_BASE_URL": fake.URL, "OPENAI_API_KEY": "k", "LLM_MAX_RETRIES": "0", "LOG_LEVEL": "error"}
			if tt.builtin {
				env = nil
			}
			code, stdout, stderr := runMain(context.Background(), env, "llm", "check")
			if code != tt.code {
				t.Errorf("exit = %d, want %d (stdout %q, stderr %q)", code, tt.code, stdout, stderr)
			}
			for _, s := range tt.inStdout {
				if !strings.Contains(stdout, s) {
					t.Errorf("stdout lacks %q:\n%s", s, stdout)
				}
			}
		})
	}
	if code, _, stderr := runMain(context.Background(), nil, "llm"); code != ExitUsage || !strings.Contains(stderr, `"llm" needs the subcommand "check"`) {
		t.Errorf("liftplan llm = %d %q, want a usage error", code, stderr)
	}
}
