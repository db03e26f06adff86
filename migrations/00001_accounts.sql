-- +goose Up
CREATE TYPE user_role AS ENUM ('user', 'coach', 'admin');

CREATE TABLE users (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email           text        NOT NULL CHECK (email = lower(email) AND length(email) BETWEEN 3 AND 254),
    password_hash   text        NOT NULL,
    role            user_role   NOT NULL DEFAULT 'user',
    coach_id        bigint      REFERENCES users (id) ON DELETE SET NULL CHECK (coach_id <> id),
    has_paid_access boolean     NOT NULL DEFAULT false,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);
-- Emails are stored lower-cased; the index on lower() makes the uniqueness case-insensitive even if
-- a future code path forgets to normalise.
CREATE UNIQUE INDEX users_email_key ON users (lower(email));
CREATE INDEX users_coach_id_idx ON users (coach_id) WHERE coach_id IS NOT NULL;

-- Server-side sessions: the cookie holds a signed random id, the table holds only its SHA-256, so a
-- database leak does not hand out live sessions. Deleting the row logs the browser out at once.
CREATE TABLE sessions (
    id_hash      bytea       PRIMARY KEY,
    user_id      bigint      REFERENCES users (id) ON DELETE CASCADE,
    data         jsonb       NOT NULL DEFAULT '{}',
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_seen_at timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL
);
CREATE INDEX sessions_expires_at_idx ON sessions (expires_at);
CREATE INDEX sessions_user_id_idx ON sessions (user_id) WHERE user_id IS NOT NULL;

-- Failed sign-ins, counted per account and per client IP across every instance.
CREATE TABLE login_failures (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email     text        NOT NULL,
    client_ip inet        NOT NULL,
    at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX login_failures_email_idx ON login_failures (email, at);
CREATE INDEX login_failures_ip_idx ON login_failures (client_ip, at);

CREATE TABLE admin_audit (
    id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    actor_id bigint      REFERENCES users (id) ON DELETE SET NULL,
    action   text        NOT NULL,
    target   text        NOT NULL,
    detail   jsonb       NOT NULL DEFAULT '{}',
    at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX admin_audit_at_idx ON admin_audit (at DESC);

-- +goose Down
DROP TABLE admin_audit;
DROP TABLE login_failures;
DROP TABLE sessions;
DROP TABLE users;
DROP TYPE user_role;
