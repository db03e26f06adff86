package generation

import (
	"context"
	"encoding/json"
	"log/slog"

	"liftplan/internal/db/dbq"
	"liftplan/internal/llm"
)

// draftSink stores the blueprint days an LLM has streamed so far on the program row (one
// guarded UPDATE that also notifies, like every status write), so the status element of every
// process shows them. A failed write is logged and the generation goes on: the draft is only a
// preview, the completed program is what counts.
func (r *Runner) draftSink(job Job, log *slog.Logger) llm.DraftSink {
	return func(ctx context.Context, days []llm.BlueprintDay) {
		raw, err := json.Marshal(days)
		if err != nil {
			return
		}
		if _, err := r.q.SetProgramDraft(ctx, dbq.SetProgramDraftParams{ID: job.ProgramID, GenerationNo: job.GenerationNo, Draft: raw}); err != nil {
			log.Warn("storing the streamed days failed; the page shows them at completion", "days", len(days), "error", err)
		}
	}
}

// DraftDay is one stored draft day as the status element reads it.
type DraftDay struct {
	Day   int    `json:"day"`
	Label string `json:"label"`
}

// ParseDraft reads the draft column: the days written so far (nil when none or unreadable).
func ParseDraft(raw []byte) []DraftDay {
	if len(raw) == 0 {
		return nil
	}
	var days []DraftDay
	if json.Unmarshal(raw, &days) != nil {
		return nil
	}
	return days
}
