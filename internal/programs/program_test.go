package programs

import (
	"encoding/json"
	"testing"

	"liftplan/internal/auth"
	"liftplan/internal/db/dbq"
)

// TestDecodeRule: a readable row decodes once into the domain type; an unreadable document is
// reported and treated as absent, never as a broken page; rights follow the viewer.
func TestDecodeRule(t *testing.T) {
	llm := dbq.ProgramSourceLlm
	model, tokens := "gpt-test", int32(1200)
	base := dbq.GetProgramForViewerRow{ID: 7, UserID: 1, GenerationStatus: dbq.GenerationStatusCompleted, ProgressStep: "store",
		Input: json.RawMessage(`{"goal":"strength","days_per_week":3}`), Program: json.RawMessage(`{"name":"Block A","weeks":[]}`),
		ScientificMetadata: json.RawMessage(`{"landmark_table":"RP"}`), Source: &llm, Model: &model, CompletionTokens: &tokens}
	owner := auth.User{ID: 1, Role: auth.RoleUser}

	p, err := fromViewerRow(base, owner)
	if err != nil {
		t.Fatalf("readable row: %v", err)
	}
	if p.Input.Goal != "strength" || p.Input.DaysPerWeek != 3 || p.Plan == nil || p.Plan.Name != "Block A" ||
		p.Metadata == nil || p.Metadata.LandmarkTable != "RP" || p.Usage == nil || p.Usage.Model != model || p.Usage.CompletionTokens != 1200 {
		t.Errorf("decoded %+v", p)
	}
	if !p.Viewer.Owned || !p.Viewer.Regenerate || p.Viewer.Retry || p.Viewer.SeeUsage {
		t.Errorf("owner's rights on a completed program = %+v", p.Viewer)
	}

	bad := base
	bad.Program = json.RawMessage(`{"name":`)
	p, err = fromViewerRow(bad, owner)
	if err == nil {
		t.Error("an unreadable program was not reported")
	}
	if p.Plan != nil || p.Metadata == nil || p.Input.Goal != "strength" {
		t.Errorf("unreadable program: Plan %v, Metadata %v, Input %+v; want only the plan absent", p.Plan, p.Metadata, p.Input)
	}

	failed := base
	failed.GenerationStatus = dbq.GenerationStatusFailed
	admin := auth.User{ID: 9, Role: auth.RoleAdmin}
	p, _ = fromViewerRow(failed, admin)
	if p.Plan != nil || !p.Viewer.Retry || p.Viewer.Regenerate || p.Viewer.Owned || !p.Viewer.SeeUsage {
		t.Errorf("admin on a failed program: plan %v, rights %+v", p.Plan, p.Viewer)
	}
}
