-- name: CreateUser :one
INSERT INTO users (email, password_hash, role, has_paid_access, coach_id)
VALUES (lower(@email), @password_hash, @role, @has_paid_access, sqlc.narg(coach_id))
RETURNING *;

-- name: GetUserByID :one
SELECT * FROM users WHERE id = $1;

-- name: GetUserByEmail :one
SELECT * FROM users WHERE lower(email) = lower(@email);

-- name: UpdateUserPasswordHash :exec
UPDATE users SET password_hash = @password_hash, updated_at = now() WHERE id = @id;

-- name: UpsertDemoUser :one
-- Creates or resets a demo account, so `liftplan demo` can run any number of times.
INSERT INTO users (email, password_hash, role, has_paid_access, coach_id)
VALUES (lower(@email), @password_hash, @role, @has_paid_access, sqlc.narg(coach_id))
ON CONFLICT (lower(email)) DO UPDATE
SET password_hash = EXCLUDED.password_hash, role = EXCLUDED.role,
    has_paid_access = EXCLUDED.has_paid_access, coach_id = EXCLUDED.coach_id, updated_at = now()
RETURNING *;
