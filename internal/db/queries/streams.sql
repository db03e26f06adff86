-- name: GetProgramForStream :one
-- The one read per status change shared by every SSE stream of the program: the row exactly as
-- GetProgramForViewer returns it, without a viewer (StreamViewers checks each stream's access).
SELECT p.*, u.email AS owner_email, u.coach_id AS owner_coach_id
FROM training_programs p JOIN users u ON u.id = p.user_id
WHERE p.id = @id;

-- name: StreamViewers :many
-- Which of the streams' sessions are still signed in and may still see the program: the rule of
-- GetProgramForViewer (owner, the owner's coach while a coach, admins), for all streams at once.
SELECT s.id_hash
FROM sessions s
JOIN users v ON v.id = s.user_id
JOIN training_programs p ON p.id = @program_id
JOIN users o ON o.id = p.user_id
WHERE s.id_hash = ANY(@session_hashes::bytea[]) AND s.expires_at > now()
  AND (p.user_id = v.id OR (o.coach_id = v.id AND v.role IN ('coach', 'admin')) OR v.role = 'admin');
