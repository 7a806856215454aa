package dev.crosspost.accounts.internal;

import dev.crosspost.accounts.KeyRotation;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Re-encrypts every stored secret that is not under the current key: account tokens, then pending PKCE verifiers.
 * Each batch is one transaction holding its rows' locks; a row that cannot be decrypted is reported and skipped.
 */
final class KeyRotator {

    private static final Logger log = LoggerFactory.getLogger(KeyRotator.class);

    private final AccountStore accounts;
    private final OAuthStates states;
    private final TokenCipher cipher;
    private final TransactionTemplate tx;
    private final int batchSize;

    KeyRotator(AccountStore accounts, OAuthStates states, TokenCipher cipher, TransactionTemplate tx, int batchSize) {
        this.accounts = accounts;
        this.states = states;
        this.cipher = cipher;
        this.tx = tx;
        this.batchSize = batchSize;
    }

    /** One batch's result: how many were rewritten, which failed, and where the next batch starts. */
    private record Batch<K>(int size, int reencrypted, List<K> failed, @Nullable K last) {
    }

    KeyRotation rotate() {
        String prefix = cipher.currentPrefix();
        int done = 0;
        List<UUID> failed = new ArrayList<>();
        UUID after = null;
        while (true) {
            UUID from = after;
            Batch<UUID> batch = Objects.requireNonNull(tx.execute(status -> accountBatch(prefix, from)));
            done += batch.reencrypted();
            failed.addAll(batch.failed());
            if (batch.size() < batchSize) {
                break;
            }
            after = batch.last();
        }
        int verifiersFailed = 0;
        String afterState = null;
        while (true) {
            String from = afterState;
            Batch<String> batch = Objects.requireNonNull(tx.execute(status -> stateBatch(prefix, from)));
            done += batch.reencrypted();
            verifiersFailed += batch.failed().size();
            if (batch.size() < batchSize) {
                break;
            }
            afterState = batch.last();
        }
        log.info("Key rotation to {}: {} secret(s) re-encrypted, {} account(s) and {} pending authorization(s) could not be",
                cipher.currentKeyId(), done, failed.size(), verifiersFailed);
        return new KeyRotation(cipher.currentKeyId(), done, failed.size() + verifiersFailed, List.copyOf(failed));
    }

    private Batch<UUID> accountBatch(String prefix, @Nullable UUID after) {
        List<StoredAccount> rows = accounts.lockNotUnderKey(prefix, after, batchSize);
        int done = 0;
        List<UUID> failed = new ArrayList<>();
        for (StoredAccount row : rows) {
            try {
                String access = row.accessToken() == null ? null : cipher.reencrypt(row.accessToken());
                String refresh = row.refreshToken() == null ? null : cipher.reencrypt(row.refreshToken());
                accounts.saveCiphertexts(row.id(), access, refresh);
                done += (access != null && !access.equals(row.accessToken()) ? 1 : 0)
                        + (refresh != null && !refresh.equals(row.refreshToken()) ? 1 : 0);
            } catch (TokenCipher.Undecryptable e) {
                log.warn("Account {} keeps its old ciphertext: {}", row.id(), e.getMessage());
                failed.add(row.id());
            }
        }
        return new Batch<>(rows.size(), done, failed, rows.isEmpty() ? after : rows.getLast().id());
    }

    private Batch<String> stateBatch(String prefix, @Nullable String after) {
        List<OAuthStates.Pending> rows = states.lockNotUnderKey(prefix, after, batchSize);
        int done = 0;
        List<String> failed = new ArrayList<>();
        for (OAuthStates.Pending row : rows) {
            try {
                states.saveVerifier(row.state(), cipher.reencrypt(row.codeVerifier()));
                done++;
            } catch (TokenCipher.Undecryptable e) {
                failed.add(row.state());
            }
        }
        return new Batch<>(rows.size(), done, failed, rows.isEmpty() ? after : rows.getLast().state());
    }
}
