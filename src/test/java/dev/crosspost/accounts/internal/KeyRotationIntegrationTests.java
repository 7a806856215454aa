package dev.crosspost.accounts.internal;

import dev.crosspost.publishing.adapter.AccountTokens;
import dev.crosspost.system.Workspaces;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Key rotation over the admin endpoint, and what a damaged or orphaned ciphertext does (never a stack trace). */
class KeyRotationIntegrationTests extends AccountsIntegrationTestBase {

    @Autowired AccountTokens tokens;
    @Autowired TokenRefresher refresher;

    private final TokenCipher onlyA = new TokenCipher(new EncryptionKeys(bytes(KEY_A), List.of()));
    private final TokenCipher onlyB = new TokenCipher(new EncryptionKeys(bytes(KEY_B), List.of()));
    private final TokenCipher lostKey = new TokenCipher(new EncryptionKeys(TokenCipherUnitTests.key(), List.of()));

    private UUID insertAccount(String access, String refresh) {
        UUID id = UUID.randomUUID();
        Timestamp now = Timestamp.from(Instant.now());
        jdbc.sql("""
                        INSERT INTO accounts (id, workspace_id, platform, external_id, handle, status, access_token, refresh_token,
                          scopes, created_at, updated_at)
                        VALUES (:id, :ws, 'x', :ext, 'legacy', 'connected', :access, :refresh, 'tweet.write', :now, :now)""")
                .param("id", id).param("ws", Workspaces.SANDBOX).param("ext", id.toString()).param("access", access)
                .param("refresh", refresh).param("now", now).update();
        return id;
    }

    private String column(String sql, Object id) {
        return jdbc.sql(sql).param("id", id).query(String.class).single();
    }

    @Test
    void rotationMovesEverySecretToTheCurrentKeySoTheOldKeyCanBeDropped() {
        UUID old = insertAccount(onlyA.encrypt("access-under-a"), onlyA.encrypt("refresh-under-a"));
        UUID lost = insertAccount(lostKey.encrypt("access-under-a-lost-key"), lostKey.encrypt("refresh-under-a-lost-key"));
        String state = "rotation-state-" + UUID.randomUUID();
        jdbc.sql("""
                        INSERT INTO oauth_states (state, workspace_id, platform, code_verifier, redirect_uri, created_at, expires_at)
                        VALUES (:s, :ws, 'x', :v, 'http://cb', now(), now() + interval '10 minutes')""")
                .param("s", state).param("ws", Workspaces.SANDBOX).param("v", onlyA.encrypt("verifier-under-a")).update();

        HttpResponse<String> rotated = post("/api/v1/accounts/rotate-keys");

        assertThat(rotated.statusCode()).as(rotated.body()).isEqualTo(200);
        JsonNode report = body(rotated);
        assertThat(report.path("currentKeyId").asString()).isEqualTo(EncryptionKeys.keyId(bytes(KEY_B)));
        assertThat(report.path("reencrypted").asInt()).isEqualTo(3);
        assertThat(report.path("failed").asInt()).isOne();
        assertThat(report.path("failedAccounts").valueStream().map(JsonNode::asString)).containsExactly(lost.toString());

        // key A is no longer needed for anything
        assertThat(onlyB.decrypt(column("SELECT access_token FROM accounts WHERE id = :id", old))).isEqualTo("access-under-a");
        assertThat(onlyB.decrypt(column("SELECT refresh_token FROM accounts WHERE id = :id", old))).isEqualTo("refresh-under-a");
        assertThat(onlyB.decrypt(column("SELECT code_verifier FROM oauth_states WHERE state = :id", state))).isEqualTo("verifier-under-a");
        assertThat(tokens.accessToken(dev.crosspost.system.Workspaces.SANDBOX, "x", old.toString())).isEqualTo("access-under-a");
        // the orphan is left as it was, for the operator to find
        assertThat(lostKey.decrypt(column("SELECT access_token FROM accounts WHERE id = :id", lost))).isEqualTo("access-under-a-lost-key");

        JsonNode again = body(post("/api/v1/accounts/rotate-keys"));
        assertThat(again.path("reencrypted").asInt()).isZero();
        jdbc.sql("DELETE FROM accounts WHERE id = :id").param("id", lost).update();
    }

    @Test
    void aTamperedTokenFailsCleanlyEverywhereItIsRead() {
        UUID id = connected("x", "tampered");
        String sealed = column("SELECT access_token FROM accounts WHERE id = :id", id);
        int at = sealed.length() - 5;
        String flipped = sealed.substring(0, at) + (sealed.charAt(at) == 'A' ? 'B' : 'A') + sealed.substring(at + 1);
        jdbc.sql("UPDATE accounts SET access_token = :t WHERE id = :id").param("t", flipped).param("id", id).update();

        assertThatThrownBy(() -> tokens.accessToken(dev.crosspost.system.Workspaces.SANDBOX, "x", id.toString()))
                .isInstanceOf(AccountTokens.ReconnectRequired.class)
                .hasMessage("stored credentials cannot be decrypted: the ciphertext was altered (authentication tag mismatch)");
        // a refresh keeps the account as it is: the fix is the operator's, not the owner's
        assertThat(refresher.refresh(id, TokenRefresher.Mode.NOW)).isInstanceOf(TokenRefresher.Outcome.RetryLater.class);
        assertThat(status(id)).isEqualTo("connected");

        HttpResponse<String> deleted = send(to("/api/v1/accounts/" + id).DELETE());
        assertThat(deleted.statusCode()).isEqualTo(200);
        assertThat(body(deleted).path("statusReason").asString())
                .isEqualTo("disconnected by its owner; the stored tokens could not be decrypted, so they were not revoked");
    }

    @Test
    void aVerifierUnderAKeyThatIsGoneIsAProblemThatNamesTheSettingNotAStackTrace() {
        HttpResponse<String> start = post("/api/v1/accounts/connect/x");
        String state = body(start).path("state").asString();
        String location = approve(body(start).path("authorizeUrl").asString(), "orphan");
        jdbc.sql("UPDATE oauth_states SET code_verifier = :v WHERE state = :s").param("v", lostKey.encrypt("v")).param("s", state).update();

        HttpResponse<String> callback = get(location);

        assertThat(callback.statusCode()).isEqualTo(409);
        assertThat(callback.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
        JsonNode problem = body(callback);
        assertThat(problem.path("code").asString()).isEqualTo("credentials_unreadable");
        assertThat(problem.path("detail").asString()).contains(lostKey.currentKeyId(), "crosspost.accounts.previous-encryption-keys");
        assertThat(callback.body()).doesNotContain("Exception", "\tat ", "dev.crosspost.");
    }
}
