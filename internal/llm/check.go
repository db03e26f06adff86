package llm

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"
	openai "github.com/sashabaranov/go-openai"
)

// CheckReport is what `liftplan llm check` tells an operator about the configured server.
type CheckReport struct {
	// ModelRequested is OPENAI_MODEL; ModelReturned is what the server says answered.
	ModelRequested, ModelReturned string
	// Latency is the time of the whole call, transport retries included.
	Latency time.Duration
	// Attempts is the number of HTTP attempts the call took.
	Attempts int
	// PromptTokens and CompletionTokens are the usage the server reported.
	PromptTokens, CompletionTokens int
	// StructuredOutput is true when the answer matched the requested strict schema.
	StructuredOutput bool
	// Answer is the raw answer, for operators debugging a server.
	Answer string
	// Problem explains why structured output was judged not honoured.
	Problem string
	// Streaming reports the streamed structured request: whether it worked and its pace.
	Streaming StreamCheck
	// Context reports whether the largest prompt plus the output cap fits the model's context.
	Context ContextCheck
}

// checkSchema is a tiny strict schema: small enough for any model, strict enough (enum,
// integer, no extra properties) that an answer matching it by accident is unlikely.
const checkSchema = `{"type":"object","properties":{"word":{"type":"string","enum":["liftplan"]},"sets":{"type":"integer"}},"required":["word","sets"],"additionalProperties":false}`

// Check sends one tiny structured-output request and reports model, latency and whether the
// server honoured the schema. A transport or API error is returned as is.
func (g *OpenAI) Check(ctx context.Context) (CheckReport, error) {
	rep := CheckReport{ModelRequested: g.o.Model}
	ctx, cancel := g.overallDeadline(ctx)
	defer cancel()
	ctx, attempts := withAttemptCounter(ctx)
	format := &openai.ChatCompletionResponseFormat{Type: openai.ChatCompletionResponseFormatTypeJSONSchema,
		JSONSchema: &openai.ChatCompletionResponseFormatJSONSchema{Name: "liftplan_check", Schema: json.RawMessage(checkSchema), Strict: true}}
	msgs := []openai.ChatCompletionMessage{
		{Role: openai.ChatMessageRoleSystem, Content: "Answer with a JSON object matching the schema."},
		{Role: openai.ChatMessageRoleUser, Content: `Return {"word": "liftplan", "sets": 3}.`},
	}
	start := time.Now()
	resp, err := g.complete(ctx, openai.ChatCompletionRequest{Model: g.o.Model, Messages: msgs, ResponseFormat: format})
	rep.Latency, rep.Attempts = time.Since(start), int(attempts.Load())
	if err != nil {
		return rep, fmt.Errorf("llm check: %w", err)
	}
	rep.ModelReturned = resp.Model
	rep.PromptTokens, rep.CompletionTokens = resp.Usage.PromptTokens, resp.Usage.CompletionTokens
	if len(resp.Choices) == 0 {
		rep.Problem = "the answer has no choices"
		return rep, nil
	}
	rep.Answer = resp.Choices[0].Message.Content
	rep.Problem = checkStructured(rep.Answer)
	rep.StructuredOutput = rep.Problem == ""
	g.checkStreaming(ctx, &rep)
	g.checkContext(ctx, &rep)
	return rep, nil
}

// checkStructured validates the check answer against checkSchema; "" means it matches.
func checkStructured(answer string) string {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader([]byte(stripFences(answer))))
	if err != nil {
		return "the answer is not JSON: " + err.Error()
	}
	schemaDoc, _ := jsonschema.UnmarshalJSON(bytes.NewReader([]byte(checkSchema)))
	c := jsonschema.NewCompiler()
	if err := c.AddResource("https://liftplan.invalid/check.json", schemaDoc); err != nil {
		return err.Error()
	}
	s, err := c.Compile("https://liftplan.invalid/check.json")
	if err != nil {
		return err.Error()
	}
	if err := s.Validate(doc); err != nil {
		ps := schemaProblems(err)
		return fmt.Sprintf("the answer does not match the schema: %v", ps)
	}
	return ""
}
