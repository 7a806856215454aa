package dev.crosspost.intake.internal;

import dev.crosspost.system.SecuritySettings;
import dev.crosspost.system.SystemSettings;
import dev.crosspost.system.logging.Redactor;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.UUID;

/**
 * Each campaign's inbound webhook secret, derived from one master key (HMAC-SHA256 of the campaign id), so no
 * secret is stored per campaign and one campaign's secret says nothing about another's. The secret string is
 * itself the HMAC key senders use, as with outbound webhooks.
 */
@Component
public class WebhookSecrets {

    static final String KEY_FILE = "secrets/intake-webhook.key";

    private final byte[] master;

    WebhookSecrets(IntakeSettings settings, SecuritySettings security, SystemSettings system, Environment environment) {
        if (settings.webhookKey() != null && !settings.webhookKey().isBlank()) {
            this.master = settings.webhookKey().getBytes(StandardCharsets.UTF_8);
        } else if (security.jwtSecret() != null && !security.jwtSecret().isBlank()) {
            // a key of its own, separated from the token-signing use by the label
            this.master = hmac(security.jwtSecret().getBytes(StandardCharsets.UTF_8), "crosspost intake webhook master v1");
        } else if (environment.matchesProfiles("prod")) {
            throw new IllegalStateException("set crosspost.intake.webhook-key (or crosspost.security.jwt-secret) under the prod profile");
        } else {
            this.master = generated(system.dataDir().resolve(KEY_FILE));
        }
    }

    private static byte[] hmac(byte[] key, String label) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(label.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The secret a campaign's content webhook is signed with. */
    public String secret(UUID campaignId) {
        String secret = "whsec_" + Base64.getUrlEncoder().withoutPadding().encodeToString(hmac(master, "campaign-webhook:" + campaignId));
        Redactor.registerSecret(secret);
        return secret;
    }

    /** Reads the generated key, creating it (mode 600) on the first start; two processes never both create it. */
    private static byte[] generated(Path file) {
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(file.getParent());
                byte[] fresh = new byte[32];
                new SecureRandom().nextBytes(fresh);
                Path temp = Files.createTempFile(file.getParent(), ".intake-webhook", ".tmp");
                try {
                    if (temp.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                        Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
                    }
                    Files.writeString(temp, Base64.getEncoder().encodeToString(fresh) + "\n", StandardCharsets.US_ASCII);
                    Files.createLink(file, temp);
                } catch (FileAlreadyExistsException e) {
                    // another process generated it first: use theirs
                } finally {
                    Files.deleteIfExists(temp);
                }
            }
            String stored = Files.readString(file, StandardCharsets.US_ASCII).trim();
            Redactor.registerSecret(stored);
            return Base64.getDecoder().decode(stored);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException("cannot read or create the intake webhook key " + file + "; set crosspost.intake.webhook-key", e);
        }
    }
}
