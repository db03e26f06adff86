package llm_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"liftplan/internal/derrors"
	"liftplan/internal/llm"
	"liftplan/internal/llm/llmtest"
	"liftplan/internal/science"
)

// draftRecorder is a DraftSink that remembers when each day count arrived.
type draftRecorder struct {
	mu    sync.Mutex
	calls []draftCall
}

type draftCall struct {
	days   []string
	at     time.Time
	lastID string
}

func (r *draftRecorder) sink(_ context.Context, days []llm.BlueprintDay) {
	r.mu.Lock()
	defer r.mu.Unlock()
	c := draftCall{at: time.Now()}
	for _, d := range days {
		c.days = append(c.days, d.Label)
	}
	if n := len(days); n > 0 && len(days[n-1].Exercises) > 0 {
		c.lastID = days[n-1].Exercises[0].ExerciseID
	}
	r.calls = append(r.calls, c)
}

func (r *draftRecorder) snapshot() []draftCall {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]draftCall(nil), r.calls...)
}

// TestCutOffAtTheOutputCap: an answer longer than LLM_MAX_OUTPUT_TOKENS ends with
// finish_reason "length"; it is never parsed, the generator asks once for a shorter answer,
// and a second cut-off is a transient error with a clear message.
func TestCutOffAtTheOutputCap(t *testing.T) {
	// The cap lies between the shorter answer and the verbose one.
	a0 := analysis(t, "")
	verbose, short := blueprintTokens(t, llmtest.BlueprintFor(a0, true, false)), blueprintTokens(t, llmtest.BlueprintFor(a0, false, true))
	limit := (verbose + short) / 2
	t.Logf("verbose answer %d tokens, shorter answer %d, cap %d", verbose, short, limit)
	if verbose < short*3/2 {
		t.Fatalf("verbose %d vs short %d tokens: the fake cannot show a cut-off", verbose, short)
	}
	t.Run("shorter answer fits", func(t *testing.T) {
		srv := llmtest.New(t, llmtest.Options{Script: []llmtest.Behaviour{llmtest.Verbose}})
		g := newGenerator(t, srv, nil, func(o *llm.OpenAIOptions) { o.MaxOutputTokens = limit })
		a := analysis(t, "")
		res, err := g.Generate(context.Background(), a)
		if err != nil {
			t.Fatal(err)
		}
		reqs := srv.Requests()
		if len(reqs) != 2 || res.Repairs != 0 {
			t.Fatalf("requests %d, repairs %d; want the cut-off answer re-asked once, no repair", len(reqs), res.Repairs)
		}
		for _, r := range reqs {
			if r.Body.MaxTokens != limit {
				t.Errorf("max_tokens = %d, want %d", r.Body.MaxTokens, limit)
			}
		}
		last := reqs[1].Body.Messages
		if !strings.Contains(last[len(last)-1].Content, llm.ShorterMarker) || len(last) != 3 {
			t.Errorf("the re-ask has %d messages, last %q; want the first request plus the shorter instruction", len(last), last[len(last)-1].Content)
		}
		if res.CompletionTokens <= limit {
			t.Errorf("completion tokens %d; want both answers counted (the cut one alone is %d)", res.CompletionTokens, limit)
		}
		assertValid(t, a, res.Program)
	})
	t.Run("cut off twice", func(t *testing.T) {
		srv := llmtest.New(t, llmtest.Options{Default: llmtest.Verbose})
		g := newGenerator(t, srv, nil, func(o *llm.OpenAIOptions) { o.MaxOutputTokens = short / 2 })
		_, err := g.Generate(context.Background(), analysis(t, ""))
		if !errors.Is(err, llm.ErrCutOff) || !errors.Is(err, llm.ErrTransient) || derrors.IsPermanent(err) || !strings.Contains(derrors.UserMessage(err), "cut off") {
			t.Fatalf("err = %v; want a transient cut-off with a user message", err)
		}
		if n := len(srv.Requests()); n != 2 {
			t.Errorf("requests = %d, want 2 (one shorter re-ask, no repair of a cut-off answer)", n)
		}
	})
}

