-- A target may carry its own caption and media (a per-platform caption, a rendition); null means the post's.
ALTER TABLE publications ADD COLUMN text text, ADD COLUMN media jsonb;
