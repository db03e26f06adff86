-- name: ClaimCacheEntry :one
-- A cache hit: the live entry for the key, its hit counted in the same statement (one primary-key
-- probe). The caller runs this under a savepoint and rolls it back when the entry no longer
-- validates, so the count only ever includes entries that were served.
UPDATE ai_coach_cache SET hit_count = hit_count + 1
WHERE cache_key = @cache_key AND expires_at > now()
RETURNING program, prompt_tokens, completion_tokens;

-- name: PutCacheEntry :exec
-- After a generation: a new entry, or a fresh one in place of the old (a regeneration refreshes it).
INSERT INTO ai_coach_cache (cache_key, user_id, program, scientific_metadata, hashed_onboarding_data,
                            generator_version, prompt_tokens, completion_tokens, expires_at)
VALUES (@cache_key, @user_id, @program, @scientific_metadata, @hashed_onboarding_data,
        @generator_version, @prompt_tokens, @completion_tokens, now() + make_interval(secs => @ttl_seconds::float8))
ON CONFLICT (cache_key) DO UPDATE
SET user_id = EXCLUDED.user_id, program = EXCLUDED.program, scientific_metadata = EXCLUDED.scientific_metadata,
    hashed_onboarding_data = EXCLUDED.hashed_onboarding_data, generator_version = EXCLUDED.generator_version,
    prompt_tokens = EXCLUDED.prompt_tokens, completion_tokens = EXCLUDED.completion_tokens,
    hit_count = 0, created_at = now(), expires_at = EXCLUDED.expires_at;

-- name: DeleteExpiredCacheEntries :execrows
DELETE FROM ai_coach_cache WHERE expires_at <= now();

-- name: DeleteAllCacheEntries :execrows
DELETE FROM ai_coach_cache;

-- name: CacheSize :one
-- Rows and on-disk bytes (table, indexes and TOAST) for /metrics and /admin.
SELECT count(*)::bigint AS entries, pg_total_relation_size('ai_coach_cache'::regclass)::bigint AS bytes
FROM ai_coach_cache;

-- name: InsertCachedProgram :one
-- A cache hit is a new program row, completed at once (ADR-049: the history shows every request).
-- The program is copied inside the database (the caller claimed the entry in this transaction, so
-- it is locked and unchanged) instead of travelling to the client and back: it is ~60 KB.
-- attempt stays 0 because no generation attempt ran. A conflicting idempotency key returns no row:
-- the caller then joins the program that key already made.
INSERT INTO training_programs (user_id, generation_status, attempt, progress_step, input, cache_key,
                               source, program, scientific_metadata, idempotency_key, started_at, completed_at)
SELECT @user_id, 'completed', 0, 'store', @input, c.cache_key, 'cache', c.program, c.scientific_metadata,
       sqlc.narg(idempotency_key), now(), now()
FROM ai_coach_cache c
WHERE c.cache_key = @cache_key
ON CONFLICT DO NOTHING
RETURNING id;

-- name: CacheEntryLive :one
-- A cheap probe before the submit transaction: only when an entry exists does the hit path (a
-- savepoint, the claim, re-validation) run; a miss pays one primary-key lookup.
SELECT EXISTS (SELECT 1 FROM ai_coach_cache WHERE cache_key = @cache_key AND expires_at > now());
