-- Posts, their per-account publications, and each publication's history (attempts and state changes).
CREATE TABLE posts (
  id           UUID PRIMARY KEY,
  workspace_id UUID        NOT NULL,
  campaign_id  UUID,
  text         TEXT        NOT NULL,
  media        JSONB       NOT NULL DEFAULT '[]',
  publish_at   TIMESTAMPTZ,
  local_time   TEXT,
  zone         TEXT,
  priority     TEXT        NOT NULL,
  created_at   TIMESTAMPTZ NOT NULL,
  settled_at   TIMESTAMPTZ
);
CREATE INDEX posts_workspace_idx ON posts (workspace_id, created_at DESC, id DESC);
CREATE INDEX posts_campaign_idx ON posts (campaign_id) WHERE campaign_id IS NOT NULL;

CREATE TABLE publications (
  id                 UUID PRIMARY KEY,
  post_id            UUID        NOT NULL REFERENCES posts (id),
  workspace_id       UUID        NOT NULL,
  platform           TEXT        NOT NULL,
  account_id         TEXT        NOT NULL,
  idempotency_key    TEXT        NOT NULL UNIQUE,
  state              TEXT        NOT NULL,
  step_index         INT         NOT NULL DEFAULT 0,
  step_name          TEXT,
  step_data          JSONB       NOT NULL DEFAULT '{}',
  sent_step          TEXT,
  sent_at            TIMESTAMPTZ,
  attempts           INT         NOT NULL DEFAULT 0,
  polls              INT         NOT NULL DEFAULT 0,
  reconcile_attempts INT         NOT NULL DEFAULT 0,
  next_attempt_at    TIMESTAMPTZ,
  waiting_reason     TEXT,
  platform_post_id   TEXT,
  platform_url       TEXT,
  error_class        TEXT,
  error_code         TEXT,
  error_message      TEXT,
  dead_reason        TEXT,
  created_at         TIMESTAMPTZ NOT NULL,
  updated_at         TIMESTAMPTZ NOT NULL,
  version            INT         NOT NULL DEFAULT 0,
  UNIQUE (post_id, platform, account_id)
);
CREATE INDEX publications_post_idx ON publications (post_id);
CREATE INDEX publications_state_idx ON publications (workspace_id, state, updated_at DESC);

-- One row per transition or step outcome: the attempt history, and the event log that SSE resumes from.
CREATE TABLE publication_history (
  id             BIGSERIAL PRIMARY KEY,
  publication_id UUID        NOT NULL REFERENCES publications (id),
  post_id        UUID        NOT NULL,
  workspace_id   UUID        NOT NULL,
  at             TIMESTAMPTZ NOT NULL,
  from_state     TEXT,
  to_state       TEXT        NOT NULL,
  step           TEXT,
  outcome        TEXT,
  error_class    TEXT,
  response_code  INT,
  reason         TEXT
);
CREATE INDEX publication_history_pub_idx ON publication_history (publication_id, id);
CREATE INDEX publication_history_post_idx ON publication_history (post_id, id);
