// Command fakellm serves the llmtest fake OpenAI-compatible server, so `make run LLM=fake` can
// demo LLM generation (with retries and repairs if scripted) without an API key.
//
//	fakellm -addr 127.0.0.1:8090 [-script rate_limited,valid] [-default valid] [-latency 1.5s]
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
	"time"

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
	latency := fs.Duration("latency", 1500*time.Millisecond, "think time before each answer, so the progress steps are visible")
	mix := fs.String("mix", "", "behaviour=probability pairs drawn at random for unscripted requests (the rest get -default)")
	seed := fs.Uint64("seed", 1, "seed of the -mix draws")
	if err := fs.Parse(args); err != nil {
		return err
	}
	o := llmtest.Options{Default: llmtest.Behaviour(*def), Latency: *latency, Seed: *seed}
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
