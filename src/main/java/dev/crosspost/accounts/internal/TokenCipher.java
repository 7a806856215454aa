package dev.crosspost.accounts.internal;

import dev.crosspost.system.CrosspostException;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * AES-256-GCM for tokens at rest. Each value gets a fresh random 96-bit IV; the stored form is
 * {@code v1:<keyId>:<base64url(iv || ciphertext || tag)>}, and the {@code v1:<keyId>} prefix is authenticated too,
 * so a ciphertext cannot be relabelled to another key.
 */
final class TokenCipher {

    private static final String VERSION = "v1";
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    private final EncryptionKeys keys;
    private final SecureRandom random = new SecureRandom();

    TokenCipher(EncryptionKeys keys) {
        this.keys = keys;
    }

    /** A stored secret that cannot be decrypted: altered, truncated, or under a key that is not configured. */
    static final class Undecryptable extends CrosspostException {
        Undecryptable(String why) {
            super(Kind.CONFLICT, "credentials_unreadable", "stored credentials cannot be decrypted: " + why);
        }
    }

    String currentKeyId() {
        return keys.current().id();
    }

    /** The prefix every ciphertext under the current key starts with. */
    String currentPrefix() {
        return VERSION + ":" + currentKeyId() + ":";
    }

    boolean isCurrent(String ciphertext) {
        return ciphertext.startsWith(currentPrefix());
    }

    String encrypt(String plaintext) {
        EncryptionKeys.Key key = keys.current();
        byte[] iv = new byte[IV_BYTES];
        random.nextBytes(iv);
        String header = VERSION + ":" + key.id();
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key.secret(), new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(header.getBytes(StandardCharsets.US_ASCII));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            return header + ":" + B64.encodeToString(ByteBuffer.allocate(iv.length + sealed.length).put(iv).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is unavailable in this JVM", e);
        }
    }

    String decrypt(String stored) {
        String[] parts = stored.split(":", 3);
        if (parts.length != 3 || !VERSION.equals(parts[0])) {
            throw new Undecryptable("not a " + VERSION + " ciphertext");
        }
        EncryptionKeys.Key key = keys.byId(parts[1]);
        if (key == null) {
            throw new Undecryptable("it was encrypted under key " + parts[1] + ", which is neither crosspost.security.encryption-key "
                    + "nor listed in crosspost.accounts.previous-encryption-keys");
        }
        byte[] body;
        try {
            body = B64D.decode(parts[2]);
        } catch (IllegalArgumentException e) {
            throw new Undecryptable("the ciphertext is not base64url");
        }
        if (body.length < IV_BYTES + TAG_BITS / 8) {
            throw new Undecryptable("the ciphertext is truncated");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key.secret(), new GCMParameterSpec(TAG_BITS, body, 0, IV_BYTES));
            cipher.updateAAD((parts[0] + ":" + parts[1]).getBytes(StandardCharsets.US_ASCII));
            return new String(cipher.doFinal(body, IV_BYTES, body.length - IV_BYTES), StandardCharsets.UTF_8);
        } catch (AEADBadTagException e) {
            throw new Undecryptable("the ciphertext was altered (authentication tag mismatch)");
        } catch (GeneralSecurityException e) {
            throw new Undecryptable("the ciphertext is malformed");
        }
    }

    /** The value under the current key: decrypted and encrypted again, or unchanged when it already is. */
    String reencrypt(String stored) {
        return isCurrent(stored) ? stored : encrypt(decrypt(stored));
    }

    @Override
    public String toString() {
        return "TokenCipher[current=" + currentKeyId() + "]";
    }
}
