package dev.crosspost.generation.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Locale;

/**
 * Until the shared SSRF-safe fetcher is bound: {@code file:} only inside the data dir; {@code http(s)} only to
 * public addresses (every resolved address checked, redirects followed by hand and checked again), loopback only
 * while the sandbox is on, so its simulators' links work.
 */
final class GuardedMediaFetch implements MediaFetch {

    private static final int MAX_REDIRECTS = 3;

    private final Path dataDir;
    private final boolean allowLoopback;
    private final HttpClient http;
    private final Duration timeout;

    GuardedMediaFetch(Path dataDir, boolean allowLoopback, Duration timeout) {
        this.dataDir = dataDir.toAbsolutePath().normalize();
        this.allowLoopback = allowLoopback;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(10)).build();
    }

    @Override
    public Fetched download(String location, Path target, long maxBytes) throws IOException {
        URI uri = URI.create(location.strip());
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("file")) {
            Path source = Path.of(uri).toAbsolutePath().normalize();
            if (!source.startsWith(dataDir) || !Files.isRegularFile(source) || !source.toRealPath().startsWith(dataDir.toRealPath())) {
                throw new IOException("file URLs must name a file inside the data dir");
            }
            try (InputStream in = Files.newInputStream(source)) {
                long size = write(in, target, maxBytes);
                return new Fetched(guess(source.getFileName().toString()), size);
            }
        }
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            check(uri);
            HttpResponse<InputStream> response;
            try {
                response = http.send(HttpRequest.newBuilder(uri).timeout(timeout).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted");
            }
            int status = response.statusCode();
            if (status / 100 == 3 && response.headers().firstValue("Location").isPresent()) {
                response.body().close();
                uri = uri.resolve(response.headers().firstValue("Location").get());
                continue;
            }
            try (InputStream in = response.body()) {
                if (status != 200) {
                    throw new IOException("download answered HTTP " + status);
                }
                long declared = response.headers().firstValueAsLong("Content-Length").orElse(-1);
                if (declared > maxBytes) {
                    throw new IOException("download is " + declared + " bytes, more than the " + maxBytes + " allowed");
                }
                long size = write(in, target, maxBytes);
                return new Fetched(response.headers().firstValue("Content-Type").orElse(guess(uri.getPath())), size);
            }
        }
        throw new IOException("more than " + MAX_REDIRECTS + " redirects");
    }

    private void check(URI uri) throws IOException {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw new IOException("only http(s) URLs with a host can be fetched");
        }
        for (InetAddress address : InetAddress.getAllByName(uri.getHost())) {
            if (address.isLoopbackAddress() && allowLoopback) {
                continue;
            }
            if (!isPublic(address)) {
                throw new IOException("refusing to fetch from a non-public address");
            }
        }
    }

    static boolean isPublic(InetAddress a) {
        if (a.isLoopbackAddress() || a.isAnyLocalAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress() || a.isMulticastAddress()) {
            return false;
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet6Address) {
            return (b[0] & 0xfe) != 0xfc; // fc00::/7 unique-local
        }
        int first = b[0] & 0xff;
        int second = b[1] & 0xff;
        return !(first == 0 || first == 100 && second >= 64 && second < 128 || first == 169 && second == 254
                || first == 192 && second == 0 || first == 198 && (second == 18 || second == 19) || first >= 224);
    }

    private static long write(InputStream in, Path target, long maxBytes) throws IOException {
        Files.createDirectories(target.toAbsolutePath().getParent());
        Path part = Files.createTempFile(target.toAbsolutePath().getParent(), target.getFileName().toString(), ".part");
        try {
            long total = 0;
            byte[] buffer = new byte[64 * 1024];
            try (OutputStream out = Files.newOutputStream(part)) {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    total += n;
                    if (total > maxBytes) {
                        throw new IOException("download is more than the " + maxBytes + " bytes allowed");
                    }
                    out.write(buffer, 0, n);
                }
            }
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return total;
        } finally {
            Files.deleteIfExists(part);
        }
    }

    static String guess(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.endsWith(".mp4") || n.endsWith(".m4v")) {
            return "video/mp4";
        }
        if (n.endsWith(".mov")) {
            return "video/quicktime";
        }
        if (n.endsWith(".webm")) {
            return "video/webm";
        }
        if (n.endsWith(".png")) {
            return "image/png";
        }
        if (n.endsWith(".jpg") || n.endsWith(".jpeg")) {
            return "image/jpeg";
        }
        return n.endsWith(".webp") ? "image/webp" : "application/octet-stream";
    }
}
