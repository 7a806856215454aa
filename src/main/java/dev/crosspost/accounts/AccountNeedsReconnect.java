package dev.crosspost.accounts;

import java.util.UUID;

/** The platform refused the account's tokens; its owner must connect it again. {@code reason} is the platform's. */
public record AccountNeedsReconnect(UUID accountId, UUID workspaceId, String platform, String reason) {
}
