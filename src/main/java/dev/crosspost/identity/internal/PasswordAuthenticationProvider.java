package dev.crosspost.identity.internal;

import dev.crosspost.identity.Caller;
import dev.crosspost.system.CrosspostException;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.LockedException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;

/** The sign-in form's email and password, checked with the same lockout as the API's login. */
final class PasswordAuthenticationProvider implements AuthenticationProvider {

    private final IdentityService identity;

    PasswordAuthenticationProvider(IdentityService identity) {
        this.identity = identity;
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        String email = String.valueOf(authentication.getName());
        String password = String.valueOf(authentication.getCredentials());
        try {
            IdentityService.User user = identity.authenticate(email, password);
            return new CallerAuthentication(IdentityService.caller(user, Caller.Via.SESSION));
        } catch (CrosspostException e) {
            if (e.kind() == CrosspostException.Kind.RATE_LIMITED) {
                throw new LockedException(e.getMessage());
            }
            throw new BadCredentialsException("Email or password is wrong.");
        }
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
    }
}
