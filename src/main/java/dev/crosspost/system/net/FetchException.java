package dev.crosspost.system.net;

import dev.crosspost.system.CrosspostException;

/**
 * A remote URL was refused or could not be fetched. The code says which: {@code unsafe_url} (a scheme, host or
 * address we do not reach), {@code too_large}, {@code too_many_redirects}, {@code unexpected_content_type},
 * {@code fetch_timeout} or {@code fetch_failed} (the server's status or a broken connection).
 */
public final class FetchException extends CrosspostException {

    public FetchException(String code, String message) {
        super(code.equals("unsafe_url") ? Kind.INVALID : Kind.UNPROCESSABLE, code, message);
    }
}
