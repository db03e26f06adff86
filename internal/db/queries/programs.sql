-- name: UpsertOnboarding :exec
INSERT INTO onboarding_responses (user_id, responses) VALUES (@user_id, @responses)
ON CONFLICT (user_id) DO UPDATE SET responses = EXCLUDED.responses, updated_at = now();

-- name: GetOnboarding :one
SELECT responses FROM onboarding_responses WHERE user_id = $1;

-- name: InsertPendingProgram :one
-- Saves the answers as the user's latest and inserts the pending program, in one statement (one
-- round trip on the hot path). Conflicts on the idempotency key or the in-flight cache key
-- return no row: the caller then joins the existing program instead of starting a second one.
WITH answers AS (
    INSERT INTO onboarding_responses (user_id, responses) VALUES (@user_id, @responses)
    ON CONFLICT (user_id) DO UPDATE SET responses = EXCLUDED.responses, updated_at = now()
)
INSERT INTO training_programs (user_id, input, cache_key, idempotency_key)
VALUES (@user_id, @input, @cache_key, sqlc.narg(idempotency_key))
ON CONFLICT DO NOTHING
RETURNING id, generation_no, created_at;

-- name: FindJoinableProgram :one
-- The program a conflicting submit joins: same idempotency key, or the same answers in flight.
SELECT id FROM training_programs
WHERE user_id = @user_id
  AND ((sqlc.narg(idempotency_key)::text IS NOT NULL AND idempotency_key = sqlc.narg(idempotency_key)::text)
    OR (cache_key = @cache_key AND generation_status IN ('pending', 'processing')))
ORDER BY (idempotency_key IS NOT DISTINCT FROM sqlc.narg(idempotency_key)::text) DESC, id DESC
LIMIT 1;

-- name: NotifyProgram :exec
SELECT pg_notify('program_status', sqlc.arg(program_id)::text);

-- name: GetProgramForViewer :one
-- Authorisation lives in the query: the owner, the owner's coach (while they still have the coach
-- role) and admins see a program; for anyone else it does not exist.
SELECT p.*, u.email AS owner_email, u.coach_id AS owner_coach_id
FROM training_programs p JOIN users u ON u.id = p.user_id
WHERE p.id = @id
  AND (p.user_id = @viewer_id OR (u.coach_id = @viewer_id AND @viewer_is_coach::boolean) OR @viewer_is_admin::boolean);

-- name: ListProgramsByUser :many
SELECT id, generation_status, progress_step, attempt, source, input, created_at, completed_at, generation_error
FROM training_programs WHERE user_id = $1
ORDER BY created_at DESC, id DESC
LIMIT 200;

-- The pipeline's status writes below each change the row and notify program_status in ONE
-- statement (a data-modifying CTE): atomic on its own, one round trip, one commit.

-- name: StartProgram :one
-- The load stage: claims the program for this job run. No row means the job is stale (a newer
-- retry exists, or the program finished already) and must do nothing.
WITH claimed AS (
    UPDATE training_programs
    SET generation_status = 'processing', progress_step = 'load', attempt = @attempt,
        river_job_id = @river_job_id, started_at = coalesce(started_at, now()), draft = NULL, updated_at = now()
    WHERE id = @id AND generation_no = @generation_no AND generation_status IN ('pending', 'processing')
    RETURNING id, input, user_id, cache_key
)
SELECT input, user_id, cache_key, pg_notify('program_status', id::text)::text AS notified FROM claimed;

-- name: SetProgramStep :execrows
WITH stepped AS (
    UPDATE training_programs SET progress_step = @step, updated_at = now()
    WHERE id = @id AND generation_no = @generation_no AND generation_status = 'processing'
    RETURNING id
)
SELECT pg_notify('program_status', id::text) FROM stepped;

-- name: SetProgramDraft :execrows
-- The blueprint days an LLM has written so far (a JSON array), stored as each day arrives
-- complete so every process's status element can show them.
WITH drafted AS (
    UPDATE training_programs SET draft = @draft, updated_at = now()
    WHERE id = @id AND generation_no = @generation_no AND generation_status = 'processing'
    RETURNING id
)
SELECT pg_notify('program_status', id::text) FROM drafted;

-- name: CompleteProgram :execrows
WITH completed AS (
UPDATE training_programs
SET generation_status = 'completed', progress_step = 'store', program = @program,
    scientific_metadata = @scientific_metadata, source = @source, model = sqlc.narg(model),
    prompt_tokens = sqlc.narg(prompt_tokens), completion_tokens = sqlc.narg(completion_tokens),
    llm_latency_ms = sqlc.narg(llm_latency_ms), model_requested = sqlc.narg(model_requested),
    llm_attempts = sqlc.narg(llm_attempts), repair_attempts = sqlc.narg(repair_attempts),
    generation_error = NULL, error_detail = NULL, needs_operator = false, draft = NULL,
    completed_at = now(), updated_at = now()
WHERE id = @id AND generation_no = @generation_no AND generation_status = 'processing'
RETURNING id
)
SELECT pg_notify('program_status', id::text) FROM completed;

