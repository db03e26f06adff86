-- +goose Up
-- LLM accounting on the program row (DESIGN §3, §4): model is what the server says answered;
-- model_requested is what liftplan asked for (servers resolve aliases to snapshots), and the
-- attempt counts show what reliability cost.
ALTER TABLE training_programs
    ADD COLUMN model_requested text,
    ADD COLUMN llm_attempts    integer,
    ADD COLUMN repair_attempts integer;

-- +goose Down
ALTER TABLE training_programs
    DROP COLUMN model_requested,
    DROP COLUMN llm_attempts,
    DROP COLUMN repair_attempts;
