package dev.crosspost.publishing.events;

import org.jspecify.annotations.Nullable;

import java.util.UUID;

/**
 * A {@code publication_history} row with what readers route it by.
 *
 * @param terminal the row moved its publication to an end state (so its post may have settled)
 */
public record HistoryRow(long id, UUID workspaceId, @Nullable UUID campaignId, boolean terminal, PublicationEvent event) {
}
