package dev.crosspost.media.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.time.Instant;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;

/**
 * Where stored files live. Keys are content-addressed ({@code sha256/ab/cd/<hash>.<ext>}) and checked against one
 * pattern, so no key can step outside the store.
 */
interface Storage {

    Pattern KEY = Pattern.compile("(sha256/[0-9a-f]{2}/[0-9a-f]{2}/[0-9a-f]{64}|incoming/[0-9a-f-]{36})\\.[a-z0-9]{2,5}");

    static String key(String sha256, String extension) {
        String key = "sha256/" + sha256.substring(0, 2) + "/" + sha256.substring(2, 4) + "/" + sha256 + "." + extension;
        return checked(key);
    }

    static String checked(String key) {
        if (!KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("not a storage key");
        }
        return key;
    }

    /** Moves or copies {@code file} into the store under {@code key}; a key already present is kept (same content). */
    void put(String key, Path file, String contentType) throws IOException;

    InputStream open(String key, long offset) throws IOException;

    boolean exists(String key) throws IOException;

    void delete(String key) throws IOException;

    /** Every key in the store with when it was written, for the orphan sweep. */
    void forEachKey(BiConsumer<String, Instant> action) throws IOException;

    /** A URL a client may GET the object from without credentials, where the backend can make one. */
    Optional<URI> presignGet(String key, Duration ttl);

    /** A URL a client may PUT the object to directly, where the backend can make one. */
    Optional<URI> presignPut(String key, String contentType, Duration ttl);
}
