// Package llm turns an analysis into a program: the Generator interface the pipeline calls, the
// built-in generator (pure science, no network), and — in provider files — OpenAI-compatible
// servers.
package llm

import (
	"context"
	"errors"
	"time"

	"liftplan/internal/science"
)

// Result is one generated program and what producing it cost.
type Result struct {
	// Program is the generated program, not yet validated by the pipeline.
	Program science.Program
	// Source is "builtin" or "llm".
	Source string
	// Model is the model that answered (empty for builtin). Servers often resolve an alias to
	// a dated snapshot, so it may differ from ModelRequested.
	Model string
	// ModelRequested is the model liftplan asked for (empty for builtin).
	ModelRequested string
	// PromptTokens and CompletionTokens are the LLM usage summed over every request of the
	// generation, repairs included (0 for builtin).
	PromptTokens, CompletionTokens int
	// Latency is the time spent generating.
	Latency time.Duration
	// Attempts is the number of HTTP requests sent, transport retries and repairs included
	// (0 for builtin).
	Attempts int
	// Repairs is the number of repair requests sent after an unusable answer (0 or 1).
	Repairs int
	// FirstToken is the time from the first request to its first streamed token (0 when the
	// answer was not streamed).
	FirstToken time.Duration
}

// Generator produces a program for an analysis.
type Generator interface {
	// Version identifies provider, model, prompt and schema; it is part of the cache key, so a
	// change of any of them never serves a program made the old way.
	Version() string
	// Generate returns a program. Errors wrap ErrTransient when a retry may succeed and are
	// derrors.Permanent when none can.
	Generate(ctx context.Context, a science.Analysis) (Result, error)
}

// ErrTransient marks errors worth retrying (timeouts, rate limits, 5xx, connection loss).
// Errors no retry can fix are derrors.Permanent, with the sentence a user reads.
var ErrTransient = errors.New("transient")

// Builtin is the deterministic generator of internal/science: it needs no network and is always
// available, so liftplan works fully offline.
type Builtin struct{}

// Version implements Generator.
func (Builtin) Version() string { return "builtin/science-" + science.SchemaVersion }

// Generate implements Generator.
func (Builtin) Generate(ctx context.Context, a science.Analysis) (Result, error) {
	start := time.Now()
	if err := ctx.Err(); err != nil {
		return Result{}, err
	}
	p := science.Generate(a)
	return Result{Program: p, Source: "builtin", Latency: time.Since(start)}, nil
}
