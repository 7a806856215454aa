package dev.crosspost.publishing;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * Every publication of a post reached a terminal state.
 *
 * @param outcomes publication state per {@code platform:account}
 */
public record PostSettled(UUID postId, UUID workspaceId, Map<String, PublicationState> outcomes, Instant at) {
}
