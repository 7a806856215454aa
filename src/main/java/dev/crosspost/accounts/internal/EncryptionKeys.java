package dev.crosspost.accounts.internal;

import dev.crosspost.system.logging.Redactor;
import org.jspecify.annotations.Nullable;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The AES-256 keys tokens are encrypted with: the current one (new ciphertext) and older ones that are still
 * accepted for decryption. Each key is named by the first 8 hex characters of its SHA-256.
 */
final class EncryptionKeys {

    static final int KEY_BYTES = 32;
    static final String KEY_FILE = "secrets/encryption.key";

    /** One key and its id; never printed. */
    record Key(String id, SecretKey secret) {
        @Override
        public String toString() {
            return "Key[" + id + "]";
        }
    }

    private final Key current;
    private final Map<String, Key> byId;

    EncryptionKeys(byte[] current, List<byte[]> previous) {
        this.current = key(current);
        Map<String, Key> all = new LinkedHashMap<>();
        all.put(this.current.id(), this.current);
        for (byte[] bytes : previous) {
            Key k = key(bytes);
            Key clash = all.putIfAbsent(k.id(), k);
            if (clash != null && !MessageDigest.isEqual(clash.secret().getEncoded(), bytes)) {
                throw new IllegalStateException("two encryption keys share the id " + k.id() + "; generate a new key");
            }
        }
        this.byId = Map.copyOf(all);
    }

    Key current() {
        return current;
    }

    @Nullable Key byId(String id) {
        return byId.get(id);
    }

    /**
     * The keys from settings. Without a configured current key, outside prod one is generated once and kept in
     * {@code <dataDir>/secrets/encryption.key} (mode 600) so that restarts can still decrypt; under prod it is an error
     * (settings validation refuses to start first).
     */
    static EncryptionKeys load(@Nullable String configured, List<String> previous, Path dataDir, boolean prod) {
        byte[] current;
        if (configured != null && !configured.isBlank()) {
            current = decodeKey(configured);
            if (current == null) {
                throw new IllegalStateException("crosspost.security.encryption-key must be base64 of 32 random bytes "
                        + "(e.g. openssl rand -base64 32)");
            }
        } else if (prod) {
            throw new IllegalStateException("crosspost.security.encryption-key must be set under the prod profile");
        } else {
            current = keyFile(dataDir.resolve(KEY_FILE));
        }
        List<byte[]> older = previous.stream().map(p -> {
            byte[] bytes = decodeKey(p);
            if (bytes == null) {
                throw new IllegalStateException("every crosspost.accounts.previous-encryption-keys entry must be base64 of 32 bytes");
            }
            return bytes;
        }).toList();
        return new EncryptionKeys(current, older);
    }

    /** The 32 key bytes of a base64 (standard or URL-safe, padded or not) value, or null when it is not one. */
    static byte @Nullable [] decodeKey(String value) {
        String trimmed = value.trim();
        for (Base64.Decoder decoder : List.of(Base64.getDecoder(), Base64.getUrlDecoder())) {
            try {
                byte[] bytes = decoder.decode(trimmed);
                return bytes.length == KEY_BYTES ? bytes : null;
            } catch (IllegalArgumentException e) {
                // try the other alphabet
            }
        }
        return null;
    }

    static String keyId(byte[] key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key)).substring(0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static Key key(byte[] bytes) {
        return new Key(keyId(bytes), new SecretKeySpec(bytes, "AES"));
    }

    /** Reads the generated key, or writes a new one; a node that loses the race reads the winner's. */
    private static byte[] keyFile(Path file) {
        try {
            if (!Files.exists(file)) {
                Path dir = Files.createDirectories(file.getParent());
                restrict(dir, "rwx------");
                byte[] fresh = new byte[KEY_BYTES];
                new SecureRandom().nextBytes(fresh);
                Path temp = Files.createTempFile(dir, ".encryption", ".tmp");
                try {
                    restrict(temp, "rw-------");
                    Files.writeString(temp, Base64.getEncoder().encodeToString(fresh) + "\n", StandardCharsets.US_ASCII);
                    try {
                        // a hard link is created only if the name is free, so two nodes can never both win
                        Files.createLink(file, temp);
                    } catch (UnsupportedOperationException e) {
                        Files.move(temp, file);
                    }
                } catch (FileAlreadyExistsException e) {
                    // another process generated it first: use theirs
                } finally {
                    Files.deleteIfExists(temp);
                }
            }
            String stored = Files.readString(file, StandardCharsets.US_ASCII).trim();
            byte[] bytes = decodeKey(stored);
            if (bytes == null) {
                throw new IllegalStateException(file + " does not hold base64 of 32 bytes; restore it from a backup or "
                        + "set crosspost.security.encryption-key");
            }
            Redactor.registerSecret(stored);
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the encryption key file " + file, e);
        }
    }

    private static void restrict(Path path, String permissions) throws IOException {
        if (path.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
        }
    }
}
