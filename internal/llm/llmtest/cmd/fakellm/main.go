// Command fakellm serves the llmtest fake OpenAI-compatible server, so `make run LLM=fake` can
// demo LLM generation (with retries and repairs if scripted) without an API key.
//
//	fakellm -addr 127.0.0.1:8090 [-script rate_limited,valid] [-default valid] [-latency 0s]
//	        [-ttft 700ms -tps 80] [-max-output 16384] [-refuse-stream]
//	        [-mix rate_limited=0.3,bad_gateway_html=0.1,invalid_json=0.1,hang=0.05 -seed 1]
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"

	"liftplan/internal/llm/llmtest"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "fakellm:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	names := make([]string, 0, len(llmtest.Behaviours()))
	for _, b := range llmtest.Behaviours() {
		names = append(names, string(b))
	}
	fs := flag.NewFlagSet("fakellm", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:8090", "listen address (host:port)")
	script := fs.String("script", "", "comma-separated behaviours of the first requests: "+strings.Join(names, ", "))
	def := fs.String("default", string(llmtest.Valid), "behaviour once the script is used up")
	latency := fs.Duration("latency", 0, "extra think time before each answer")
	ttft := fs.Duration("ttft", llmtest.DemoPace.TimeToFirstToken, "time to the first token")
	tps := fs.Float64("tps", llmtest.DemoPace.TokensPerSecond, "output tokens per second (0: instant); a real model writes 60-120")
	maxOut := fs.Int("max-output", 16384, "the model's output cap; longer answers end with finish_reason length")
	refuse := fs.Bool("refuse-stream", false, "answer 400 to streamed requests with a json_schema format, as some servers do")
	ctxTokens := fs.Int("context", 0, "context length reported by /v1/models (0: none)")
	mix := fs.String("mix", "", "behaviour=probability pairs drawn at random for unscripted requests (the rest get -default)")
	seed := fs.Uint64("seed", 1, "seed of the -mix draws")
	if err := fs.Parse(args); err != nil {
		return err
	}
	o := llmtest.Options{Default: llmtest.Behaviour(*def), Latency: *latency, Seed: *seed, Pace: llmtest.Pace{TimeToFirstToken: *ttft, TokensPerSecond: *tps},
		MaxOutputTokens: *maxOut, RefuseStreamWithSchema: *refuse, ContextTokens: *ctxTokens}
	for _, kv := range strings.FieldsFunc(*mix, func(r rune) bool { return r == ',' || r == ' ' }) {
		name, p, ok := strings.Cut(kv, "=")
		f, err := strconv.ParseFloat(p, 64)
		if !ok || err != nil {
			return fmt.Errorf("-mix: %q is not behaviour=probability", kv)
		}
		if o.Mix == nil {
			o.Mix = map[llmtest.Behaviour]float64{}
		}
		o.Mix[llmtest.Behaviour(name)] = f
	}
	for _, b := range strings.FieldsFunc(*script, func(r rune) bool { return r == ',' || r == ' ' }) {
		o.Script = append(o.Script, llmtest.Behaviour(b))
	}
	s, err := llmtest.Listen(*addr, o)
	if err != nil {
		return err
	}
	defer s.Close()
	fmt.Fprintf(os.Stderr, "fakellm: OpenAI-compatible fake listening; OPENAI_BASE_URL=%s\n", s.URL)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	<-ctx.Done()
	return nil
}
