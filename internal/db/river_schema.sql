-- The part of River's schema that liftplan's own queries read. River creates and migrates the
-- real table (rivermigrate); this file only tells sqlc its shape, so it is never applied.
CREATE TYPE river_job_state AS ENUM ('available', 'cancelled', 'completed', 'discarded', 'pending', 'retryable', 'running', 'scheduled');
CREATE TABLE river_job (
    id          bigint PRIMARY KEY,
    state       river_job_state NOT NULL,
    attempt     smallint NOT NULL,
    max_attempts smallint NOT NULL,
    kind        text NOT NULL,
    args        jsonb NOT NULL,
    queue       text NOT NULL,
    created_at  timestamptz NOT NULL,
    scheduled_at timestamptz NOT NULL,
    finalized_at timestamptz
);
