package generation

import (
	"context"
	"errors"
	"fmt"
	"time"

	"liftplan/internal/db/dbq"
	"liftplan/internal/derrors"
)

// statusWriteTimeout bounds the failure write, which runs even when the job's context is dead.
const statusWriteTimeout = 10 * time.Second

// Sentences of a failure that carries none of its own.
const (
	msgGenericFailure = "We could not generate your program. Press Try again to start a new attempt."
	msgTooLong        = "Generating your program took too long, even after retrying. Press Try again to start a new attempt."
	msgRetrying       = "The generator had a hiccup; retrying (attempt %d of %d)."
)

// fail records the failure: failed at once when permanent or on the last attempt, otherwise
// "retrying" while River waits to run the next attempt. It returns the error for River: a
// failed program's error is permanent, so the job is never run again.
func (r *Runner) fail(ctx context.Context, st *run, err error) error {
	job, log := st.job, st.log
	if ctx.Err() != nil && !errors.Is(ctx.Err(), context.DeadlineExceeded) {
		log.Warn("generation interrupted", "error", err)
		return fmt.Errorf("%w: %w", ErrInterrupted, err)
	}
	// The job's own context may be dead (timeout); the status write must still happen.
	wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), statusWriteTimeout)
	defer cancel()
	detail := err.Error()
	last := job.Attempt >= job.MaxAttempts
	if !derrors.IsPermanent(err) && !last {
		msg := fmt.Sprintf(msgRetrying, job.Attempt+1, job.MaxAttempts)
		if _, werr := r.q.WaitForRetry(wctx, dbq.WaitForRetryParams{ID: job.ProgramID, GenerationNo: job.GenerationNo, GenerationError: &msg, ErrorDetail: &detail}); werr != nil {
			log.Error("mark program retrying", "error", werr)
		}
		log.Warn("generation attempt failed; River will retry", "error", err)
		return err
	}
	msg := failureMessage(err)
	// needs_operator: the page then tells the owner who can fix it instead of offering a retry.
	if _, werr := r.q.FailProgram(wctx, dbq.FailProgramParams{ID: job.ProgramID, GenerationNo: job.GenerationNo,
		GenerationError: &msg, ErrorDetail: &detail, NeedsOperator: derrors.NeedsOperator(err)}); werr != nil {
		log.Error("mark program failed", "error", werr)
		return fmt.Errorf("%w (and marking it failed: %v)", err, werr)
	}
	log.Warn("generation failed", "error", err, "last_attempt", last)
	if derrors.IsPermanent(err) {
		return err
	}
	return derrors.Permanent(msg, err)
}

// failureMessage is the sentence a failed program shows: the error's own (the generator knows
// best what went wrong: quota, refusal, unusable answers), else one for a timeout, else a
// generic one.
func failureMessage(err error) string {
	if msg := derrors.UserMessage(err); msg != "" {
		return msg
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return msgTooLong
	}
	return msgGenericFailure
}
