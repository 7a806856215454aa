-- Render jobs of the direct media API (renditions, clips, scenes): each runs as a db-scheduler execution named by
-- its id; this row is what GET /api/v1/render-jobs/{id} shows.
CREATE TABLE media_render_jobs (
    id            uuid PRIMARY KEY,
    workspace_id  uuid        NOT NULL,
    asset_id      uuid        NOT NULL REFERENCES media_assets (id) ON DELETE CASCADE,
    operation     text        NOT NULL CHECK (operation IN ('renditions', 'clips', 'scenes')),
    request       jsonb       NOT NULL,
    status        text        NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed')),
    percent       int         NOT NULL DEFAULT 0 CHECK (percent BETWEEN 0 AND 100),
    error         text,
    result        jsonb,
    created_at    timestamptz NOT NULL,
    started_at    timestamptz,
    finished_at   timestamptz
);
CREATE INDEX media_render_jobs_finished ON media_render_jobs (finished_at) WHERE finished_at IS NOT NULL;