func blueprintTokens(t *testing.T, bp llm.Blueprint) int {
	t.Helper()
	return llmtest.CountTokens(string(mustJSON(t, bp)))
}

// TestStreamedDaysArriveBeforeTheAnswerEnds: at a real pace, each blueprint day reaches the
// sink as soon as it is complete, in order, long before the last token.
func TestStreamedDaysArriveBeforeTheAnswerEnds(t *testing.T) {
	srv := llmtest.New(t, llmtest.Options{Pace: llmtest.Pace{TimeToFirstToken: 100 * time.Millisecond, TokensPerSecond: 1500}})
	g := newGenerator(t, srv, nil, func(o *llm.OpenAIOptions) { o.AttemptTimeout = 30 * time.Second })
	a := analysis(t, "")
	var rec draftRecorder
	start := time.Now()
	res, err := g.Generate(llm.WithDraftSink(context.Background(), rec.sink), a)
	end := time.Now()
	if err != nil {
		t.Fatal(err)
	}
	calls := rec.snapshot()
	if len(calls) != a.Split.DaysPerWeek {
		t.Fatalf("sink called %d times, want once per day (%d)", len(calls), a.Split.DaysPerWeek)
	}
	for i, c := range calls {
		if len(c.days) != i+1 || c.days[i] != a.Split.Days[i].Label || c.lastID == "" {
			t.Errorf("call %d: days %v (first exercise %q); want the first %d day labels with their exercises", i, c.days, c.lastID, i+1)
		}
	}
	// The first day is a quarter of the answer: it must arrive well before the end.
	if first, total := calls[0].at.Sub(start), end.Sub(start); first > total*2/3 {
		t.Errorf("first day after %s of %s; want it early in the stream", first, total)
	}
	if res.FirstToken < 100*time.Millisecond || res.FirstToken > end.Sub(start) {
		t.Errorf("time to first token = %s, want ≥ the fake's 100 ms", res.FirstToken)
	}
}

// TestFallbackWhenStreamingIsRefused: a server that rejects stream with json_schema gets one
// plain request instead, and no streamed request after that.
func TestFallbackWhenStreamingIsRefused(t *testing.T) {
	srv := llmtest.New(t, llmtest.Options{RefuseStreamWithSchema: true})
	g := newGenerator(t, srv, nil)
	a := analysis(t, "")
	var rec draftRecorder
	ctx := llm.WithDraftSink(context.Background(), rec.sink)
	for run := range 2 {
		res, err := g.Generate(ctx, a)
		if err != nil {
			t.Fatalf("run %d: %v", run, err)
		}
		assertValid(t, a, res.Program)
	}
	var streamed []bool
	for _, r := range srv.Requests() {
		streamed = append(streamed, r.Body.Stream)
	}
	if len(streamed) != 3 || !streamed[0] || streamed[1] || streamed[2] {
		t.Errorf("requests streamed = %v; want [true false false]: one refused stream, then plain requests only", streamed)
	}
	if n := len(rec.snapshot()); n != 0 {
		t.Errorf("sink called %d times without a stream", n)
	}
}

