package web_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"liftplan/internal/llm/llmtest"
	"liftplan/internal/webtest"
)

// TestQuotaFailureOffersNoTryAgain: an exhausted AI quota is not fixed by retrying, so the
// owner sees who can fix it instead of a Try again button; an admin, who can, keeps the button.
// The page decides from the failure's recorded kind (needs_operator), not from its wording: a
// reworded message changes nothing, and a refusal, which a retry may fix, keeps Try again.
func TestQuotaFailureOffersNoTryAgain(t *testing.T) {
	tests := []struct {
		name       string
		behaviour  llmtest.Behaviour
		operator   bool
		rewordedTo string // the stored message replaced by wording that names nobody
	}{
		{"quota", llmtest.InsufficientQuota, true, "Out of credit."},
		{"refusal", llmtest.Refusal, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := llmtest.New(t, llmtest.Options{Script: []llmtest.Behaviour{tt.behaviour}, Default: tt.behaviour})
			st, _ := newLLMStack(t, fake, 3)
			owner := st.browser()
			owner.Signup("lifter@example.com")
			owner.Get("/programs/new")
			id := owner.Submit(webtest.GoodForm())
			waitStatus(owner, id, "failed")
			if tt.rewordedTo != "" {
				if _, err := st.Pool.Exec(context.Background(), "UPDATE training_programs SET generation_error = $2 WHERE id = $1", id, tt.rewordedTo); err != nil {
					t.Fatal(err)
				}
			}
			page := "/programs/" + strconv.FormatInt(id, 10)
			body := owner.Get(page).Body
			status := body[strings.Index(body, `<div id="program-status"`):]
			offered, toldWho := strings.Contains(body, `id="retry"`), strings.Contains(body, `id="fixed-by"`) && strings.Contains(status, "administrator")
			if offered == tt.operator || toldWho != tt.operator {
				t.Errorf("owner's page: Try again %v, says an administrator must fix it %v; want %v, %v:\n%.1500s", offered, toldWho, !tt.operator, tt.operator, status)
			}
			admin, _ := newAdmin(t, st, "admin@example.com")
			if body := admin.Get(page).Body; !strings.Contains(body, `id="retry"`) {
				t.Error("the admin's view of the failed program has no Try again")
			}
		})
	}
}
