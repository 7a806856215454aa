package dev.crosspost.accounts;

/**
 * Where to send the account owner to approve access, and the {@code state} the platform will hand back to the
 * callback. The state is single-use and expires after ten minutes.
 */
public record AuthorizationStart(String authorizeUrl, String state) {
}
