-- +goose Up
-- Sign-in and sign-up throttling as counters, one row per key ("login:<email>|<ip>",
-- "login-ip:<ip>", "login-account:<email>", "signup-ip:<ip>"). A single INSERT … ON CONFLICT DO
-- UPDATE … WHERE takes an attempt atomically, so concurrent attempts cannot race past a limit
-- the way counting failure rows first and inserting after did.
CREATE TABLE auth_throttle (
    key          text        PRIMARY KEY,
    hits         integer     NOT NULL,
    lim          integer     NOT NULL,
    window_start timestamptz NOT NULL DEFAULT now(),
    -- next_at is the earliest next attempt (per-account exponential backoff past the ceiling).
    next_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX auth_throttle_window_start_idx ON auth_throttle (window_start);

-- Replaced by auth_throttle: one row per failure, counted before and inserted after the check.
DROP TABLE login_failures;

-- +goose Down
CREATE TABLE login_failures (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email     text        NOT NULL,
    client_ip inet        NOT NULL,
    at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX login_failures_email_idx ON login_failures (email, at);
CREATE INDEX login_failures_ip_idx ON login_failures (client_ip, at);
DROP TABLE auth_throttle;
