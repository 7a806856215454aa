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
 * counts its open publications; the ending's own statement ({@link PublicationStore#saveEnding}) decrements it, and
 * the decrement that reaches zero settles the post.
 */
@Component
class PostSettlement {

    private final JdbcClient jdbc;
    private final ApplicationEventPublisher events;

    PostSettlement(JdbcClient jdbc, ApplicationEventPublisher events) {
        this.jdbc = jdbc;
        this.events = events;
    }

    /**
     * {@code p} has just ended (its previous state had not), saved with {@link PublicationStore#saveEnding}, which
     * counted it off its post; {@code open} is what remained. The one that leaves none settles the post.
     */
    void onEnded(Publication p, int open, Instant now) {
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
