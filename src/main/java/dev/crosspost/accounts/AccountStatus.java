package dev.crosspost.accounts;

import java.util.Locale;

/** Whether an account can be published to. */
public enum AccountStatus {
    /** Tokens are valid (or refreshable). */
    CONNECTED,
    /** The platform refused our tokens; only the owner can fix it by connecting again. */
    RECONNECT_REQUIRED,
    /** The owner removed it; its tokens were revoked where the platform allows and deleted. */
    DISCONNECTED;

    /** The value stored and shown on the wire, e.g. {@code reconnect_required}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static AccountStatus fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
