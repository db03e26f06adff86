-- name: ListCoachClients :many
-- A coach's clients with their latest program (if any).
SELECT u.id, u.email, u.has_paid_access, u.created_at,
       coalesce(lp.id, 0)::bigint AS program_id, coalesce(lp.generation_status::text, '')::text AS program_status,
       coalesce(lp.created_at, u.created_at)::timestamptz AS program_created_at
FROM users u
LEFT JOIN LATERAL (
    SELECT p.id, p.generation_status, p.created_at FROM training_programs p
    WHERE p.user_id = u.id ORDER BY p.created_at DESC, p.id DESC LIMIT 1
) lp ON true
WHERE u.coach_id = @coach_id
ORDER BY u.email;

-- name: GetCoachClient :one
-- The client only if coach_id is their coach (admins pass their own id and is_admin).
SELECT id, email FROM users
WHERE id = @client_id AND (coach_id = @coach_id OR @is_admin::boolean);

-- name: CountProgramsByStatus :many
SELECT generation_status, count(*)::int AS n FROM training_programs GROUP BY generation_status;

-- name: ListProgramsByStatus :many
SELECT p.id, p.user_id, u.email, p.generation_status, p.progress_step, p.attempt, p.generation_no,
       p.generation_error, p.error_detail, p.source, p.created_at, p.updated_at
FROM training_programs p JOIN users u ON u.id = p.user_id
WHERE p.generation_status = @status
ORDER BY p.updated_at DESC, p.id DESC
LIMIT @max_rows;

-- name: QueueStats :one
-- Jobs waiting to run and the age of the oldest pending program.
SELECT
    (SELECT count(*) FROM river_job WHERE state IN ('available', 'retryable', 'scheduled') AND kind = 'generate_program')::int AS queued,
    coalesce((SELECT extract(epoch FROM now() - min(created_at)) FROM training_programs WHERE generation_status = 'pending'), 0)::float8 AS oldest_pending_seconds;

-- name: SearchUsers :many
-- The query is matched literally: backslash, % and _ are escaped (backslash is LIKE's escape).
SELECT u.id, u.email, u.role, u.coach_id, u.has_paid_access, u.created_at, coalesce(c.email, '')::text AS coach_email
FROM users u LEFT JOIN users c ON c.id = u.coach_id
WHERE u.email ILIKE '%' || replace(replace(replace(@query::text, '\', '\\'), '%', '\%'), '_', '\_') || '%'
ORDER BY u.email
LIMIT @max_rows;

-- name: ListCoaches :many
SELECT id, email FROM users WHERE role IN ('coach', 'admin') ORDER BY email;

-- name: UpdateUserAdmin :one
-- An admin's change of role, coach and tier; NULL arguments leave a field unchanged, and
-- set_coach says whether coach_id (possibly NULL: no coach) is to be written.
UPDATE users SET
    role = coalesce(sqlc.narg(role)::user_role, role),
    coach_id = CASE WHEN @set_coach::boolean THEN sqlc.narg(coach_id)::bigint ELSE coach_id END,
    has_paid_access = coalesce(sqlc.narg(has_paid_access)::boolean, has_paid_access),
    updated_at = now()
WHERE id = @id
RETURNING id, email, role, coach_id, has_paid_access;
