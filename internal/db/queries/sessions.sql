-- name: GetSession :one
-- An expired row is treated as missing; the janitor deletes it later. The signed-in user comes
-- along in the same round trip (every request needs both).
SELECT s.id_hash, s.data, s.created_at, s.expires_at, s.user_id,
       u.email AS user_email, u.role AS user_role, u.coach_id AS user_coach_id,
       u.has_paid_access AS user_has_paid_access, u.created_at AS user_created_at
FROM sessions s LEFT JOIN users u ON u.id = s.user_id
WHERE s.id_hash = $1 AND s.expires_at > now();

-- name: UpsertSession :exec
INSERT INTO sessions (id_hash, user_id, data, expires_at)
VALUES (@id_hash, sqlc.narg(user_id), @data, @expires_at)
ON CONFLICT (id_hash) DO UPDATE
SET user_id = EXCLUDED.user_id, data = EXCLUDED.data, last_seen_at = now(),
    expires_at = LEAST(EXCLUDED.expires_at, sessions.created_at + make_interval(secs => @absolute_seconds::int));

-- name: DeleteSession :exec
DELETE FROM sessions WHERE id_hash = $1;

-- name: DeleteUserSessions :exec
DELETE FROM sessions WHERE user_id = $1;

-- name: DeleteExpiredSessions :execrows
DELETE FROM sessions WHERE expires_at <= now();
