-- Stripe-style Idempotency-Key: the stored response of a request, replayed for a retry with the same key and body.
CREATE TABLE idempotency_keys (
  workspace_id  UUID        NOT NULL,
  key           TEXT        NOT NULL,
  request_hash  TEXT        NOT NULL,
  status        INT         NOT NULL,
  content_type  TEXT,
  location      TEXT,
  body          BYTEA       NOT NULL,
  created_at    TIMESTAMPTZ NOT NULL,
  expires_at    TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (workspace_id, key)
);
CREATE INDEX idempotency_keys_expiry_idx ON idempotency_keys (expires_at);
