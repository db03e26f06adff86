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
