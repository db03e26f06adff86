-- +goose Up

-- workout_sets is the training log: one row per logged set. client_key is random per set row of
-- the Today form, so a double tap, a retried request or a replay is one row (ON CONFLICT DO
-- NOTHING). A corrected set is a new row with a new key; readers take the latest per set_no.
CREATE TABLE workout_sets (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    program_id  bigint      NOT NULL REFERENCES training_programs (id) ON DELETE CASCADE,
    user_id     bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    week        integer     NOT NULL CHECK (week BETWEEN 1 AND 52),
    day         integer     NOT NULL CHECK (day BETWEEN 1 AND 7),
    exercise_id text        NOT NULL,
    set_no      integer     NOT NULL CHECK (set_no BETWEEN 1 AND 20),
    weight_kg   numeric(6, 2) NOT NULL CHECK (weight_kg BETWEEN 0 AND 1000),
    reps        integer     NOT NULL CHECK (reps BETWEEN 0 AND 100),
    rir         integer     CHECK (rir BETWEEN 0 AND 10),
    client_key  text        NOT NULL CHECK (length(client_key) BETWEEN 8 AND 64),
    logged_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (user_id, client_key)
);
CREATE INDEX workout_sets_program_idx ON workout_sets (program_id, week, day, exercise_id, set_no);
CREATE INDEX workout_sets_user_exercise_idx ON workout_sets (user_id, exercise_id, logged_at DESC);

-- session_logs is the lifter's feedback on one session; its row marks the session completed.
CREATE TABLE session_logs (
    program_id        bigint      NOT NULL REFERENCES training_programs (id) ON DELETE CASCADE,
    week              integer     NOT NULL,
    day               integer     NOT NULL,
    soreness          text        NOT NULL CHECK (soreness IN ('none', 'mild', 'lasting')),
    pump              text        NOT NULL CHECK (pump IN ('low', 'good', 'great')),
    joint_pain        text        NOT NULL CHECK (joint_pain IN ('none', 'some', 'stop')),
    painful_exercises text[]      NOT NULL DEFAULT '{}',
    completed_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (program_id, week, day)
);

-- +goose Down
DROP TABLE session_logs;
DROP TABLE workout_sets;
