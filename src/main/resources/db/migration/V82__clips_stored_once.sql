-- A clip is stored once per source and range (its spec, clip:<start>-<end>), like renditions per spec, so a clips job
-- run again after a crash reuses what it stored. Copies stored twice before keep their rows (posts may name them),
-- each later copy under a spec of its own.
UPDATE media_assets a SET spec = a.spec || '#' || a.id
WHERE a.role = 'clip'
  AND EXISTS (SELECT 1 FROM media_assets b
              WHERE b.role = 'clip' AND b.source_id = a.source_id AND b.spec = a.spec AND (b.created_at, b.id) < (a.created_at, a.id));
DROP INDEX media_assets_derived;
CREATE UNIQUE INDEX media_assets_derived ON media_assets (source_id, role, spec) WHERE role IN ('rendition', 'thumbnail', 'poster', 'clip');
