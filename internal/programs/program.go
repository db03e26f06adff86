package programs

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"liftplan/internal/auth"
	"liftplan/internal/db/dbq"
	"liftplan/internal/derrors"
	"liftplan/internal/science"
)

// Errors of the program domain; the web error handler maps their kinds to statuses.
var (
	// ErrNotFound: no such program, or not one the viewer may see (404 either way).
	ErrNotFound = derrors.New(derrors.NotFound, "")
	// ErrForbidden: the viewer may see the program but not change it (a coach).
	ErrForbidden = derrors.New(derrors.Forbidden, "Only the program's owner can do that.")
	// ErrConflict: the program is not in a state that allows the action (409).
	ErrConflict = derrors.New(derrors.Conflict, "Only a failed program can be tried again, and not while the same answers are being generated.")
)

// Status is a program's generation_status.
type Status string

// The statuses of a program: pending → processing → completed | failed (and failed → pending on retry).
const (
	StatusPending    Status = Status(dbq.GenerationStatusPending)
	StatusProcessing Status = Status(dbq.GenerationStatusProcessing)
	StatusCompleted  Status = Status(dbq.GenerationStatusCompleted)
	StatusFailed     Status = Status(dbq.GenerationStatusFailed)
)

// Terminal reports whether the status will not change without a retry.
func (s Status) Terminal() bool { return s == StatusCompleted || s == StatusFailed }

// Valid reports whether s is one of the four statuses.
func (s Status) Valid() bool { return dbq.GenerationStatus(s).Valid() }

// Metadata is the scientific_metadata stored with a completed program: the analysis behind it
// and what validation found and fixed.
type Metadata struct {
	LandmarkTable string               `json:"landmark_table"`
	Muscles       []science.MusclePlan `json:"muscles"`
	Warnings      []science.Finding    `json:"warnings"`
	Fixes         []science.Finding    `json:"fixes"`
	Generator     string               `json:"generator"`
	GeneratedIn   string               `json:"generated_in"`
}

// Usage is what an LLM generation cost; nil on a program no LLM wrote.
type Usage struct {
	ModelRequested, Model          string
	PromptTokens, CompletionTokens int
	LatencyMS                      int
	Attempts, Repairs              int
}

// Rights is what the viewer who read a program may do with it.
type Rights struct {
	// Owned: the viewer is the program's owner.
	Owned bool
	// Retry: the viewer may press Try again (owner or admin) once it failed.
	Retry bool
	// Regenerate: the viewer may make a new program from the same answers (owner only).
	Regenerate bool
	// SeeUsage: the viewer may see the LLM accounting (admins).
	SeeUsage bool
}

// Program is one training program as the domain sees it: JSON decoded once, here.
type Program struct {
	ID, UserID   int64
	OwnerEmail   string
	Status       Status
	Step         Step
	GenerationNo int
	Attempt      int
	// Message is the sentence the user reads: the failure, or the retry note while pending.
	Message string
	// Detail is the technical cause, for admins.
	Detail string
	// NeedsOperator: the failure is one only an administrator can fix (quota, credentials,
	// configuration); a retry by the owner would fail the same way.
	NeedsOperator bool
	// Source is builtin, llm or cache; empty until completed.
	Source string
	// Input is the frozen onboarding answers (has_paid_access included).
	Input science.Input
	// Plan is the generated program; nil until completed.
	Plan *science.Program
	// Metadata is the science behind Plan; nil until completed.
	Metadata *Metadata
	// Usage is the LLM accounting; nil unless an LLM wrote it.
	Usage *Usage
	// DraftDays are the labels of the blueprint days an LLM has streamed so far, while
	// processing (the draft column); nil otherwise.
	DraftDays              []string
	CreatedAt              time.Time
	CompletedAt, StartedAt *time.Time
	UpdatedAt              time.Time
	// Viewer is what the viewer who read it may do (zero for lists).
	Viewer Rights

	// inputErr is set when the stored input could not be read (see decodeDoc).
	inputErr error
}

// decodeDoc is the one rule for stored JSON documents: an absent (NULL or empty) document
// leaves v as it is; an unreadable one is an error naming the column. Readers treat an
// unreadable document as absent and say so in the log, so one damaged row never breaks a page.
func decodeDoc(column string, raw []byte, v any) error {
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return fmt.Errorf("stored %s unreadable: %w", column, err)
	}
	return nil
}

// fromViewerRow decodes a row read for viewer.
func fromViewerRow(r dbq.GetProgramForViewerRow, viewer auth.User) (Program, error) {
	p := Program{ID: r.ID, UserID: r.UserID, OwnerEmail: r.OwnerEmail, Status: Status(r.GenerationStatus),
		Step: Step(r.ProgressStep), GenerationNo: int(r.GenerationNo), Attempt: int(r.Attempt),
		Message: deref(r.GenerationError), Detail: deref(r.ErrorDetail), NeedsOperator: r.NeedsOperator, CreatedAt: r.CreatedAt,
		StartedAt: r.StartedAt, CompletedAt: r.CompletedAt, UpdatedAt: r.UpdatedAt}
	if r.Source != nil {
		p.Source = string(*r.Source)
	}
	p.inputErr = decodeDoc("input", r.Input, &p.Input)
	var errs []error
	if p.Status == StatusCompleted {
		var plan science.Program
		var meta Metadata
		perr := decodeDoc("program", r.Program, &plan)
		if perr == nil && len(r.Program) > 0 {
			p.Plan = &plan
		}
		merr := decodeDoc("scientific_metadata", r.ScientificMetadata, &meta)
		if merr == nil && len(r.ScientificMetadata) > 0 {
			p.Metadata = &meta
		}
		errs = append(errs, perr, merr)
	}
	if p.Status == StatusProcessing {
		var days []struct {
			Label string `json:"label"`
		}
		// A draft is only a preview: an unreadable one shows no days and breaks nothing.
		if decodeDoc("draft", r.Draft, &days) == nil {
			for _, d := range days {
				p.DraftDays = append(p.DraftDays, d.Label)
			}
		}
	}
	if p.Source == string(dbq.ProgramSourceLlm) {
		p.Usage = &Usage{ModelRequested: deref(r.ModelRequested), Model: deref(r.Model), PromptTokens: num(r.PromptTokens),
			CompletionTokens: num(r.CompletionTokens), LatencyMS: num(r.LlmLatencyMs), Attempts: num(r.LlmAttempts), Repairs: num(r.RepairAttempts)}
	}
	owned := r.UserID == viewer.ID
	p.Viewer = Rights{Owned: owned, Retry: p.Status == StatusFailed && (owned || viewer.IsAdmin()),
		Regenerate: owned, SeeUsage: viewer.IsAdmin()}
	return p, errors.Join(append(errs, p.inputErr)...)
}

// fromListRow decodes a row of a program history.
func fromListRow(r dbq.ListProgramsByUserRow) (Program, error) {
	p := Program{ID: r.ID, Status: Status(r.GenerationStatus), Step: Step(r.ProgressStep), Attempt: int(r.Attempt),
		Message: deref(r.GenerationError), CreatedAt: r.CreatedAt, CompletedAt: r.CompletedAt}
	if r.Source != nil {
		p.Source = string(*r.Source)
	}
	p.inputErr = decodeDoc("input", r.Input, &p.Input)
	return p, p.inputErr
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func num(n *int32) int {
	if n == nil {
		return 0
	}
	return int(*n)
}
