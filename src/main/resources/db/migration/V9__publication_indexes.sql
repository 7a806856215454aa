-- Every transition rewrote the (workspace, state, updated_at) index; list only what is read: counts per state and
-- the dead-letter queue by time.
DROP INDEX publications_state_idx;
CREATE INDEX publications_state_idx ON publications (workspace_id, state);
CREATE INDEX publications_dead_idx ON publications (workspace_id, updated_at DESC, id DESC) WHERE state = 'DEAD';
