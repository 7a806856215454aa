package dev.crosspost.identity.internal;

import org.jspecify.annotations.Nullable;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The access-token signing secret: {@code crosspost.security.jwt-secret}, or outside {@code prod} one generated
 * once into {@code <dataDir>/secrets/jwt.key} (mode 600) so tokens survive restarts.
 */
final class JwtKeys {

    static final String KEY_FILE = "secrets/jwt.key";

    private JwtKeys() {
    }

    static byte[] load(@Nullable String configured, Path dataDir, boolean prod) {
        if (configured != null && !configured.isBlank()) {
            return configured.getBytes(StandardCharsets.UTF_8);
        }
        if (prod) {
            throw new IllegalStateException("crosspost.security.jwt-secret must be set under the prod profile");
        }
        Path file = dataDir.resolve(KEY_FILE);
        try {
            if (Files.exists(file)) {
                return Files.readString(file, StandardCharsets.US_ASCII).strip().getBytes(StandardCharsets.US_ASCII);
            }
            Files.createDirectories(file.getParent());
            byte[] random = new byte[48];
            new SecureRandom().nextBytes(random);
            String encoded = Base64.getEncoder().encodeToString(random);
            Files.writeString(file, encoded, StandardCharsets.US_ASCII, StandardOpenOption.CREATE_NEW);
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system: the data dir's own permissions must protect it
            }
            return encoded.getBytes(StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create " + file, e);
        }
    }
}
