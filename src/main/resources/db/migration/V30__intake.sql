-- Intake: campaigns, their content rows (one per CSV/sheet/API row) with each row's outcome, every import with its
-- per-row validation problems, and the nonces of signed inbound webhooks (against replay).

CREATE TABLE campaigns (
  id             UUID PRIMARY KEY,
  workspace_id   UUID        NOT NULL,
  name           TEXT        NOT NULL,
  -- draft: rows are collected; running: every accepted row goes on to captions, video and publishing
  status         TEXT        NOT NULL CHECK (status IN ('draft', 'running')),
  -- a Google Sheets source: rows are read from and outcomes written back to this range
  sheet_id       TEXT,
  sheet_range    TEXT,
  created_at     TIMESTAMPTZ NOT NULL,
  started_at     TIMESTAMPTZ
);
CREATE INDEX campaigns_ws_idx ON campaigns (workspace_id, created_at DESC, id DESC);

CREATE TABLE content_rows (
  id             UUID PRIMARY KEY,
  -- insertion order, for stable cursor paging of a campaign's rows
  seq            BIGSERIAL   NOT NULL,
  workspace_id   UUID        NOT NULL,
  campaign_id    UUID        NOT NULL REFERENCES campaigns (id),
  -- where the row came from: its record number in the CSV (header = 1) or its row in the sheet
  source_row     INT,
  external_id    TEXT        NOT NULL,
  title          TEXT        NOT NULL,
  description    TEXT        NOT NULL,
  price          NUMERIC(14, 2),
  currency       TEXT,
  product_url    TEXT,
  image_url      TEXT,
  video_url      TEXT,
  platforms      TEXT[]      NOT NULL,
  hashtags       TEXT[]      NOT NULL,
  publish_at     TIMESTAMP,
  timezone       TEXT,
  -- pending: waits for the campaign to start; preparing: captions/video are being made; publishing: the post exists;
  -- published / partial / failed: the post settled (or preparation failed)
  status         TEXT        NOT NULL CHECK (status IN ('pending', 'preparing', 'publishing', 'published', 'partial', 'failed')),
  post_id        UUID,
  -- per platform: state, platform post id, URL, error
  results        JSONB       NOT NULL DEFAULT '[]',
  error          TEXT,
  created_at     TIMESTAMPTZ NOT NULL,
  updated_at     TIMESTAMPTZ NOT NULL,
  UNIQUE (campaign_id, external_id)
);
CREATE INDEX content_rows_campaign_idx ON content_rows (campaign_id, seq);
CREATE UNIQUE INDEX content_rows_post_idx ON content_rows (post_id) WHERE post_id IS NOT NULL;

CREATE TABLE intake_imports (
  id              UUID PRIMARY KEY,
  workspace_id    UUID        NOT NULL,
  campaign_id     UUID        NOT NULL REFERENCES campaigns (id),
  source          TEXT        NOT NULL CHECK (source IN ('csv', 'sheet', 'webhook')),
  -- Idempotency-Key of the upload and the SHA-256 of its body: a retry gets this import back
  idempotency_key TEXT,
  body_sha256     TEXT,
  rows_total      INT         NOT NULL,
  rows_accepted   INT         NOT NULL,
  rows_rejected   INT         NOT NULL,
  warnings        INT         NOT NULL,
  created_at      TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX intake_imports_key_idx ON intake_imports (workspace_id, idempotency_key) WHERE idempotency_key IS NOT NULL;

CREATE TABLE intake_import_problems (
  import_id   UUID NOT NULL REFERENCES intake_imports (id) ON DELETE CASCADE,
  seq         INT  NOT NULL,
  source_row  INT  NOT NULL,
  line        INT  NOT NULL,
  field       TEXT NOT NULL,
  severity    TEXT NOT NULL CHECK (severity IN ('error', 'warning')),
  reason      TEXT NOT NULL,
  PRIMARY KEY (import_id, seq)
);

CREATE TABLE inbound_webhook_nonces (
  scope       TEXT        NOT NULL,
  nonce       TEXT        NOT NULL,
  expires_at  TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (scope, nonce)
);
CREATE INDEX inbound_webhook_nonces_expiry_idx ON inbound_webhook_nonces (expires_at);
