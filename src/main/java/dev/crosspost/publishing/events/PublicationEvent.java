package dev.crosspost.publishing.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.UUID;

/**
 * One {@code publication_history} row as clients see it: the SSE {@code data} of a {@code publication} event and
 * the {@code data} of a webhook. States are wire names ({@code queued}); {@code from} equal to {@code to} is a step
 * outcome within a state; {@code nextAttemptAt} is set while this row is the publication's latest and it waits;
 * {@code platformPostId} and {@code platformUrl} only on the row that records the publication ({@code to} published),
 * so an event reads the same whenever it is delivered.
 */
public record PublicationEvent(UUID publicationId, UUID postId, String platform, String accountId, @Nullable String from, String to,
                               @Nullable String step, @Nullable String outcome, @Nullable String errorClass,
                               @Nullable Integer responseCode, @Nullable String reason, Instant at,
                               @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable Instant nextAttemptAt,
                               @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String platformPostId,
                               @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String platformUrl) {

    /** The webhook event type, e.g. {@code publication.published}. */
    public String eventType() {
        return "publication." + to;
    }
}
