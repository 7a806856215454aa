package dev.crosspost.generation.internal;

import dev.crosspost.system.net.FetchException;
import dev.crosspost.system.net.SafeFetcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Locale;

/**
 * Generation's fetch seam bound to the shared SSRF-safe {@link SafeFetcher}: {@code http(s)} goes through it (every
 * address and redirect checked, the type sniffed from the bytes), {@code file:} is read only inside the data dir.
 */
final class SafeMediaFetch implements MediaFetch {

    private final SafeFetcher fetcher;
    private final Path dataDir;
    private final Duration timeout;
    private final int maxRedirects;

    SafeMediaFetch(SafeFetcher fetcher, Path dataDir, Duration timeout, int maxRedirects) {
        this.fetcher = fetcher;
        this.dataDir = dataDir.toAbsolutePath().normalize();
        this.timeout = timeout;
        this.maxRedirects = maxRedirects;
    }

    @Override
    public Fetched download(String location, Path target, long maxBytes) throws IOException {
        URI uri = URI.create(location.strip());
        if ("file".equalsIgnoreCase(uri.getScheme())) {
            return copy(uri, target, maxBytes);
        }
        try {
            var limits = new SafeFetcher.Limits(maxBytes, timeout, maxRedirects, SafeFetcher.MEDIA_TYPES);
            SafeFetcher.Fetched got = fetcher.fetch(uri.toString(), target, limits);
            return new Fetched(got.contentType(), got.sizeBytes());
        } catch (FetchException e) {
            // callers treat every failed download alike: retry, or give up with the reason
            throw new IOException(e.getMessage(), e);
        }
    }

    private Fetched copy(URI uri, Path target, long maxBytes) throws IOException {
        Path source = Path.of(uri).toAbsolutePath().normalize();
        if (!source.startsWith(dataDir) || !Files.isRegularFile(source) || !source.toRealPath().startsWith(dataDir.toRealPath())) {
            throw new IOException("file URLs must name a file inside the data dir");
        }
        Files.createDirectories(target.toAbsolutePath().getParent());
        Path part = Files.createTempFile(target.toAbsolutePath().getParent(), target.getFileName().toString(), ".part");
        try {
            long total = 0;
            byte[] buffer = new byte[64 * 1024];
            try (InputStream in = Files.newInputStream(source); OutputStream out = Files.newOutputStream(part)) {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    total += n;
                    if (total > maxBytes) {
                        throw new IOException("download is more than the " + maxBytes + " bytes allowed");
                    }
                    out.write(buffer, 0, n);
                }
            }
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return new Fetched(guess(source.getFileName().toString()), total);
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
