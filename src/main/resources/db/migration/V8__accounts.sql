-- Connected platform accounts. Tokens and the PKCE verifier are stored only as TokenCipher ciphertext
-- ('v1:<keyId>:<base64url(iv||ciphertext||tag)>'), never in clear.
CREATE TABLE accounts (
  id                 UUID PRIMARY KEY,
  workspace_id       UUID        NOT NULL,
  platform           TEXT        NOT NULL,
  external_id        TEXT        NOT NULL,
  handle             TEXT,
  status             TEXT        NOT NULL CHECK (status IN ('connected', 'reconnect_required', 'disconnected')),
  access_token       TEXT,
  refresh_token      TEXT,
  expires_at         TIMESTAMPTZ,
  refresh_expires_at TIMESTAMPTZ,
  scopes             TEXT,
  status_reason      TEXT,
  -- the Bluesky PDS the session lives on; null for OAuth platforms
  service_url        TEXT,
  -- when the refresh job is planned to run; null when there is nothing to refresh
  refresh_at         TIMESTAMPTZ,
  created_at         TIMESTAMPTZ NOT NULL,
  updated_at         TIMESTAMPTZ NOT NULL,
  UNIQUE (workspace_id, platform, external_id)
);
CREATE INDEX accounts_workspace_idx ON accounts (workspace_id, created_at, id);

-- One row per authorization in flight: consumed (deleted) by the callback, useless after expires_at.
CREATE TABLE oauth_states (
  state         TEXT PRIMARY KEY,
  workspace_id  UUID        NOT NULL,
  platform      TEXT        NOT NULL,
  -- set when the flow reconnects an existing account
  account_id    UUID,
  code_verifier TEXT        NOT NULL,
  redirect_uri  TEXT        NOT NULL,
  created_at    TIMESTAMPTZ NOT NULL,
  expires_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX oauth_states_expiry_idx ON oauth_states (expires_at);
