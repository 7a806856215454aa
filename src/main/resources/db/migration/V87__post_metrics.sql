-- Per-platform post metrics: a time series per publication, and each published publication's sync state.
-- The hot publications table is not touched: the sync finds new publications in publication_history.

CREATE TABLE post_metrics (
  id             BIGSERIAL PRIMARY KEY,
  publication_id UUID        NOT NULL REFERENCES publications (id),
  post_id        UUID        NOT NULL,
  workspace_id   UUID        NOT NULL,
  platform       TEXT        NOT NULL,
  at             TIMESTAMPTZ NOT NULL,
  -- Crosspost's names ({"likes": 12, "views": 340}); each platform has its own subset
  metrics        JSONB       NOT NULL
);
CREATE INDEX post_metrics_publication_at_idx ON post_metrics (publication_id, at);

-- One row per published publication whose platform can report metrics.
CREATE TABLE metrics_sync (
  publication_id   UUID        PRIMARY KEY REFERENCES publications (id),
  post_id          UUID        NOT NULL,
  workspace_id     UUID        NOT NULL,
  platform         TEXT        NOT NULL,
  account_id       TEXT        NOT NULL,
  platform_post_id TEXT        NOT NULL,
  published_at     TIMESTAMPTZ NOT NULL,
  -- active: synced at next_sync_at; done: older than crosspost.metrics.max-age; gone: deleted on the platform
  status           TEXT        NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'done', 'gone')),
  next_sync_at     TIMESTAMPTZ,
  last_synced_at   TIMESTAMPTZ,
  -- consecutive failed syncs (reset by a success); the backoff grows with it
  failures         INT         NOT NULL DEFAULT 0,
  last_error       TEXT,
  -- why the last sync was deferred without a call (the read quota), else null
  waiting_reason   TEXT
);
CREATE INDEX metrics_sync_due_idx ON metrics_sync (next_sync_at) WHERE status = 'active';
CREATE INDEX metrics_sync_post_idx ON metrics_sync (post_id);

-- the sync reads publication_history from here on, like the webhook fan-out
INSERT INTO webhook_cursor (consumer, last_history_id) SELECT 'metrics', coalesce(max(id), 0) FROM publication_history;

-- publications published before this migration (within the default max age of 30 days) are synced too
INSERT INTO metrics_sync (publication_id, post_id, workspace_id, platform, account_id, platform_post_id, published_at, next_sync_at)
SELECT id, post_id, workspace_id, platform, account_id, platform_post_id, updated_at, now()
  FROM publications
 WHERE state = 'PUBLISHED' AND platform_post_id IS NOT NULL
   AND platform IN ('x', 'instagram', 'youtube', 'tiktok', 'pinterest', 'bluesky')
   AND updated_at > now() - interval '30 days';
