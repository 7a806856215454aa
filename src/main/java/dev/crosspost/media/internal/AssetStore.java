package dev.crosspost.media.internal;

import dev.crosspost.system.Cursors;
import dev.crosspost.media.AssetView;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Rows of {@code media_assets}. */
@Component
class AssetStore {

    private final JdbcClient jdbc;
    private final JsonMapper json;

    AssetStore(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** An asset row with where its bytes are. */
    record Stored(UUID workspaceId, String storageKey, AssetView view) {
    }

    void insert(UUID workspaceId, String storageKey, AssetView a) {
        jdbc.sql("""
                        INSERT INTO media_assets (id, workspace_id, kind, role, content_type, size_bytes, sha256, storage_key, filename,
                                                  source_id, spec, probe, created_at)
                        VALUES (:id, :ws, :kind, :role, :type, :size, :sha, :key, :filename, :source, :spec, CAST(:probe AS jsonb), :at)""")
                .param("id", a.id()).param("ws", workspaceId).param("kind", a.kind()).param("role", a.role())
                .param("type", a.contentType()).param("size", a.sizeBytes()).param("sha", a.sha256()).param("key", storageKey)
                .param("filename", a.filename()).param("source", a.sourceId()).param("spec", a.spec())
                .param("probe", json.writeValueAsString(a.probe())).param("at", Timestamp.from(a.createdAt()))
                .update();
    }

    Optional<Stored> find(UUID id) {
        return jdbc.sql("SELECT * FROM media_assets WHERE id = :id").param("id", id).query(this::row).optional();
    }

    Optional<Stored> find(UUID workspaceId, UUID id) {
        return find(id).filter(s -> s.workspaceId().equals(workspaceId));
    }

    Optional<Stored> derived(UUID sourceId, String role, String spec) {
        return jdbc.sql("SELECT * FROM media_assets WHERE source_id = :source AND role = :role AND spec = :spec")
                .param("source", sourceId).param("role", role).param("spec", spec).query(this::row).optional();
    }

    /** Newest first, after {@code after} in (created_at, id) order. */
    List<Stored> list(UUID workspaceId, @Nullable UUID sourceId, Cursors.@Nullable At after, int limit) {
        return jdbc.sql("""
                        SELECT * FROM media_assets WHERE workspace_id = :ws AND (CAST(:source AS uuid) IS NULL OR source_id = :source)
                          AND (CAST(:at AS timestamptz) IS NULL OR (created_at, id) < (CAST(:at AS timestamptz), CAST(:id AS uuid)))
                        ORDER BY created_at DESC, id DESC LIMIT :limit""")
                .param("ws", workspaceId).param("source", sourceId).param("at", after == null ? null : Timestamp.from(after.at()))
                .param("id", after == null ? null : after.id()).param("limit", limit).query(this::row).list();
    }

    /** Ids of the assets made from {@code sourceId} (renditions, thumbnails, clips). */
    List<UUID> derivedIds(UUID sourceId) {
        return jdbc.sql("SELECT id FROM media_assets WHERE source_id = :source").param("source", sourceId).query(UUID.class).list();
    }

    boolean referenced(String storageKey) {
        return jdbc.sql("SELECT EXISTS (SELECT 1 FROM media_assets WHERE storage_key = :key)").param("key", storageKey)
                .query(Boolean.class).single();
    }

    private Stored row(ResultSet rs, int n) throws SQLException {
        AssetView view = new AssetView(rs.getObject("id", UUID.class), rs.getString("kind"), rs.getString("content_type"),
                rs.getLong("size_bytes"), rs.getString("sha256"), rs.getString("filename"), rs.getString("role"),
                rs.getObject("source_id", UUID.class), rs.getString("spec"),
                json.readValue(rs.getString("probe"), AssetView.Probe.class), rs.getTimestamp("created_at").toInstant());
        return new Stored(rs.getObject("workspace_id", UUID.class), rs.getString("storage_key"), view);
    }
}
