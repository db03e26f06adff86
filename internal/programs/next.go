package programs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"liftplan/internal/auth"
	"liftplan/internal/cache"
	"liftplan/internal/db"
	"liftplan/internal/db/dbq"
	"liftplan/internal/science"
)

// NextBlock is one next block to start: whose, and the input it is generated from (with
// previous_program_id and log_summary, built by internal/training).
type NextBlock struct {
	User  auth.User
	Input science.Input
}

// SubmitNext starts a next block (in carries previous_program_id and log_summary) through the
// same path as Submit: cache, or one transaction with the pending row and its River job.
func (s *Service) SubmitNext(ctx context.Context, u auth.User, in science.Input) (int64, error) {
	res, err := s.submit(ctx, u, Form{Input: in}, false)
	return res.ProgramID, err
}

// SubmitNextBlocks starts many next blocks (a coach's batch) in ONE transaction: a pending row
// per block and all their River jobs in one InsertManyTx. A block whose identical input is
// already in flight joins it and starts no job. It returns the ids of the programs started.
func (s *Service) SubmitNextBlocks(ctx context.Context, blocks []NextBlock) ([]int64, error) {
	var ids []int64
	err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		q := s.q.WithTx(tx)
		ids = ids[:0]
		params := make([]river.InsertManyParams, 0, len(blocks))
		for _, b := range blocks {
			in := b.Input.Normalize()
			in.HasPaidAccess = b.User.HasPaidAccess
			inputJSON, err := json.Marshal(in)
			if err != nil {
				return err
			}
			answers := in
			answers.HasPaidAccess, answers.PreviousProgramID, answers.LogSummary = false, 0, nil
			answersJSON, _ := json.Marshal(answers)
			row, err := q.InsertPendingProgram(ctx, dbq.InsertPendingProgramParams{UserID: b.User.ID, Input: inputJSON,
				CacheKey: cache.Key(b.User.ID, in, s.generatorVersion), Responses: answersJSON})
			if errors.Is(err, pgx.ErrNoRows) {
				continue // the same next block is already being generated
			}
			if err != nil {
				return fmt.Errorf("insert next block for user %d: %w", b.User.ID, err)
			}
			if err := linkPrevious(ctx, q, row.ID, in.PreviousProgramID); err != nil {
				return err
			}
			ids = append(ids, row.ID)
			params = append(params, river.InsertManyParams{Args: GenerateProgramArgs{ProgramID: row.ID, GenerationNo: row.GenerationNo},
				InsertOpts: InsertOptsFor(in.HasPaidAccess)})
		}
		if len(params) == 0 {
			return nil
		}
		if _, err := s.jobs.InsertManyTx(ctx, tx, params); err != nil {
			return fmt.Errorf("insert jobs: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("submit next blocks: %w", err)
	}
	return ids, nil
}

// linkPrevious records the block a next block follows (no-op for a first block).
func linkPrevious(ctx context.Context, q *dbq.Queries, id, previous int64) error {
	if previous == 0 {
		return nil
	}
	if err := q.SetPreviousProgram(ctx, dbq.SetPreviousProgramParams{ID: id, PreviousProgramID: &previous}); err != nil {
		return fmt.Errorf("link previous program: %w", err)
	}
	return nil
}
