-- Users, their workspaces, refresh-token families, API keys and login lockouts (issue 7).
CREATE TABLE workspaces (
  id         UUID PRIMARY KEY,
  name       TEXT        NOT NULL,
  created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE users (
  id            UUID PRIMARY KEY,
  email         TEXT        NOT NULL UNIQUE,  -- stored lower-case
  password_hash TEXT        NOT NULL,         -- bcrypt
  workspace_id  UUID        NOT NULL REFERENCES workspaces (id),
  admin         BOOLEAN     NOT NULL DEFAULT FALSE,
  created_at    TIMESTAMPTZ NOT NULL
);

-- One family per sign-in; every refresh rotates to a new token of the same family.
CREATE TABLE refresh_families (
  id         UUID PRIMARY KEY,
  user_id    UUID        NOT NULL REFERENCES users (id),
  created_at TIMESTAMPTZ NOT NULL,
  revoked_at TIMESTAMPTZ,
  revoked_reason TEXT
);

CREATE TABLE refresh_tokens (
  token_hash TEXT PRIMARY KEY,               -- SHA-256 of the opaque token; the token itself is never stored
  family_id  UUID        NOT NULL REFERENCES refresh_families (id),
  issued_at  TIMESTAMPTZ NOT NULL,
  expires_at TIMESTAMPTZ NOT NULL,
  used_at    TIMESTAMPTZ
);
CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family_id);

CREATE TABLE api_keys (
  id           UUID PRIMARY KEY,
  user_id      UUID        NOT NULL REFERENCES users (id),
  workspace_id UUID        NOT NULL,
  name         TEXT        NOT NULL,
  key_hash     TEXT        NOT NULL UNIQUE,  -- SHA-256 of the key
  key_prefix   TEXT        NOT NULL,         -- first characters, to recognise a key in a list
  scopes       TEXT[]      NOT NULL,
  created_at   TIMESTAMPTZ NOT NULL,
  last_used_at TIMESTAMPTZ,
  revoked_at   TIMESTAMPTZ
);
CREATE INDEX api_keys_workspace_idx ON api_keys (workspace_id, created_at DESC, id DESC);

CREATE TABLE login_failures (
  email        TEXT PRIMARY KEY,
  failures     INT         NOT NULL,
  first_at     TIMESTAMPTZ NOT NULL,
  locked_until TIMESTAMPTZ
);
