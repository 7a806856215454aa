package dev.crosspost.system;

import jakarta.servlet.http.HttpServletRequest;

import java.util.Optional;
import java.util.UUID;

/**
 * Which workspace a request acts for: the signed-in caller's (implemented by the identity module). The demo user
 * of the sandbox owns {@link #SANDBOX}.
 */
public interface Workspaces {

    UUID SANDBOX = new UUID(0, 1);

    /** The caller's workspace; 401 {@code unauthorized} when nobody signed the request in. */
    UUID current(HttpServletRequest request);

    /** The caller's workspace on a public endpoint, which may be called without signing in. */
    Optional<UUID> signedIn(HttpServletRequest request);
}
