package llm_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"liftplan/internal/llm"
	"liftplan/internal/llm/llmtest"
	"liftplan/internal/science"
)

// Token budgets of issue 14, measured with o200k_base (gpt-4o's tokenizer).
const (
	maxPromptTokens    = 4000
	maxBlueprintTokens = 3000
)

// promptTokens is what one first request costs in prompt: both messages and the schema.
func promptTokens(t *testing.T, a science.Analysis) int {
	t.Helper()
	msgs, err := llm.BuildMessagesForTest(a)
	if err != nil {
		t.Fatal(err)
	}
	n := llmtest.CountTokens(string(llm.BlueprintJSONSchema()))
	for _, m := range msgs {
		n += llmtest.CountTokens(m.Content)
	}
	return n
}

// TestLargestPromptFitsTheBudget: the longest prompt liftplan sends stays under 4,000 tokens,
// so a local model's default context holds it plus the output cap.
func TestLargestPromptFitsTheBudget(t *testing.T) {
	a, err := science.Analyze(llm.LargestProfile())
	if err != nil {
		t.Fatal(err)
	}
	n := promptTokens(t, a)
	t.Logf("largest prompt: %d tokens (o200k_base), schema included", n)
	if n > maxPromptTokens {
		t.Errorf("largest prompt = %d tokens, want ≤ %d", n, maxPromptTokens)
	}
}

// profileGrid is every day count × tier × a small and a full equipment set × two session
// lengths, at every level: the submissions whose blueprints differ most in size.
func profileGrid() []science.Input {
	full := llm.LargestProfile().Equipment
	var out []science.Input
	for days := science.MinDays; days <= science.MaxDays; days++ {
		for _, paid := range []bool{false, true} {
			for _, eq := range [][]string{{"dumbbells", "bench"}, full} {
				for _, minutes := range []int{45, 120} {
					for _, level := range []string{science.LevelBeginner, science.LevelIntermediate, science.LevelAdvanced} {
						out = append(out, science.Input{Goal: science.GoalHypertrophy, Experience: level, DaysPerWeek: days, SessionMinutes: minutes,
							Equipment: eq, WeakPoints: []string{"side_delts"}, HasPaidAccess: paid})
					}
				}
			}
		}
	}
	return out
}

// TestBlueprintsStayUnderTheOutputBudget: a compliant model's blueprint (the fake's, at the
// prompt's word limits) stays under 3,000 tokens for every profile, every prompt under 4,000,
// and the shorter re-ask's answer is shorter still.
func TestBlueprintsStayUnderTheOutputBudget(t *testing.T) {
	worstOut, worstPrompt := 0, 0
	var worstName string
	for _, in := range profileGrid() {
		a, err := science.Analyze(in)
		if err != nil {
			t.Fatal(err)
		}
		name := fmt.Sprintf("%dd/%dmin/%s/paid=%v/eq=%d", in.DaysPerWeek, in.SessionMinutes, in.Experience, in.HasPaidAccess, len(in.Equipment))
		full, _ := json.Marshal(llmtest.BlueprintFor(a, false, false))
		short, _ := json.Marshal(llmtest.BlueprintFor(a, false, true))
		n, ns := llmtest.CountTokens(string(full)), llmtest.CountTokens(string(short))
		if n > maxBlueprintTokens {
			t.Errorf("%s: blueprint %d tokens, want < %d", name, n, maxBlueprintTokens)
		}
		if ns >= n {
			t.Errorf("%s: shorter re-ask answer %d tokens, not shorter than %d", name, ns, n)
		}
		if p := promptTokens(t, a); p > maxPromptTokens {
			t.Errorf("%s: prompt %d tokens, want ≤ %d", name, p, maxPromptTokens)
		} else {
			worstPrompt = max(worstPrompt, p)
		}
		if n > worstOut {
			worstOut, worstName = n, name
		}
	}
	t.Logf("largest blueprint: %d tokens (%s); largest prompt on the grid: %d tokens", worstOut, worstName, worstPrompt)
	if !strings.Contains(worstName, "d/") {
		t.Fatal("empty grid")
	}
}
