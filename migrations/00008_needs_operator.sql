-- +goose Up
-- A failure only an operator can fix (exhausted quota, rejected credentials, a provider that
-- refuses our configuration) is recorded as such by the pipeline, so the page offers the owner
-- no Try again and says who can fix it, without reading meaning into the message's words.
ALTER TABLE training_programs
    ADD COLUMN needs_operator boolean NOT NULL DEFAULT false;

-- +goose Down
ALTER TABLE training_programs
    DROP COLUMN needs_operator;
