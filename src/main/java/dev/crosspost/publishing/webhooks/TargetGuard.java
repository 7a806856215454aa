package dev.crosspost.publishing.webhooks;

import dev.crosspost.system.net.Addresses;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Keeps webhooks from reaching what they should not: checks a URL before it is stored (scheme, no credentials,
 * length) and, unless {@code allow-private-targets}, every address its host resolves to, again right before each
 * delivery (DNS can change after the URL was stored). Deliveries do not follow redirects, so a public URL cannot
 * bounce to an internal one.
 * <p>
 * The HTTP client resolves the host again when it connects; within the JVM's DNS cache (30 s by default) it
 * gets the answer checked here. A rebinding answer that lands between the two could still slip through; for
 * https targets the TLS certificate check then fails before any request byte is sent.
 */
@Component
class TargetGuard {

    private static final Logger log = LoggerFactory.getLogger(TargetGuard.class);
    static final int MAX_URL_LENGTH = 2048;

    /** Looks up a host's addresses; replaced in tests. */
    @FunctionalInterface
    interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    /** A delivery target this node must not connect to. */
    static final class RefusedTarget extends Exception {
        RefusedTarget(String message) {
            super(message, null, false, false);
        }
    }

    private final boolean allowHttp;
    private final boolean allowPrivate;
    private final Resolver resolver;

    @Autowired
    TargetGuard(WebhookSettings settings, Environment environment) {
        this(settings.httpAllowed(environment.matchesProfiles("prod")), settings.privateTargetsAllowed(environment.matchesProfiles("prod")),
                InetAddress::getAllByName);
        if (environment.matchesProfiles("prod") && (allowHttp || allowPrivate)) {
            log.warn("Webhooks under prod with allow-http={} and allow-private-targets={}: receivers can be reached unencrypted"
                    + " or inside the network", allowHttp, allowPrivate);
        }
    }

    TargetGuard(boolean allowHttp, boolean allowPrivate, Resolver resolver) {
        this.allowHttp = allowHttp;
        this.allowPrivate = allowPrivate;
        this.resolver = resolver;
    }

    /** What is wrong with a URL to store, as messages for the {@code url} field; empty when it is fine. */
    List<String> problems(String url) {
        List<String> problems = new ArrayList<>();
        if (url.length() > MAX_URL_LENGTH) {
            problems.add("must be at most " + MAX_URL_LENGTH + " characters");
            return problems;
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            problems.add("must be an absolute URL like https://example.com/hooks/crosspost");
            return problems;
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !(scheme.equals("http") && allowHttp)) {
            problems.add(allowHttp ? "must be an http:// or https:// URL" : "must be an https:// URL");
        }
        if (uri.getRawUserInfo() != null || (uri.getRawAuthority() != null && uri.getRawAuthority().contains("@"))) {
            problems.add("must not contain credentials; verify requests with the signing secret instead");
        }
        if (uri.getHost() == null || uri.getHost().isBlank()) {
            problems.add("must name a host");
        }
        if (uri.getRawFragment() != null) {
            problems.add("must not contain a #fragment");
        }
        if (problems.isEmpty() && !allowPrivate) {
            try {
                checkAddresses(uri.getHost());
            } catch (RefusedTarget e) {
                problems.add(e.getMessage());
            }
        }
        return problems;
    }

    /** Checks a stored URL right before a delivery connects to it. */
    void check(URI uri) throws RefusedTarget {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !(scheme.equals("http") && allowHttp)) {
            throw new RefusedTarget("refused: " + scheme + ":// URLs are not allowed (crosspost.webhooks.allow-http)");
        }
        if (uri.getHost() == null) {
            throw new RefusedTarget("refused: the URL has no host");
        }
        if (!allowPrivate) {
            checkAddresses(uri.getHost());
        }
    }

    private void checkAddresses(String host) throws RefusedTarget {
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(host);
        } catch (UnknownHostException e) {
            throw new RefusedTarget("host " + host + " does not resolve");
        }
        for (InetAddress address : addresses) {
            String why = refusal(address);
            if (why != null) {
                throw new RefusedTarget("must reach a public address; " + host + " resolves to " + address.getHostAddress() + " (" + why + ")");
            }
        }
    }

    /** Why an address is not on the public internet, or null when it is: the shared SSRF policy of {@link Addresses}. */
    static @Nullable String refusal(InetAddress address) {
        return Addresses.refusal(address);
    }
}
