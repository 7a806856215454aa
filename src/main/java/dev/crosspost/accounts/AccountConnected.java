package dev.crosspost.accounts;

import org.jspecify.annotations.Nullable;

import java.util.UUID;

/** An account was connected or reconnected and can be published to. */
public record AccountConnected(UUID accountId, UUID workspaceId, String platform, @Nullable String handle) {
}
