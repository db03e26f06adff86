-- name: InsertAudit :exec
-- Every admin write is recorded: who, what, on what, with details.
INSERT INTO admin_audit (actor_id, action, target, detail) VALUES (@actor_id, @action, @target, @detail);

-- name: ListAudit :many
SELECT a.id, a.actor_id, coalesce(u.email, '(deleted)')::text AS actor_email, a.action, a.target, a.detail, a.at
FROM admin_audit a LEFT JOIN users u ON u.id = a.actor_id
ORDER BY a.at DESC, a.id DESC
LIMIT @max_rows;
