-- Credits: the balance is a cache of the ledger's sum, kept in the same transaction as every ledger row.
CREATE TABLE credit_balances (
  workspace_id UUID PRIMARY KEY,
  balance      BIGINT NOT NULL CHECK (balance >= 0),
  updated_at   TIMESTAMPTZ NOT NULL
);

-- Every movement: grants and top-ups add, reservations take, refunds give back; a commit moves nothing (amount 0)
-- but records that the reserved credits were spent.
CREATE TABLE credit_ledger (
  id             BIGSERIAL PRIMARY KEY,
  workspace_id   UUID NOT NULL,
  kind           TEXT NOT NULL CHECK (kind IN ('grant', 'top_up', 'reserve', 'commit', 'refund')),
  amount         BIGINT NOT NULL,
  reservation_id UUID,
  payment_id     TEXT,
  reason         TEXT NOT NULL,
  created_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX credit_ledger_workspace ON credit_ledger (workspace_id, id DESC);

CREATE TABLE credit_reservations (
  id           UUID PRIMARY KEY,
  workspace_id UUID NOT NULL,
  amount       BIGINT NOT NULL CHECK (amount > 0),
  state        TEXT NOT NULL CHECK (state IN ('reserved', 'committed', 'refunded')),
  purpose      TEXT NOT NULL,
  created_at   TIMESTAMPTZ NOT NULL,
  settled_at   TIMESTAMPTZ
);

-- One row per payment id: the same payment delivered twice credits once.
CREATE TABLE credit_payments (
  payment_id   TEXT PRIMARY KEY,
  workspace_id UUID NOT NULL,
  amount       BIGINT NOT NULL,
  received_at  TIMESTAMPTZ NOT NULL
);

-- One generation per accepted content row, advanced by its db-scheduler job.
CREATE TABLE generation_jobs (
  content_id      UUID PRIMARY KEY,
  workspace_id    UUID NOT NULL,
  campaign_id     UUID NOT NULL,
  request         JSONB NOT NULL,
  state           TEXT NOT NULL CHECK (state IN ('captions', 'video', 'video_polling', 'done', 'failed')),
  attempts        INT NOT NULL DEFAULT 0,
  polls           INT NOT NULL DEFAULT 0,
  captions        JSONB,
  heygen_video_id TEXT,
  video           JSONB,
  failure         TEXT,
  created_at      TIMESTAMPTZ NOT NULL,
  updated_at      TIMESTAMPTZ NOT NULL
);
