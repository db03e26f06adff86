-- name: GetTrainingProgram :one
-- The program a training-log read or write is about, with who may see it: the owner, the owner's
-- coach (while they still have the coach role) and admins; for anyone else it does not exist.
SELECT p.id, p.user_id, p.generation_status, p.program, p.input, p.created_at, p.completed_at,
       u.email AS owner_email
FROM training_programs p JOIN users u ON u.id = p.user_id
WHERE p.id = @id
  AND (p.user_id = @viewer_id OR (u.coach_id = @viewer_id AND @viewer_is_coach::boolean) OR @viewer_is_admin::boolean);

-- name: InsertWorkoutSet :execrows
-- A replayed client_key inserts nothing and reports 0 rows: the first write stands.
INSERT INTO workout_sets (program_id, user_id, week, day, exercise_id, set_no, weight_kg, reps, rir, client_key, logged_at)
VALUES (@program_id, @user_id, @week, @day, @exercise_id, @set_no, sqlc.arg(weight_kg)::float8, @reps, sqlc.narg(rir),
        @client_key, coalesce(sqlc.narg(logged_at)::timestamptz, now()))
ON CONFLICT (user_id, client_key) DO NOTHING;

-- name: ListProgramSets :many
-- Every set of a program, the latest row per set (a correction is a new row), in training order.
SELECT DISTINCT ON (week, day, exercise_id, set_no)
       id, week, day, exercise_id, set_no, weight_kg::float8 AS weight_kg, reps, rir, logged_at
FROM workout_sets
WHERE program_id = @program_id
ORDER BY week, day, exercise_id, set_no, logged_at DESC, id DESC;

-- name: UpsertSessionLog :exec
-- Completing a session twice keeps the newest feedback.
INSERT INTO session_logs (program_id, week, day, soreness, pump, joint_pain, painful_exercises, completed_at)
VALUES (@program_id, @week, @day, @soreness, @pump, @joint_pain, @painful_exercises::text[],
        coalesce(sqlc.narg(completed_at)::timestamptz, now()))
ON CONFLICT (program_id, week, day) DO UPDATE
SET soreness = EXCLUDED.soreness, pump = EXCLUDED.pump, joint_pain = EXCLUDED.joint_pain,
    painful_exercises = EXCLUDED.painful_exercises, completed_at = EXCLUDED.completed_at;

-- name: ListSessionLogs :many
SELECT program_id, week, day, soreness, pump, joint_pain, painful_exercises, completed_at
FROM session_logs WHERE program_id = @program_id
ORDER BY week, day;

-- name: SetPreviousProgram :exec
UPDATE training_programs SET previous_program_id = @previous_program_id WHERE id = @id;

-- name: LatestProgramsOfClients :many
-- Each of a coach's clients with their latest program (any status) and its log counts: the
-- coach page's adherence and the batch of next blocks.
SELECT u.id AS user_id, u.email, u.has_paid_access, p.id AS program_id, p.generation_status, p.program, p.input,
       (SELECT count(*) FROM session_logs s WHERE s.program_id = p.id)::int AS sessions_logged,
       -- 'epoch' stands for "never": sqlc maps a non-null timestamptz to time.Time.
       coalesce((SELECT max(s.completed_at) FROM session_logs s WHERE s.program_id = p.id), 'epoch'::timestamptz)::timestamptz AS last_session,
       (SELECT count(*) FROM session_logs s WHERE s.program_id = p.id AND s.joint_pain <> 'none')::int AS pain_flags
FROM users u
JOIN LATERAL (
    SELECT tp.id, tp.generation_status, tp.program, tp.input FROM training_programs tp
    WHERE tp.user_id = u.id ORDER BY tp.created_at DESC, tp.id DESC LIMIT 1
) p ON true
WHERE u.coach_id = @coach_id
ORDER BY u.email;
