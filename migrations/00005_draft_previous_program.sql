-- +goose Up
-- draft holds the blueprint days an LLM has written so far while it streams (DESIGN §3, §4), so
-- every process can show them; it is cleared when a run starts and when the program completes.
-- previous_program_id is the block a next block follows (issue 17); added here with draft so the
-- two columns arrive in one migration.
ALTER TABLE training_programs
    ADD COLUMN draft               jsonb,
    ADD COLUMN previous_program_id bigint REFERENCES training_programs (id) ON DELETE SET NULL;

CREATE INDEX training_programs_previous_program_id_idx ON training_programs (previous_program_id)
    WHERE previous_program_id IS NOT NULL;

-- +goose Down
DROP INDEX IF EXISTS training_programs_previous_program_id_idx;
ALTER TABLE training_programs
    DROP COLUMN previous_program_id,
    DROP COLUMN draft;
