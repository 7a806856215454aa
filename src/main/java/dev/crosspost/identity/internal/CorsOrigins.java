package dev.crosspost.identity.internal;

import org.jspecify.annotations.Nullable;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The CORS allowlist. An entry is an exact origin ({@code https://app.example.com}, {@code http://localhost:5173})
 * or {@code scheme://*.domain[:port]}, which matches any host with at least one more label before {@code .domain}
 * ({@code a.example.com}, {@code a.b.example.com}) and never {@code domain} itself or a look-alike such as
 * {@code evil-example.com} or {@code example.com.evil.net}. Scheme and port must match exactly.
 */
final class CorsOrigins {

    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    private record Entry(String scheme, @Nullable String exactHost, @Nullable String domain, int port) {
    }

    private final List<Entry> entries;

    CorsOrigins(List<String> allowed) {
        this.entries = allowed.stream().map(CorsOrigins::entry).toList();
    }

    private static Entry entry(String origin) {
        String lower = origin.toLowerCase(Locale.ROOT);
        int schemeEnd = lower.indexOf("://");
        String scheme = lower.substring(0, schemeEnd);
        String rest = lower.substring(schemeEnd + 3);
        int colon = rest.lastIndexOf(':');
        String host = colon < 0 ? rest : rest.substring(0, colon);
        int port = colon < 0 ? defaultPort(scheme) : Integer.parseInt(rest.substring(colon + 1));
        if (host.startsWith("*.")) {
            return new Entry(scheme, null, host.substring(2), port);
        }
        return new Entry(scheme, host, null, port);
    }

    boolean allows(@Nullable String origin) {
        if (origin == null || origin.length() > 300) {
            return false;
        }
        URI uri;
        try {
            uri = new URI(origin);
        } catch (Exception e) {
            return false;
        }
        // an origin is exactly scheme://host[:port]: anything else (userinfo, path, query) is not one
        if (uri.getScheme() == null || uri.getRawUserInfo() != null || uri.getHost() == null
                || (uri.getRawPath() != null && !uri.getRawPath().isEmpty()) || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            return false;
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        int port = uri.getPort() < 0 ? defaultPort(scheme) : uri.getPort();
        if (!validHost(host)) {
            return false;
        }
        for (Entry e : entries) {
            if (!e.scheme().equals(scheme) || e.port() != port) {
                continue;
            }
            if (e.exactHost() != null && e.exactHost().equals(host)) {
                return true;
            }
            if (e.domain() != null && host.length() > e.domain().length() + 1 && host.endsWith("." + e.domain())) {
                return true;
            }
        }
        return false;
    }

    private static boolean validHost(String host) {
        if (host.isEmpty() || host.length() > 253) {
            return false;
        }
        for (String label : host.split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) {
                return false;
            }
        }
        return true;
    }

    private static int defaultPort(String scheme) {
        return "https".equals(scheme) ? 443 : "http".equals(scheme) ? 80 : -1;
    }
}
