package dev.crosspost.system.net;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.IDN;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

/**
 * Fetches a URL someone gave us without letting it reach inside our network. Only http and https; no credentials
 * in the URL; hosts written as numbers in any form other than plain dotted decimal (decimal {@code 2130706433},
 * hex {@code 0x7f.1}, octal {@code 0177.0.0.1}, shortened {@code 127.1}) are refused outright, because resolvers
 * disagree on what they mean. Every address a host resolves to must be public ({@link Addresses#refusal}); this is
 * checked again for each redirect, which is followed by hand. Size, total time and redirects are capped, and the
 * body's type is sniffed from its first bytes rather than taken from the server's header.
 * <p>
 * The HTTP client resolves the host again when it connects; within the JVM's DNS cache (30 s by default) it gets
 * the answer checked here. A rebinding answer between the two could still slip through for plain http; for https
 * the certificate check fails first.
 * <p>
 * When a {@link ReservedDomains} is registered (the sandbox), URLs on the RFC 2606 example names are answered by it
 * instead of the network, under the same size cap and type sniffing; every other host is treated as above.
 */
@Component
public class SafeFetcher {

    public static final int MAX_URL_LENGTH = 2048;
    /** Images and videos we accept as media. */
    public static final Set<String> MEDIA_TYPES = Set.of("image/jpeg", "image/png", "image/gif", "image/webp", "video/mp4",
            "video/quicktime", "video/webm");

