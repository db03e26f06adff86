-- name: TakeThrottle :many
-- Takes one attempt from every key at once, atomically per row: a key inside its window and at
-- its limit is not counted and not returned, so "all keys returned" means the attempt may go on.
-- Concurrent attempts serialise on the row lock; exactly lim of them get through per window.
-- Keys are always passed in the same order, so two statements never lock each other's rows.
INSERT INTO auth_throttle AS t (key, hits, lim)
SELECT (@keys::text[])[i], 1, (@limits::int[])[i] FROM generate_subscripts(@keys::text[], 1) AS i
ON CONFLICT (key) DO UPDATE
SET hits = CASE WHEN t.window_start <= now() - make_interval(secs => @window_seconds::int) THEN 1 ELSE t.hits + 1 END,
    window_start = CASE WHEN t.window_start <= now() - make_interval(secs => @window_seconds::int) THEN now() ELSE t.window_start END,
    lim = EXCLUDED.lim
WHERE t.window_start <= now() - make_interval(secs => @window_seconds::int) OR t.hits < EXCLUDED.lim
RETURNING t.key;

-- name: TakeAccountAttempt :one
-- The per-account ceiling: the first lim attempts in a window are free; past it each attempt
-- must wait until next_at, which doubles with every attempt (1 s, 2 s, 4 s … capped). A refused
-- attempt changes nothing and returns no row. Attackers spread over many addresses slow down;
-- the owner is never locked out for longer than the cap. next_at uses clock_timestamp(), not
-- now(): a statement that waited on the row lock started before the row's last change, and its
-- transaction time would wrongly be "before next_at".
INSERT INTO auth_throttle AS t (key, hits, lim, next_at)
VALUES (@key, 1, @ceiling::int, clock_timestamp())
ON CONFLICT (key) DO UPDATE
SET hits = CASE WHEN t.window_start <= now() - make_interval(secs => @window_seconds::int) THEN 1 ELSE t.hits + 1 END,
    window_start = CASE WHEN t.window_start <= now() - make_interval(secs => @window_seconds::int) THEN now() ELSE t.window_start END,
    lim = EXCLUDED.lim,
    next_at = CASE
        WHEN t.window_start <= now() - make_interval(secs => @window_seconds::int) OR t.hits + 1 <= EXCLUDED.lim THEN clock_timestamp()
        ELSE clock_timestamp() + LEAST(make_interval(secs => power(2, LEAST(t.hits + 1 - EXCLUDED.lim, 30))::float8),
                                       make_interval(secs => @max_backoff_seconds::int))
    END
WHERE t.window_start <= now() - make_interval(secs => @window_seconds::int) OR t.hits < EXCLUDED.lim
   OR t.next_at <= clock_timestamp()
RETURNING t.hits;

-- name: RefundThrottle :exec
-- Gives back an attempt taken by TakeThrottle (a successful sign-in is not a failure).
UPDATE auth_throttle SET hits = GREATEST(hits - 1, 0) WHERE key = ANY(@keys::text[]);

-- name: ClearThrottle :exec
DELETE FROM auth_throttle WHERE key = ANY(@keys::text[]);

-- name: DeleteOldLoginFailures :execrows
-- Throttle rows whose window and backoff are long over (the janitor).
DELETE FROM auth_throttle
WHERE window_start < now() - make_interval(secs => @older_than_seconds::int) AND next_at < now();
