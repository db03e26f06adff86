// Package audit records admin writes in admin_audit, always inside the transaction of the write
// itself, so a change and its record commit (or vanish) together.
package audit

import (
	"context"
	"encoding/json"
	"fmt"

	"liftplan/internal/db/dbq"
)

// Record writes one audit row: who (actorID) did what (action) to what (target), with details.
func Record(ctx context.Context, q *dbq.Queries, actorID int64, action, target string, detail map[string]any) error {
	if detail == nil {
		detail = map[string]any{}
	}
	b, err := json.Marshal(detail)
	if err != nil {
		return fmt.Errorf("audit %s: %w", action, err)
	}
	if err := q.InsertAudit(ctx, dbq.InsertAuditParams{ActorID: &actorID, Action: action, Target: target, Detail: b}); err != nil {
		return fmt.Errorf("audit %s: %w", action, err)
	}
	return nil
}
