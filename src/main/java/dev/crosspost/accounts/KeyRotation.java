package dev.crosspost.accounts;

import java.util.List;
import java.util.UUID;

/**
 * What a key rotation did: how many stored secrets now use the current key, and which accounts could not be
 * re-encrypted (their ciphertext is damaged or under a key that is no longer configured).
 */
public record KeyRotation(String currentKeyId, int reencrypted, int failed, List<UUID> failedAccounts) {
}