-- name: FailProgram :execrows
WITH failed AS (
    UPDATE training_programs
    SET generation_status = 'failed', generation_error = @generation_error, error_detail = @error_detail,
        needs_operator = @needs_operator, completed_at = now(), updated_at = now()
    WHERE id = @id AND generation_no = @generation_no AND generation_status IN ('pending', 'processing')
    RETURNING id
)
SELECT pg_notify('program_status', id::text) FROM failed;

-- name: WaitForRetry :execrows
-- A transient failure: back to pending until River runs the next attempt; the message says so.
WITH waiting AS (
    UPDATE training_programs
    SET generation_status = 'pending', progress_step = 'retry_wait', generation_error = @generation_error,
        error_detail = @error_detail, updated_at = now()
    WHERE id = @id AND generation_no = @generation_no AND generation_status = 'processing'
    RETURNING id
)
SELECT pg_notify('program_status', id::text) FROM waiting;

-- name: RequeueProgram :execrows
-- Graceful shutdown handed the job back to River: pending again, nothing burned.
WITH requeued AS (
    UPDATE training_programs
    SET generation_status = 'pending', progress_step = 'queued', updated_at = now()
    WHERE id = @id AND generation_no = @generation_no AND generation_status = 'processing'
    RETURNING id
)
SELECT pg_notify('program_status', id::text) FROM requeued;

-- name: RetryFailedProgram :one
-- Only a failed program may be retried; the new generation_no makes any old job stale.
UPDATE training_programs
SET generation_status = 'pending', generation_no = generation_no + 1, attempt = 0,
    progress_step = 'queued', generation_error = NULL, error_detail = NULL, needs_operator = false, river_job_id = NULL,
    started_at = NULL, completed_at = NULL, updated_at = now()
WHERE id = @id AND generation_status = 'failed'
RETURNING id, user_id, generation_no, input;

-- name: ReconcileOrphanedPrograms :many
-- Programs still pending or processing whose River job was discarded or cancelled, or no
-- longer exists, will never finish on their own: fail them (and notify, in the same statement)
-- so users and admins see it.
WITH failed AS (
    UPDATE training_programs p
    SET generation_status = 'failed',
        generation_error = 'The generation was interrupted. Press Try again to start it once more.',
        error_detail = 'reconciler: no live river job for generation ' || p.generation_no || ' (discarded, cancelled or deleted)',
        completed_at = now(), updated_at = now()
    WHERE p.generation_status IN ('pending', 'processing')
      AND p.updated_at < now() - make_interval(secs => @older_than_seconds::int)
      -- Found by its arguments (River's GIN index on args): submit does not spend a statement
      -- on linking the job id; the worker records river_job_id when it starts.
      AND NOT EXISTS (
          SELECT 1 FROM river_job j
          WHERE j.kind = 'generate_program'
            AND j.args @> jsonb_build_object('program_id', p.id, 'generation_no', p.generation_no)
            AND j.state IN ('available', 'pending', 'running', 'retryable', 'scheduled'))
    RETURNING p.id
)
SELECT id, pg_notify('program_status', id::text) FROM failed;

-- name: RetryAllFailedPrograms :many
-- Every failed program back to pending with a new generation_no, except where the same answers
-- of the same user are already in flight (or would be twice): those stay failed for now.
WITH candidates AS (
    SELECT DISTINCT ON (f.user_id, f.cache_key) f.id
    FROM training_programs f
    WHERE f.generation_status = 'failed'
      AND NOT EXISTS (
          SELECT 1 FROM training_programs x
          WHERE x.user_id = f.user_id AND x.cache_key = f.cache_key AND x.generation_status IN ('pending', 'processing'))
    ORDER BY f.user_id, f.cache_key, f.id DESC
    LIMIT @max_rows
)
UPDATE training_programs p
SET generation_status = 'pending', generation_no = p.generation_no + 1, attempt = 0,
    progress_step = 'queued', generation_error = NULL, error_detail = NULL, needs_operator = false, river_job_id = NULL,
    started_at = NULL, completed_at = NULL, updated_at = now()
FROM candidates c
WHERE p.id = c.id AND p.generation_status = 'failed'
RETURNING p.id, p.user_id, p.generation_no, p.input;

-- name: ProgramStatsSince :one
-- Generations finished since a moment, and how many of them failed (admin dashboard).
SELECT count(*) FILTER (WHERE generation_status IN ('completed', 'failed'))::int AS finished,
       count(*) FILTER (WHERE generation_status = 'failed')::int AS failed
FROM training_programs WHERE completed_at >= @since::timestamptz;

-- name: ProgramExists :one
SELECT EXISTS (SELECT 1 FROM training_programs WHERE id = $1);

-- name: NotifyPrograms :exec
-- Wakes the watchers of many programs at once (retry all failed).
SELECT pg_notify('program_status', id::text) FROM unnest(@ids::bigint[]) AS id;
