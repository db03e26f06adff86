package web_test

import (
	"strconv"
	"strings"
	"testing"

	"liftplan/internal/llm/llmtest"
	"liftplan/internal/webtest"
)

// TestQuotaFailureOffersNoTryAgain: an exhausted AI quota is not fixed by retrying, so the
// owner sees who can fix it instead of a Try again button; an admin, who can, keeps the button.
func TestQuotaFailureOffersNoTryAgain(t *testing.T) {
	fake := llmtest.New(t, llmtest.Options{Script: []llmtest.Behaviour{llmtest.InsufficientQuota}, Default: llmtest.InsufficientQuota})
	st, _ := newLLMStack(t, fake, 3)
	owner := st.browser()
	owner.Signup("lifter@example.com")
	owner.Get("/programs/new")
	id := owner.Submit(webtest.GoodForm())
	waitStatus(owner, id, "failed")
	page := "/programs/" + strconv.FormatInt(id, 10)
	body := owner.Get(page).Body
	if strings.Contains(body, `id="retry"`) || !strings.Contains(body, `id="fixed-by"`) || !strings.Contains(body, "administrator") {
		t.Errorf("the owner's page offers Try again or does not say who can fix it:\n%.1500s", body[strings.Index(body, `<div id="program-status"`):])
	}
	admin, _ := newAdmin(t, st, "admin@example.com")
	if body := admin.Get(page).Body; !strings.Contains(body, `id="retry"`) {
		t.Error("the admin's view of the failed program has no Try again")
	}
}
