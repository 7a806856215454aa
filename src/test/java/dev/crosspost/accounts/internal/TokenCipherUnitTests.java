package dev.crosspost.accounts.internal;

import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TokenCipherUnitTests {

    static byte[] key() {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        return k;
    }

    private final byte[] a = key();
    private final byte[] b = key();

    @Test
    void ciphertextIsVersionedNamedByKeyAndRoundTrips() {
        TokenCipher cipher = new TokenCipher(new EncryptionKeys(a, List.of()));
        String sealed = cipher.encrypt("ya29.secret-token");

        String keyId = EncryptionKeys.keyId(a);
        assertThat(keyId).hasSize(8).matches("[0-9a-f]{8}");
        assertThat(sealed).startsWith("v1:" + keyId + ":").doesNotContain("secret-token");
        byte[] body = Base64.getUrlDecoder().decode(sealed.substring(("v1:" + keyId + ":").length()));
        // 12-byte IV, the 17 plaintext bytes, a 16-byte tag
        assertThat(body).hasSize(12 + 17 + 16);
        assertThat(cipher.decrypt(sealed)).isEqualTo("ya29.secret-token");
    }

    @Test
    void everyValueGetsItsOwnIv() {
        TokenCipher cipher = new TokenCipher(new EncryptionKeys(a, List.of()));
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            assertThat(seen.add(cipher.encrypt("same"))).isTrue();
        }
    }

    @Test
    void previousKeysStillDecryptAndReencryptMovesToTheCurrentKey() {
        String underA = new TokenCipher(new EncryptionKeys(a, List.of())).encrypt("refresh-me");
        TokenCipher rotating = new TokenCipher(new EncryptionKeys(b, List.of(a)));

        assertThat(rotating.isCurrent(underA)).isFalse();
        String underB = rotating.reencrypt(underA);
        assertThat(rotating.isCurrent(underB)).isTrue();
        assertThat(rotating.reencrypt(underB)).isSameAs(underB);
        assertThat(new TokenCipher(new EncryptionKeys(b, List.of())).decrypt(underB)).isEqualTo("refresh-me");
    }

    @Test
    void tamperedTruncatedOrRelabelledCiphertextFailsWithAClearReason() {
        TokenCipher cipher = new TokenCipher(new EncryptionKeys(a, List.of(b)));
        String sealed = cipher.encrypt("token-value");
        int at = sealed.length() - 10;
        String flipped = sealed.substring(0, at) + (sealed.charAt(at) == 'A' ? 'B' : 'A') + sealed.substring(at + 1);

        assertThatThrownBy(() -> cipher.decrypt(flipped)).isInstanceOf(TokenCipher.Undecryptable.class)
                .hasMessageContaining("altered");
        assertThatThrownBy(() -> cipher.decrypt(sealed.substring(0, 20))).isInstanceOf(TokenCipher.Undecryptable.class)
                .hasMessageContaining("truncated");
        assertThatThrownBy(() -> cipher.decrypt("plain-token")).isInstanceOf(TokenCipher.Undecryptable.class)
                .hasMessageContaining("not a v1 ciphertext");
        // the key id is authenticated: claiming the other configured key fails the tag, not silently decrypts
        String relabelled = sealed.replace(EncryptionKeys.keyId(a), EncryptionKeys.keyId(b));
        assertThatThrownBy(() -> cipher.decrypt(relabelled)).isInstanceOf(TokenCipher.Undecryptable.class)
                .hasMessageContaining("altered");
    }

    @Test
    void anUnknownKeyIdNamesTheSettingsToFix() {
        String underB = new TokenCipher(new EncryptionKeys(b, List.of())).encrypt("x");
        TokenCipher onlyA = new TokenCipher(new EncryptionKeys(a, List.of()));

        assertThatThrownBy(() -> onlyA.decrypt(underB))
                .isInstanceOf(TokenCipher.Undecryptable.class)
                .hasMessageContaining(EncryptionKeys.keyId(b))
                .hasMessageContaining("crosspost.accounts.previous-encryption-keys")
                .satisfies(e -> assertThat(((TokenCipher.Undecryptable) e).code()).isEqualTo("credentials_unreadable"));
    }

    @Test
    void neitherKeysNorTokensAppearInToString() {
        EncryptionKeys keys = new EncryptionKeys(a, List.of());
        String encoded = Base64.getEncoder().encodeToString(a);
        assertThat(keys.current().toString()).doesNotContain(encoded).contains(EncryptionKeys.keyId(a));
        assertThat(new TokenCipher(keys).toString()).doesNotContain(encoded);
        assertThat(new Credentials("access-123456", "refresh-123456", null).toString()).doesNotContain("access-123456", "refresh-123456");
        assertThat(new TokenGrant("access-123456", "refresh-123456", null, null, null, "id", "h").toString())
                .doesNotContain("access-123456", "refresh-123456");
    }
}
