package dev.crosspost.publishing.engine;

import dev.crosspost.publishing.PostSettled;
import dev.crosspost.publishing.PublicationState;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** Marks a post settled when its last publication ends, and announces it once (inside the same transaction). */
@Component
class PostSettlement {

    private final JdbcClient jdbc;
    private final ApplicationEventPublisher events;

    PostSettlement(JdbcClient jdbc, ApplicationEventPublisher events) {
        this.jdbc = jdbc;
        this.events = events;
    }

    void onTerminal(Publication p, Instant now) {
        // serialise the post's last publications: without the lock, two finishing at once each see the other
        // still running and neither settles the post
        jdbc.sql("SELECT 1 FROM posts WHERE id = :post FOR UPDATE").param("post", p.postId()).query(Integer.class).optional();
        int rows = jdbc.sql("""
                        UPDATE posts SET settled_at = :now WHERE id = :post AND settled_at IS NULL
                          AND NOT EXISTS (SELECT 1 FROM publications WHERE post_id = :post
                                          AND state NOT IN ('PUBLISHED', 'FAILED', 'DEAD', 'CANCELLED'))""")
                .param("now", java.sql.Timestamp.from(now)).param("post", p.postId()).update();
        if (rows == 1) {
            Map<String, PublicationState> outcomes = new LinkedHashMap<>();
            jdbc.sql("SELECT platform, account_id, state FROM publications WHERE post_id = :post ORDER BY platform")
                    .param("post", p.postId())
                    .query(rs -> {
                        outcomes.put(rs.getString(1) + ":" + rs.getString(2), PublicationState.valueOf(rs.getString(3)));
                    });
            events.publishEvent(new PostSettled(p.postId(), p.workspaceId(), outcomes, now));
        }
    }

    void reopen(java.util.UUID postId) {
        jdbc.sql("UPDATE posts SET settled_at = NULL WHERE id = :post").param("post", postId).update();
    }
}
