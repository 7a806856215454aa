package dev.crosspost.publishing.engine;

import dev.crosspost.publishing.PostSettled;
import dev.crosspost.publishing.PublicationState;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Settles a post when its last publication ends, and announces it once (inside the same transaction). Each post
 * counts its open publications; the decrement that reaches zero settles it. Concurrent decrements queue on the post
 * row, so exactly one of the last publications to end sees zero.
 */
@Component
class PostSettlement {

    private final JdbcClient jdbc;
    private final ApplicationEventPublisher events;

    PostSettlement(JdbcClient jdbc, ApplicationEventPublisher events) {
        this.jdbc = jdbc;
        this.events = events;
    }

    /** {@code p} has just ended (its previous state had not). */
    void onEnded(Publication p, Instant now) {
        int open = jdbc.sql("""
                        UPDATE posts SET open_publications = open_publications - 1,
                          settled_at = CASE WHEN open_publications = 1 THEN :now ELSE settled_at END
                        WHERE id = :post RETURNING open_publications""")
                .param("now", java.sql.Timestamp.from(now)).param("post", p.postId()).query(Integer.class).single();
        if (open == 0) {
            Map<String, PublicationState> outcomes = new LinkedHashMap<>();
            jdbc.sql("SELECT platform, account_id, state FROM publications WHERE post_id = :post ORDER BY platform")
                    .param("post", p.postId())
                    .query(rs -> {
                        outcomes.put(rs.getString(1) + ":" + rs.getString(2), PublicationState.valueOf(rs.getString(3)));
                    });
            events.publishEvent(new PostSettled(p.postId(), p.workspaceId(), outcomes, now));
        }
    }

    /** An ended publication runs again (a replay): the post is open once more. */
    void reopen(java.util.UUID postId) {
        jdbc.sql("UPDATE posts SET open_publications = open_publications + 1, settled_at = NULL WHERE id = :post")
                .param("post", postId).update();
    }
}
