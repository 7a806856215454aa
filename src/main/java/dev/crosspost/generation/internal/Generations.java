package dev.crosspost.generation.internal;

import dev.crosspost.intake.ContentPrepared;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Reads where a content row's generation stands, within one workspace. */
@Component
public class Generations {

    /** @param state {@code captions}, {@code video}, {@code video_polling}, {@code done} or {@code failed} */
    public record View(UUID contentId, String state, Map<String, ContentPrepared.Caption> captions,
                       ContentPrepared.@Nullable Video video, @Nullable String failure, Instant updatedAt) {
    }

    private static final TypeReference<LinkedHashMap<String, ContentPrepared.Caption>> CAPTIONS = new TypeReference<>() {
    };
    private final JdbcClient jdbc;
    private final JsonMapper json = JsonMapper.builder().build();

    Generations(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Empty when the content is unknown or belongs to another workspace. */
    public Optional<View> find(UUID workspaceId, UUID contentId) {
        return jdbc.sql("""
                        SELECT state, captions, video, failure, updated_at FROM generation_jobs
                        WHERE content_id = :id AND workspace_id = :w""")
                .param("id", contentId).param("w", workspaceId)
                .query((rs, n) -> new View(contentId, rs.getString("state"),
                        rs.getString("captions") == null ? Map.of() : json.readValue(rs.getString("captions"), CAPTIONS),
                        rs.getString("video") == null ? null : json.readValue(rs.getString("video"), ContentPrepared.Video.class),
                        rs.getString("failure"), rs.getTimestamp("updated_at").toInstant()))
                .optional();
    }
}