    /** Every label a number (decimal, octal or 0x hex): resolvers read such a host as an IPv4 address. */
    private static final Pattern NUMERIC_HOST = Pattern.compile("(0x[0-9a-f]*|[0-9]+)(\\.(0x[0-9a-f]*|[0-9]+))*");
    private static final Pattern DOTTED_DECIMAL = Pattern.compile("(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}");
    private static final ScheduledExecutorService DEADLINES = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("fetch-deadlines").factory());

    /** Looks up a host's addresses; replaced in tests. */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    /** Caps for one fetch; {@code contentTypes} are the sniffed types accepted. */
    public record Limits(long maxBytes, Duration timeout, int maxRedirects, Set<String> contentTypes) {
    }

    /** A fetched body stored at {@code file}, with its sniffed type and the URL it finally came from. */
    public record Fetched(Path file, String contentType, long sizeBytes, URI finalUrl) {
    }

    private final boolean allowLoopback;
    private final Resolver resolver;
    private final @Nullable ReservedDomains reserved;
    private final HttpClient http;
    private final FetchSettings settings;

    @Autowired
    public SafeFetcher(FetchSettings settings, ObjectProvider<ReservedDomains> reserved) {
        this(settings, InetAddress::getAllByName, reserved.getIfAvailable());
    }

    public SafeFetcher(FetchSettings settings, Resolver resolver) {
        this(settings, resolver, null);
    }

    public SafeFetcher(FetchSettings settings, Resolver resolver, @Nullable ReservedDomains reserved) {
        this.settings = settings;
        this.allowLoopback = settings.allowLoopback();
        this.resolver = resolver;
        this.reserved = reserved;
        this.http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).connectTimeout(settings.connectTimeout()).build();
    }

    /** The configured caps, for media. */
    public Limits mediaLimits() {
        return new Limits(settings.maxSize().toBytes(), settings.timeout(), settings.maxRedirects(), MEDIA_TYPES);
    }

    /**
     * What is wrong with a URL before any lookup: scheme, credentials, host form, loopback names and literal
     * non-public addresses. Empty when it may be fetched (DNS is checked at fetch time).
     */
    public List<String> problems(String url) {
        List<String> problems = new ArrayList<>();
        if (url.length() > MAX_URL_LENGTH) {
            problems.add("must be at most " + MAX_URL_LENGTH + " characters");
            return problems;
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            problems.add("must be an absolute http(s) URL like https://example.com/image.jpg");
            return problems;
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            problems.add("must be an http:// or https:// URL");
            return problems;
        }
        if (uri.getRawUserInfo() != null || (uri.getRawAuthority() != null && uri.getRawAuthority().contains("@"))) {
            problems.add("must not contain credentials");
        }
        String host = uri.getHost();
        if (host == null || host.isBlank()) {
            problems.add("must name a host");
            return problems;
        }
        String why = hostRefusal(host);
        if (why != null) {
            problems.add(why);
        }
        return problems;
    }

    /** Checks the URL's form and every address its host resolves to. */
    public URI check(String url) {
        URI uri = checkForm(url);
        checkResolved(uri.getHost());
        return uri;
    }

    private URI checkForm(String url) {
        List<String> problems = problems(url);
        if (!problems.isEmpty()) {
            throw new FetchException("unsafe_url", "refused " + shown(url) + ": " + String.join("; ", problems));
        }
        return URI.create(url);
    }

    /** Like {@link #check}, except that a reserved name answered by {@link ReservedDomains} is not looked up. */
    private URI checkFetched(String url) {
        URI uri = checkForm(url);
        if (answering(uri) == null) {
            checkResolved(uri.getHost());
        }
        return uri;
    }

    /** The registered {@link ReservedDomains} when it answers for this URL's host, else null. */
    private @Nullable ReservedDomains answering(URI uri) {
        return reserved != null && ReservedDomains.isReserved(uri.getHost()) ? reserved : null;
    }

    /** Fetches {@code url} into {@code target} (replaced atomically), within {@code limits}. */
    public Fetched fetch(String url, Path target, Limits limits) throws IOException {
        URI current = checkFetched(url);
        long deadline = System.nanoTime() + limits.timeout().toNanos();
        for (int hop = 0; ; hop++) {
            ReservedDomains local = answering(current);
            if (local != null) {
                ReservedDomains.Answer answer = local.answer(current);
                if (answer.status() != 200) {
                    throw notOk(current, answer.status());
                }
                return store(new ByteArrayInputStream(answer.body()), current, target, limits, deadline);
            }
            HttpResponse<InputStream> response = send(current, remaining(deadline));
            int status = response.statusCode();
            if (status >= 300 && status < 400 && response.headers().firstValue("Location").isPresent()) {
                response.body().close();
                if (hop >= limits.maxRedirects()) {
                    throw new FetchException("too_many_redirects", "more than " + limits.maxRedirects() + " redirects from " + shown(url));
                }
                current = checkFetched(current.resolve(response.headers().firstValue("Location").get()).toString());
                continue;
            }
            if (status != 200) {
                response.body().close();
                throw notOk(current, status);
            }
            long declared = response.headers().firstValueAsLong("Content-Length").orElse(-1);
            if (declared > limits.maxBytes()) {
                response.body().close();
                throw new FetchException("too_large", shown(current.toString()) + " is " + declared + " bytes; the limit is " + limits.maxBytes());
            }
            return store(response.body(), current, target, limits, deadline);
        }
    }

    private static FetchException notOk(URI uri, int status) {
        return new FetchException("fetch_failed", shown(uri.toString()) + " answered HTTP " + status);
    }

    private HttpResponse<InputStream> send(URI uri, Duration timeout) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).header("User-Agent", "crosspost-fetcher").GET().build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpTimeoutException e) {
            throw new FetchException("fetch_timeout", shown(uri.toString()) + " did not answer within " + timeout.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (IOException e) {
            throw new FetchException("fetch_failed", shown(uri.toString()) + " could not be reached");
        }
    }

    private Fetched store(InputStream body, URI from, Path target, Limits limits, long deadline) throws IOException {
        Files.createDirectories(target.toAbsolutePath().getParent());
        Path temp = Files.createTempFile(target.toAbsolutePath().getParent(), ".fetch-", ".part");
        AtomicBoolean expired = new AtomicBoolean();
        // a server dribbling its body must not hold us past the deadline: closing the stream aborts the read
        ScheduledFuture<?> alarm = DEADLINES.schedule(() -> {
            expired.set(true);
            closeQuietly(body);
        }, Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        long size = 0;
        byte[] head = new byte[16];
        int headLength = 0;
        try (InputStream in = body; OutputStream out = Files.newOutputStream(temp)) {
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) != -1; ) {
                size += n;
                if (size > limits.maxBytes()) {
                    throw new FetchException("too_large", shown(from.toString()) + " is larger than the limit of " + limits.maxBytes() + " bytes");
                }
                if (headLength < head.length) {
                    int take = Math.min(n, head.length - headLength);
                    System.arraycopy(buffer, 0, head, headLength, take);
                    headLength += take;
                }
                out.write(buffer, 0, n);
            }
            String type = sniff(head, headLength);
            if (!limits.contentTypes().contains(type)) {
                throw new FetchException("unexpected_content_type", shown(from.toString()) + " is " + type + ", not one of " + limits.contentTypes());
            }
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return new Fetched(target, type, size, from);
        } catch (IOException e) {
            if (expired.get()) {
                throw new FetchException("fetch_timeout", shown(from.toString()) + " did not finish within " + limits.timeout().toSeconds() + " s");
            }
            throw new FetchException("fetch_failed", "reading " + shown(from.toString()) + " failed");
        } finally {
            alarm.cancel(false);
            Files.deleteIfExists(temp);
        }
    }

    /** The type a body really has, from its first bytes. */
    public static String sniff(byte[] b, int length) {
        if (length >= 3 && (b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xd8 && (b[2] & 0xff) == 0xff) {
            return "image/jpeg";
        }
        if (length >= 8 && (b[0] & 0xff) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G') {
            return "image/png";
        }
        if (length >= 6 && b[0] == 'G' && b[1] == 'I' && b[2] == 'F' && b[3] == '8') {
            return "image/gif";
        }
        if (length >= 12 && b[0] == 'R' && b[1] == 'I' && b[2] == 'F' && b[3] == 'F' && b[8] == 'W' && b[9] == 'E' && b[10] == 'B' && b[11] == 'P') {
            return "image/webp";
        }
        if (length >= 12 && b[4] == 'f' && b[5] == 't' && b[6] == 'y' && b[7] == 'p') {
            return b[8] == 'q' && b[9] == 't' ? "video/quicktime" : "video/mp4";
        }
        if (length >= 4 && (b[0] & 0xff) == 0x1a && (b[1] & 0xff) == 0x45 && (b[2] & 0xff) == 0xdf && (b[3] & 0xff) == 0xa3) {
            return "video/webm";
        }
        return "application/octet-stream";
    }

    private @Nullable String hostRefusal(String rawHost) {
        String host = rawHost.toLowerCase(Locale.ROOT);
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        if (host.startsWith("[")) {
            try {
                InetAddress address = InetAddress.getByName(host);
                return addressRefusal(address);
            } catch (UnknownHostException e) {
                return "must name a valid host";
            }
        }
        if (host.equals("localhost") || host.endsWith(".localhost")) {
            return allowLoopback ? null : "must not name this machine (" + host + ")";
        }
        if (NUMERIC_HOST.matcher(host).matches()) {
            if (!DOTTED_DECIMAL.matcher(host).matches()) {
                InetAddress meant = inetAton(host);
                return "must write an IP address as plain dotted decimal, not " + host
                        + (meant == null ? "" : " (" + meant.getHostAddress() + ")");
            }
            try {
                return addressRefusal(InetAddress.getByName(host));
            } catch (UnknownHostException e) {
                return "must name a valid host";
            }
        }
        try {
            IDN.toASCII(host, IDN.USE_STD3_ASCII_RULES);
        } catch (IllegalArgumentException e) {
            return "must name a valid host";
        }
        return null;
    }

    private void checkResolved(String host) {
        String name = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(name);
        } catch (UnknownHostException e) {
            throw new FetchException("fetch_failed", "host " + host + " does not resolve");
        }
        for (InetAddress address : addresses) {
            String why = addressRefusal(address);
            if (why != null) {
                throw new FetchException("unsafe_url", "refused: " + host + " resolves to " + address.getHostAddress() + ": " + why);
            }
        }
    }

    private @Nullable String addressRefusal(InetAddress address) {
        if (allowLoopback && Addresses.isLoopback(address)) {
            return null;
        }
        String why = Addresses.refusal(address);
        return why == null ? null : "must reach a public address, not " + address.getHostAddress() + " (" + why + ")";
    }

    /** What inet_aton would make of a numeric host (decimal, hex, octal, 1 to 4 parts), or null. */
    static @Nullable InetAddress inetAton(String host) {
        String[] parts = host.split("\\.", -1);
        if (parts.length > 4) {
            return null;
        }
        long[] values = new long[parts.length];
        try {
            for (int i = 0; i < parts.length; i++) {
                String p = parts[i];
                if (p.isEmpty()) {
                    return null;
                }
                if (p.length() > 12) {
                    return null;
                }
                values[i] = p.startsWith("0x") ? Long.parseLong(p.substring(2), 16)
                        : p.length() > 1 && p.startsWith("0") ? Long.parseLong(p.substring(1), 8) : Long.parseLong(p);
            }
        } catch (NumberFormatException e) {
            return null;
        }
        long value = 0;
        for (int i = 0; i < values.length - 1; i++) {
            if (values[i] > 255) {
                return null;
            }
            value |= values[i] << (8 * (3 - i));
        }
        long last = values[values.length - 1];
        if (last >= (1L << (8 * (5 - values.length)))) {
            return null;
        }
        value |= last;
        try {
            return InetAddress.getByAddress(new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value});
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static Duration remaining(long deadline) {
        long nanos = deadline - System.nanoTime();
        if (nanos <= 0) {
            throw new FetchException("fetch_timeout", "the fetch ran out of time");
        }
        return Duration.ofNanos(nanos);
    }

    /** A URL for messages: without its query, which may carry signatures or tokens. */
    private static String shown(String url) {
        int cut = url.indexOf('?');
        String base = cut < 0 ? url : url.substring(0, cut) + "?…";
        return base.length() > 200 ? base.substring(0, 200) + "…" : base;
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // aborting a read; nothing to report
        }
    }
}
