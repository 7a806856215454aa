-- The media asset a row's video was stored as, so render progress reaches the campaign's event stream before the
-- row's post exists.
ALTER TABLE content_rows ADD COLUMN asset_id UUID;
CREATE INDEX content_rows_asset_idx ON content_rows (asset_id) WHERE asset_id IS NOT NULL;
