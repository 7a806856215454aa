package dev.crosspost.identity.internal;

import dev.crosspost.identity.Caller;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

import java.util.ArrayList;
import java.util.List;

/** A signed-in {@link Caller}, however it signed in; admins carry {@code ROLE_ADMIN}, keys their scopes. */
public final class CallerAuthentication extends AbstractAuthenticationToken {

    private final Caller caller;

    public CallerAuthentication(Caller caller) {
        super(authorities(caller));
        this.caller = caller;
        setAuthenticated(true);
    }

    private static List<GrantedAuthority> authorities(Caller caller) {
        List<GrantedAuthority> list = new ArrayList<>();
        list.add(new SimpleGrantedAuthority("ROLE_USER"));
        if (caller.admin()) {
            list.add(new SimpleGrantedAuthority("ROLE_ADMIN"));
        }
        caller.scopes().forEach(s -> list.add(new SimpleGrantedAuthority("SCOPE_" + s)));
        return list;
    }

    public Caller caller() {
        return caller;
    }

    @Override
    public Object getCredentials() {
        return "";
    }

    @Override
    public Caller getPrincipal() {
        return caller;
    }

    @Override
    public String getName() {
        return caller.email();
    }
}
