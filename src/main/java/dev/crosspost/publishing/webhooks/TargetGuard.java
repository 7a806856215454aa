package dev.crosspost.publishing.webhooks;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

import java.net.Inet4Address;
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

    /** Why an address is not on the public internet, or null when it is. */
    static @Nullable String refusal(InetAddress address) {
        if (address.isAnyLocalAddress()) {
            return "unspecified";
        }
        if (address.isLoopbackAddress()) {
            return "loopback";
        }
        if (address.isLinkLocalAddress()) {
            return "link-local";
        }
        if (address.isSiteLocalAddress()) {
            return "private";
        }
        if (address.isMulticastAddress()) {
            return "multicast";
        }
        byte[] b = address.getAddress();
        return address instanceof Inet4Address ? v4(b, 0) : v6(b);
    }

    private static @Nullable String v4(byte[] b, int at) {
        int a = b[at] & 0xff;
        int c = b[at + 1] & 0xff;
        int d = b[at + 2] & 0xff;
        if (a == 0) {
            return "this-network";
        }
        if (a == 10 || (a == 172 && (c & 0xf0) == 16) || (a == 192 && c == 168)) {
            return "private";
        }
        if (a == 127) {
            return "loopback";
        }
        if (a == 100 && (c & 0xc0) == 64) {
            return "carrier-grade NAT"; // 100.64.0.0/10, also some clouds' metadata (100.100.100.200)
        }
        if (a == 169 && c == 254) {
            return "link-local (cloud metadata)";
        }
        if (a == 192 && c == 0 && (d == 0 || d == 2)) {
            return "reserved";
        }
        if ((a == 198 && (c & 0xfe) == 18) || (a == 198 && c == 51 && d == 100) || (a == 203 && c == 0 && d == 113)) {
            return "reserved";
        }
        if (a >= 224) {
            return "multicast or reserved";
        }
        return null;
    }

    private static @Nullable String v6(byte[] b) {
        int b0 = b[0] & 0xff;
        int b1 = b[1] & 0xff;
        if ((b0 & 0xfe) == 0xfc) {
            return "unique-local"; // fc00::/7, also fd00:ec2::254 (metadata)
        }
        if (b0 == 0xfe && (b1 & 0x80) == 0x80) {
            return "link-local";
        }
        if (allZero(b, 0, 10) && ((b[10] == (byte) 0xff && b[11] == (byte) 0xff) || (b[10] == 0 && b[11] == 0))) {
            String inner = v4(b, 12); // IPv4-mapped ::ffff:a.b.c.d and IPv4-compatible ::a.b.c.d
            return inner == null ? null : "IPv4 " + inner;
        }
        if (b0 == 0x00 && b1 == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b) {
            if (allZero(b, 4, 12)) {
                String inner = v4(b, 12); // NAT64 64:ff9b::/96 reaches the embedded IPv4 address
                return inner == null ? null : "NAT64 to " + inner;
            }
            return "local NAT64"; // 64:ff9b:1::/48
        }
        if (b0 == 0x20 && b1 == 0x02) {
            String inner = v4(b, 2); // 6to4 2002::/16 embeds an IPv4 address
            return inner == null ? null : "6to4 to " + inner;
        }
        if (b0 == 0x20 && b1 == 0x01 && (b[2] & 0xff) == 0x0d && (b[3] & 0xff) == 0xb8) {
            return "documentation";
        }
        if (b0 == 0x01 && b1 == 0x00 && allZero(b, 2, 8)) {
            return "discard-only";
        }
        return null;
    }

    private static boolean allZero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
