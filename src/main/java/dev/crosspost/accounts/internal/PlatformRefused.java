package dev.crosspost.accounts.internal;

/**
 * The platform said no to a grant, code, token or login: retrying the same request will not help. {@code code} and
 * {@code reason} are the platform's own words (e.g. {@code invalid_grant}, {@code ExpiredToken}).
 */
final class PlatformRefused extends RuntimeException {

    private final String platform;
    private final String code;
    private final int status;

    PlatformRefused(String platform, String code, String reason, int status) {
        super(reason, null, false, false);
        this.platform = platform;
        this.code = code;
        this.status = status;
    }

    String platform() {
        return platform;
    }

    String code() {
        return code;
    }

    int status() {
        return status;
    }

    /** For people: "x refused: invalid_grant: Value passed for the token was invalid." */
    String reason() {
        return getMessage();
    }
}
