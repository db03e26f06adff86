-- +goose Up
CREATE TYPE generation_status AS ENUM ('pending', 'processing', 'completed', 'failed');
CREATE TYPE program_source AS ENUM ('builtin', 'llm', 'cache');

CREATE TABLE onboarding_responses (
    user_id    bigint      PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    responses  jsonb       NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE training_programs (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id             bigint            NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    generation_status   generation_status NOT NULL DEFAULT 'pending',
    -- generation_error is safe to show the user; error_detail is for admins only.
    generation_error    text,
    error_detail        text,
    -- generation_no guards every status write: a retry bumps it, so a stale job cannot overwrite it.
    generation_no       integer           NOT NULL DEFAULT 1,
    attempt             integer           NOT NULL DEFAULT 0,
    progress_step       text              NOT NULL DEFAULT 'queued',
    input               jsonb             NOT NULL,
    cache_key           text              NOT NULL,
    source              program_source,
    program             jsonb,
    scientific_metadata jsonb,
    model               text,
    prompt_tokens       integer,
    completion_tokens   integer,
    llm_latency_ms      integer,
    idempotency_key     text,
    river_job_id        bigint,
    created_at          timestamptz       NOT NULL DEFAULT now(),
    started_at          timestamptz,
    completed_at        timestamptz,
    updated_at          timestamptz       NOT NULL DEFAULT now(),
    CHECK (generation_status <> 'completed' OR program IS NOT NULL)
);
CREATE INDEX training_programs_user_created_idx ON training_programs (user_id, created_at DESC);
CREATE INDEX training_programs_open_idx ON training_programs (generation_status, created_at)
    WHERE generation_status IN ('pending', 'processing', 'failed');
CREATE UNIQUE INDEX training_programs_idempotency_key ON training_programs (user_id, idempotency_key);
-- A double click or a second tab joins the generation already in flight instead of starting another.
CREATE UNIQUE INDEX training_programs_inflight_key ON training_programs (user_id, cache_key)
    WHERE generation_status IN ('pending', 'processing');

CREATE TABLE ai_coach_cache (
    cache_key              text        PRIMARY KEY,
    user_id                bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    program                jsonb       NOT NULL,
    scientific_metadata    jsonb       NOT NULL,
    hashed_onboarding_data text        NOT NULL,
    generator_version      text        NOT NULL,
    hit_count              integer     NOT NULL DEFAULT 0,
    created_at             timestamptz NOT NULL DEFAULT now(),
    expires_at             timestamptz NOT NULL
);
CREATE INDEX ai_coach_cache_expires_at_idx ON ai_coach_cache (expires_at);

-- +goose Down
DROP TABLE ai_coach_cache;
DROP TABLE training_programs;
DROP TABLE onboarding_responses;
DROP TYPE program_source;
DROP TYPE generation_status;
