-- name: RecordLoginFailure :exec
INSERT INTO login_failures (email, client_ip) VALUES (lower(@email), @client_ip);

-- name: CountLoginFailures :one
-- Failures inside the window, for the account and for the client address.
SELECT
    count(*) FILTER (WHERE email = lower(@email))::int AS by_email,
    count(*) FILTER (WHERE client_ip = @client_ip)::int AS by_ip
FROM login_failures
WHERE at > now() - make_interval(secs => @within_seconds::int) AND (email = lower(@email) OR client_ip = @client_ip);

-- name: ClearLoginFailures :exec
DELETE FROM login_failures WHERE email = lower(@email);

-- name: DeleteOldLoginFailures :execrows
DELETE FROM login_failures WHERE at < now() - make_interval(secs => @older_than_seconds::int);
