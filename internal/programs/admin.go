package programs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/riverqueue/river"

	"liftplan/internal/audit"
	"liftplan/internal/auth"
	"liftplan/internal/db"
	"liftplan/internal/jobs"
	"liftplan/internal/science"
)

// maxRetryAll bounds one "retry all failed" click; a second click takes the next batch.
const maxRetryAll = 1000

// AdminRetry retries one failed program on an admin's behalf and records it in admin_audit, in
// the transaction that flips the status and inserts the job: two admins clicking at once make
// one job (the second finds the program no longer failed: ErrConflict).
func (s *Service) AdminRetry(ctx context.Context, admin auth.User, id int64) error {
	if !admin.IsAdmin() {
		return ErrForbidden
	}
	err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		row, err := s.retryTx(ctx, tx, id)
		if err != nil {
			return err
		}
		return audit.Record(ctx, s.q.WithTx(tx), admin.ID, "program.retry", "program:"+strconv.FormatInt(id, 10), map[string]any{"generation_no": row.GenerationNo})
	})
	if err != nil {
		return fmt.Errorf("admin retry of program %d: %w", id, err)
	}
	return nil
}

// AdminRetryAll retries every failed program (up to a batch of 1,000) in one transaction and
// returns how many it started.
func (s *Service) AdminRetryAll(ctx context.Context, admin auth.User) (int, error) {
	if !admin.IsAdmin() {
		return 0, ErrForbidden
	}
	var n int
	err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		q := s.q.WithTx(tx)
		rows, err := q.RetryAllFailedPrograms(ctx, maxRetryAll)
		if isUniqueViolation(err) {
			return fmt.Errorf("%w: programs changed while retrying; try again", ErrConflict)
		}
		if err != nil {
			return err
		}
		n = len(rows)
		if n == 0 {
			return audit.Record(ctx, q, admin.ID, "program.retry_all", "programs", map[string]any{"count": 0, "program_ids": []int64{}})
		}
		// One statement for all the jobs and one for all the notifications, whatever the count.
		ids := make([]int64, n)
		params := make([]river.InsertManyParams, n)
		for i, r := range rows {
			ids[i] = r.ID
			params[i] = river.InsertManyParams{Args: jobs.GenerateProgramArgs{ProgramID: r.ID, GenerationNo: r.GenerationNo}, InsertOpts: jobs.InsertOptsFor(paidOf(r.Input))}
		}
		if _, err := s.jobs.InsertManyTx(ctx, tx, params); err != nil {
			return fmt.Errorf("insert jobs: %w", err)
		}
		if err := q.NotifyPrograms(ctx, ids); err != nil {
			return err
		}
		return audit.Record(ctx, q, admin.ID, "program.retry_all", "programs", map[string]any{"count": n, "program_ids": ids})
	})
	if err != nil {
		return 0, fmt.Errorf("admin retry all: %w", err)
	}
	return n, nil
}

func paidOf(input []byte) bool {
	var in science.Input
	_ = json.Unmarshal(input, &in)
	return in.HasPaidAccess
}

func isUniqueViolation(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == "23505"
}
