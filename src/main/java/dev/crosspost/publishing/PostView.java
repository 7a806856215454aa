package dev.crosspost.publishing;

import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A post with each platform's outcome.
 *
 * @param summary how many publications are in each state, and whether all have ended
 */
public record PostView(UUID id, @Nullable UUID campaignId, String text, @Nullable Instant publishAt, @Nullable String localTime,
                       @Nullable String timezone, Instant createdAt, @Nullable Instant settledAt, Summary summary,
                       List<PublicationView> publications) {

    /** Counts per state and the overall standing of the post. */
    public record Summary(Map<String, Integer> states, boolean settled, String outcome) {
    }
}
