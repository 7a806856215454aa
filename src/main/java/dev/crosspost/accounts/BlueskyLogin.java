package dev.crosspost.accounts;

import org.jspecify.annotations.Nullable;

/**
 * A Bluesky app-password login. The password is sent to the PDS once and never stored.
 *
 * @param identifier handle or email
 * @param pds the account's PDS (https); omitted means the configured default
 */
public record BlueskyLogin(String identifier, String appPassword, @Nullable String pds) {

    @Override
    public String toString() {
        return "BlueskyLogin[identifier=" + identifier + ", pds=" + pds + ", appPassword=****]";
    }
}
