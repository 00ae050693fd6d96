-- Accounts, server-side sessions and API tokens. Session ids and tokens are random
-- secrets handed to the client once; only their SHA-256 is stored, so a leaked
-- database cannot be replayed as a sign-in.
CREATE TABLE users (
  id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email               text NOT NULL CHECK (email = lower(email) AND length(email) BETWEEN 3 AND 254),
  name                text NOT NULL DEFAULT '',
  password_hash       text NOT NULL,
  role                text NOT NULL CHECK (role IN ('admin', 'annotator', 'viewer')),
  disabled_at         timestamptz,
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now(),
  password_changed_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email_key ON users (email);

CREATE TABLE sessions (
  id_hash      text PRIMARY KEY,
  user_id      uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at   timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz NOT NULL,
  user_agent   text,
  address      text
);
CREATE INDEX sessions_user_idx ON sessions (user_id);

CREATE TABLE api_tokens (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id      uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name         text NOT NULL,
  role         text NOT NULL CHECK (role IN ('admin', 'annotator', 'viewer')),
  token_hash   text NOT NULL UNIQUE,
  -- the first characters of the token, so a person can tell their tokens apart
  prefix       text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  revoked_at   timestamptz
);
CREATE INDEX api_tokens_user_idx ON api_tokens (user_id);

-- Who added each video (upload, CLI, demo seeding). NULL only for videos added before
-- the first account existed; creating the first admin claims them.
ALTER TABLE videos ADD COLUMN added_by uuid REFERENCES users (id) ON DELETE SET NULL;
CREATE INDEX videos_added_by_idx ON videos (added_by);
