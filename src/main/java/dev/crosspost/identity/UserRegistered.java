package dev.crosspost.identity;

import java.util.UUID;

/** A new user signed up (or was created by an operator) and owns a new workspace. */
public record UserRegistered(UUID userId, UUID workspaceId, String email, boolean admin) {
}
