package web

import (
	"fmt"
	"strings"
	"time"

	"liftplan/internal/science"
	pview "liftplan/views/programs"
)

// This file holds the words pages use instead of internal names (DOMAIN "Words for lifters").

var (
	goalNames  = map[string]string{science.GoalHypertrophy: "Hypertrophy", science.GoalStrength: "Strength", science.GoalGeneralFitness: "General fitness"}
	splitNames = map[string]string{"full_body": "Full body", "upper_lower": "Upper/lower", "ppl": "Push/pull/legs",
		"upper_lower_ppl": "Upper/lower + push/pull/legs", "custom": "Custom split"}
	progressionWords = map[string]string{
		"double_progression": "double progression (more reps first, then more load)",
		"linear":             "linear progression (a little more load each week)",
		"rir_step":           "effort steps (one rep closer to failure each week)",
	}
	sourceWords = map[string]string{"builtin": "liftplan's built-in planner", "llm": "an AI model, checked by our training-science rules",
		"cache": "an identical earlier request (reused)"}
)

// programName is a program's name in words: goal, split, days × minutes and date, e.g.
// "Hypertrophy · Upper/lower · 4 × 60 min · 1 Dec 2026". The split follows from the day count
// (science.Analyze); it is left out when the answers do not analyse.
func programName(in science.Input, created time.Time) string {
	parts := []string{}
	if g := goalNames[in.Goal]; g != "" {
		parts = append(parts, g)
	}
	if a, err := science.Analyze(in); err == nil && splitNames[a.Split.Type] != "" {
		parts = append(parts, splitNames[a.Split.Type])
	}
	if in.DaysPerWeek > 0 && in.SessionMinutes > 0 {
		parts = append(parts, fmt.Sprintf("%d × %d min", in.DaysPerWeek, in.SessionMinutes))
	}
	parts = append(parts, created.UTC().Format("2 Jan 2006"))
	return strings.Join(parts, " · ")
}

// sourceLabel is who wrote a program, for the history's "Written by" column.
func sourceLabel(src string) string {
	switch src {
	case "builtin":
		return "Built-in planner"
	case "llm":
		return "AI, checked"
	case "cache":
		return "Reused"
	}
	return "–"
}

// sourceNote is the sentence under a program saying who wrote it.
func sourceNote(src, model string) string {
	w := sourceWords[src]
	if w == "" {
		return ""
	}
	if src == "llm" && model != "" {
		w = "an AI model (" + model + "), checked by our training-science rules"
	}
	return "Written by " + w + "."
}

// plainWords replaces internal names that reach a rationale written by the science code.
func plainWords(s string) string {
	for id, words := range progressionWords {
		s = strings.ReplaceAll(s, strings.ReplaceAll(id, "_", " "), words)
	}
	return s
}

// landmarkNote says where the volume landmarks come from, without the table's identifier.
func landmarkNote(table string) string {
	if strings.HasPrefix(table, "rp-classic") {
		return "Volume landmarks (MEV, MAV, MRV) follow Renaissance Periodization's published figures, adjusted for your experience."
	}
	return "Volume landmarks (MEV, MAV, MRV) follow published training-science figures."
}

// weekdays are the calendar form's choices, in the order ?days= accepts them.
var weekdays = []pview.Choice{{Value: "mon", Label: "Mon"}, {Value: "tue", Label: "Tue"}, {Value: "wed", Label: "Wed"},
	{Value: "thu", Label: "Thu"}, {Value: "fri", Label: "Fri"}, {Value: "sat", Label: "Sat"}, {Value: "sun", Label: "Sun"}}

// defaultWeekdays spreads n training days over the week, rest days between where possible.
var defaultWeekdays = map[int][]string{2: {"mon", "thu"}, 3: {"mon", "wed", "fri"}, 4: {"mon", "tue", "thu", "fri"},
	5: {"mon", "tue", "wed", "fri", "sat"}, 6: {"mon", "tue", "wed", "thu", "fri", "sat"}}
