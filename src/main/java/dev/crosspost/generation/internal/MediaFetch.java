package dev.crosspost.generation.internal;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The one seam through which generation reads media it did not make: product images and HeyGen's download links.
 * The SSRF-safe fetcher of {@code system.net} is meant to be bound here.
 */
public interface MediaFetch {

    /** What was written. */
    record Fetched(String contentType, long sizeBytes) {
    }

    /**
     * Streams {@code location} ({@code http(s):}, or {@code file:} inside the data dir) into {@code target},
     * refusing more than {@code maxBytes}. A partial download never stays at {@code target}.
     */
    Fetched download(String location, Path target, long maxBytes) throws IOException;
}
