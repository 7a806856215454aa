package dev.crosspost.identity.internal;

import dev.crosspost.system.CrosspostException;
import dev.crosspost.system.Workspaces;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;

import java.util.Optional;
import java.util.UUID;

/** A request acts for the workspace of whoever signed it in: session, access token or API key. */
@Component
class PrincipalWorkspaces implements Workspaces {

    @Override
    public UUID current(HttpServletRequest request) {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        if (auth instanceof CallerAuthentication caller) {
            return caller.caller().workspaceId();
        }
        // the security filter keeps anonymous requests away from controllers that ask; this is the backstop
        throw new CrosspostException(CrosspostException.Kind.UNAUTHORIZED, "unauthorized", "Sign in first.");
    }

    @Override
    public Optional<UUID> signedIn(HttpServletRequest request) {
        return SecurityContextHolder.getContext().getAuthentication() instanceof CallerAuthentication caller
                ? Optional.of(caller.caller().workspaceId()) : Optional.empty();
    }
}
