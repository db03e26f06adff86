package bench

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"liftplan/internal/llm/llmtest"
	"liftplan/internal/webtest"
)

// LLMProfile is one submission the LLM benchmark generates.
type LLMProfile struct {
	Days, Minutes int
	Equipment     []string
}

// LLMProfiles are the rows of the LLM benchmark: the 3-, 4- and 6-day forms at an hour, and 6
// days of two hours with every piece of equipment (long days: the most exercises a day).
func LLMProfiles() []LLMProfile {
	gym := []string{"barbell", "dumbbells", "bench", "pullup_bar", "cables", "machines"}
	all := []string{"barbell", "dumbbells", "machines", "cables", "kettlebells", "bands", "pullup_bar", "bench"}
	return []LLMProfile{{3, 60, gym}, {4, 60, gym}, {6, 60, gym}, {6, 120, all}}
}

// Issue 14's targets at the benchmark pace (90 tokens/s, 0.6 s to the first token).
const (
	targetCompleted3Day = 15 * time.Second
	targetCompleted     = 30 * time.Second
	targetFirstDay      = 6 * time.Second
	targetOutputTokens  = 3000
	targetPromptTokens  = 4000
)

var daysReadyAttr = regexp.MustCompile(`data-days-ready="(\d+)"`)

// LLMPace generates each profile once through a real `liftplan serve` and the fake LLM at
// llmtest.RealPace, with liftplan's default timeouts, watching the program's SSE stream like a
// browser: the time from submit to the first day on screen and to the completed program, and
// the tokens the program row records.
func (h *Harness) LLMPace(ctx context.Context) ([]Row, error) {
	dbURL, pool, err := h.database(ctx, "liftplan_bench_llmpace")
	if err != nil {
		return nil, err
	}
	defer pool.Close()
	fake, err := llmtest.Listen("127.0.0.1:0", llmtest.Options{Pace: llmtest.RealPace})
	if err != nil {
		return nil, err
	}
	defer fake.Close()
	srv, err := Start(ctx, h.Binary, "all", map[string]string{"DATABASE_URL": dbURL, "LLM_PROVIDER": "openai", "OPENAI_API_KEY": "bench", "OPENAI_BASE_URL": fake.URL})
	if err != nil {
		return nil, err
	}
	defer srv.Stop()
	var rows []Row
	for i, p := range LLMProfiles() {
		c := client(srv.URL, "pace"+strconv.Itoa(i)+"@bench.test")
		f := webtest.GoodForm()
		f.Set("days_per_week", strconv.Itoa(p.Days))
		f.Set("session_minutes", strconv.Itoa(p.Minutes))
		f["equipment"] = p.Equipment
		f.Set("notes", "bench pace "+strconv.Itoa(i))
		start := time.Now()
		r := c.Post("/programs", f, true)
		id := webtest.ProgramID(r.Header.Get("Location"))
		if id == 0 {
			return nil, fmt.Errorf("submit: status %d", r.Status)
		}
		var firstDay, done time.Duration
		status := ""
		for ev := range c.Stream(id, 2*time.Minute) {
			if ev.Name != "status" {
				continue
			}
			status = webtest.StatusOf(ev.Data)
			if m := daysReadyAttr.FindStringSubmatch(ev.Data); firstDay == 0 && m != nil && m[1] != "0" {
				firstDay = time.Since(start)
			}
			if strings.HasPrefix(status, "completed") || strings.HasPrefix(status, "failed") {
				done = time.Since(start)
			}
		}
		if !strings.HasPrefix(status, "completed") {
			return nil, fmt.Errorf("%d-day program ended %q", p.Days, status)
		}
		var prompt, completion, attempts int
		if err := pool.QueryRow(ctx, `SELECT coalesce(prompt_tokens, 0), coalesce(completion_tokens, 0), coalesce(llm_attempts, 0)
			FROM training_programs WHERE id = $1`, id).Scan(&prompt, &completion, &attempts); err != nil {
			return nil, err
		}
		limit := targetCompleted
		if p.Days == 3 {
			limit = targetCompleted3Day
		}
		rows = append(rows, Row{Name: fmt.Sprintf("LLM %d days × %d min at 90 tok/s: completed", p.Days, p.Minutes), Unit: "s",
			Median: done.Seconds(), Baseline: firstDay.Seconds(), BaselineName: "first day visible",
			Target: fmt.Sprintf("completed ≤ %s, first day ≤ %s, output ≤ %d, prompt ≤ %d", limit, targetFirstDay, targetOutputTokens, targetPromptTokens),
			OK:     done <= limit && firstDay > 0 && firstDay <= targetFirstDay && completion <= targetOutputTokens && prompt <= targetPromptTokens,
			Note:   fmt.Sprintf("first day visible after %.1f s; %d prompt + %d output tokens; %d LLM request(s)", firstDay.Seconds(), prompt, completion, attempts)})
	}
	return rows, nil
}
