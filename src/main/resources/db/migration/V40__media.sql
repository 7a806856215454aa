-- Stored files. Equal content shares one storage object (content-addressed key); rows are per workspace.
CREATE TABLE media_assets (
    id            uuid PRIMARY KEY,
    workspace_id  uuid        NOT NULL,
    kind          text        NOT NULL CHECK (kind IN ('video', 'image')),
    role          text        NOT NULL CHECK (role IN ('original', 'rendition', 'thumbnail', 'poster', 'clip')),
    content_type  text        NOT NULL,
    size_bytes    bigint      NOT NULL,
    sha256        char(64)    NOT NULL,
    storage_key   text        NOT NULL,
    filename      text,
    source_id     uuid REFERENCES media_assets (id) ON DELETE CASCADE,
    spec          text,
    probe         jsonb       NOT NULL,
    created_at    timestamptz NOT NULL
);
CREATE INDEX media_assets_workspace ON media_assets (workspace_id, created_at DESC);
CREATE INDEX media_assets_storage_key ON media_assets (storage_key);
-- one rendition/thumbnail per source and spec, so a second request reuses it
CREATE UNIQUE INDEX media_assets_derived ON media_assets (source_id, role, spec) WHERE role IN ('rendition', 'thumbnail', 'poster');

-- Resumable chunked uploads: bytes so far live in data-dir/tmp/uploads/<id>.part
CREATE TABLE media_uploads (
    id            uuid PRIMARY KEY,
    workspace_id  uuid        NOT NULL,
    filename      text,
    content_type  text,
    size_bytes    bigint      NOT NULL,
    received      bigint      NOT NULL DEFAULT 0,
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL
);
CREATE INDEX media_uploads_updated ON media_uploads (updated_at);