// TestAtRealPace is the pace-mode suite: the fake answers like a hosted model (0.6 s to the
// first token, 90 tokens/s) and the generator runs with liftplan's default timeouts. It proves
// a blueprint completes within the timeouts at that pace, and that the time spent is what
// the answer's size predicts (the fake is not answering instantly).
func TestAtRealPace(t *testing.T) {
	profiles := []science.Input{
		{Goal: science.GoalHypertrophy, Experience: science.LevelIntermediate, DaysPerWeek: 3, SessionMinutes: 60,
			Equipment: []string{"barbell", "dumbbells", "bench", "cables"}, WeakPoints: []string{"chest"}},
		{Goal: science.GoalStrength, Experience: science.LevelAdvanced, DaysPerWeek: 4, SessionMinutes: 75,
			Equipment: []string{"barbell", "dumbbells", "bench", "machines", "pullup_bar"}, HasPaidAccess: true},
	}
	for _, in := range profiles {
		t.Run(strings.Repeat("d", in.DaysPerWeek), func(t *testing.T) {
			t.Parallel()
			srv := llmtest.New(t, llmtest.Options{Pace: llmtest.RealPace})
			g := newGenerator(t, srv, nil, func(o *llm.OpenAIOptions) {
				o.AttemptTimeout, o.MaxRetries, o.BaseDelay, o.MaxDelay = 60*time.Second, 3, 0, 0 // LLM_TIMEOUT, LLM_MAX_RETRIES defaults
			})
			a, err := science.Analyze(in)
			if err != nil {
				t.Fatal(err)
			}
			var rec draftRecorder
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute) // JOB_TIMEOUT
			defer cancel()
			start := time.Now()
			res, err := g.Generate(llm.WithDraftSink(ctx, rec.sink), a)
			took := time.Since(start)
			if err != nil {
				t.Fatal(err)
			}
			assertValid(t, a, res.Program)
			predicted := llmtest.RealPace.TimeToFirstToken + time.Duration(float64(res.CompletionTokens-1)/llmtest.RealPace.TokensPerSecond*float64(time.Second))
			if took < predicted || len(srv.Requests()) != 1 {
				t.Errorf("took %s for %d tokens in %d requests; the pace predicts at least %s in one", took, res.CompletionTokens, len(srv.Requests()), predicted)
			}
			calls := rec.snapshot()
			if len(calls) != in.DaysPerWeek || calls[0].at.Sub(start) >= took {
				t.Fatalf("%d draft calls; want %d, the first before completion", len(calls), in.DaysPerWeek)
			}
			t.Logf("%d days: %d prompt + %d completion tokens; first day after %s, completed after %s",
				in.DaysPerWeek, res.PromptTokens, res.CompletionTokens, calls[0].at.Sub(start).Round(time.Millisecond), took.Round(time.Millisecond))
		})
	}
}

// TestCheckReportsPaceStreamingAndContext: llm check measures the first token and the output
// pace on a streamed structured request and compares the largest prompt plus the output cap
// with the context the server reports.
func TestCheckReportsPaceStreamingAndContext(t *testing.T) {
	pace := llmtest.Pace{TimeToFirstToken: 200 * time.Millisecond, TokensPerSecond: 400}
	srv := llmtest.New(t, llmtest.Options{Pace: pace, ContextTokens: 4096})
	rep, err := newGenerator(t, srv, nil, func(o *llm.OpenAIOptions) { o.AttemptTimeout = 10 * time.Second }).Check(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	sc, cc := rep.Streaming, rep.Context
	if !sc.Works || sc.FirstToken < pace.TimeToFirstToken || sc.TokensPerSecond < pace.TokensPerSecond*0.5 || sc.TokensPerSecond > pace.TokensPerSecond*1.2 {
		t.Errorf("streaming = %+v; want it working, first token ≥ %s, about %v tokens/s", sc, pace.TimeToFirstToken, pace.TokensPerSecond)
	}
	if cc.LargestPromptTokens < 1000 || cc.ContextTokens != 4096 || cc.MaxOutputTokens != llm.DefaultMaxOutputTokens || cc.Fits() {
		t.Errorf("context = %+v; want the largest prompt measured and found not to fit 4,096 with a 4,096 cap", cc)
	}

	refusing := llmtest.New(t, llmtest.Options{RefuseStreamWithSchema: true, ContextTokens: 32768})
	rep, err = newGenerator(t, refusing, nil).Check(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if rep.Streaming.Works || !strings.Contains(rep.Streaming.Problem, "refuses streaming") || !rep.Context.Fits() {
		t.Errorf("report = %+v; want streaming refused and the context fitting", rep)
	}
}
