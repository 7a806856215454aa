package dev.crosspost.accounts.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EncryptionKeysUnitTests {

    @TempDir
    Path dataDir;

    @Test
    void withoutAConfiguredKeyOneIsGeneratedOnceKeptPrivateAndReused() throws Exception {
        EncryptionKeys first = EncryptionKeys.load(null, List.of(), dataDir, false);
        Path file = dataDir.resolve("secrets/encryption.key");

        assertThat(file).exists();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");
        assertThat(EncryptionKeys.decodeKey(Files.readString(file))).hasSize(32);

        // a restart finds the same key, so what was encrypted before can still be read
        String sealed = new TokenCipher(first).encrypt("survives restarts");
        EncryptionKeys second = EncryptionKeys.load("", List.of(), dataDir, false);
        assertThat(second.current().id()).isEqualTo(first.current().id());
        assertThat(new TokenCipher(second).decrypt(sealed)).isEqualTo("survives restarts");
        try (var leftovers = Files.list(file.getParent())) {
            assertThat(leftovers).containsExactly(file);
        }
    }

    @Test
    void aConfiguredKeyWinsAndNoFileIsWritten() {
        byte[] key = TokenCipherUnitTests.key();
        EncryptionKeys keys = EncryptionKeys.load(Base64.getEncoder().encodeToString(key), List.of(), dataDir, true);

        assertThat(keys.current().id()).isEqualTo(EncryptionKeys.keyId(key));
        assertThat(dataDir.resolve("secrets")).doesNotExist();
    }

    @Test
    void prodWithoutAKeyAndMalformedKeysRefuseToStart() {
        assertThatThrownBy(() -> EncryptionKeys.load(null, List.of(), dataDir, true))
                .hasMessageContaining("crosspost.security.encryption-key must be set");
        assertThatThrownBy(() -> EncryptionKeys.load("c2hvcnQ=", List.of(), dataDir, false))
                .hasMessageContaining("base64 of 32 random bytes");
        String good = Base64.getEncoder().encodeToString(TokenCipherUnitTests.key());
        assertThatThrownBy(() -> EncryptionKeys.load(good, List.of("not-a-key"), dataDir, false))
                .hasMessageContaining("previous-encryption-keys");
    }

    @Test
    void keysAreReadInEitherBase64Alphabet() {
        byte[] key = new byte[32];
        java.util.Arrays.fill(key, (byte) 0xfb);
        assertThat(EncryptionKeys.decodeKey(Base64.getEncoder().encodeToString(key))).isEqualTo(key);
        assertThat(EncryptionKeys.decodeKey(Base64.getUrlEncoder().withoutPadding().encodeToString(key))).isEqualTo(key);
        assertThat(EncryptionKeys.decodeKey(Base64.getEncoder().encodeToString(new byte[16]))).isNull();
    }
}
