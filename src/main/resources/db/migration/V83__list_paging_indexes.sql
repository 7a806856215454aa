-- Keyset paging reads each list in its page order straight from an index, with the id as the tie-breaker.
DROP INDEX IF EXISTS webhook_subscriptions_ws_idx;
CREATE INDEX webhook_subscriptions_ws_idx ON webhook_subscriptions (workspace_id, created_at, id) WHERE active;

DROP INDEX IF EXISTS media_assets_workspace;
CREATE INDEX media_assets_workspace ON media_assets (workspace_id, created_at DESC, id DESC);
-- ?source= lists what was made from one asset (renditions, thumbnails, clips) in the same order
CREATE INDEX media_assets_source ON media_assets (source_id, created_at DESC, id DESC) WHERE source_id IS NOT NULL;
