-- +goose Up
-- The LLM usage of the generation behind a cache entry: a hit saves exactly these tokens, and
-- "tokens saved" must not depend on copying usage into every cached program's metadata.
ALTER TABLE ai_coach_cache
    ADD COLUMN prompt_tokens     integer NOT NULL DEFAULT 0,
    ADD COLUMN completion_tokens integer NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE ai_coach_cache DROP COLUMN completion_tokens, DROP COLUMN prompt_tokens;
