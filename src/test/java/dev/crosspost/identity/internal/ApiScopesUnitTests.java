package dev.crosspost.identity.internal;

import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** What an API key's scopes allow. */
class ApiScopesUnitTests {

    @Test
    void readsNeedReadAndWritesNeedWriteOrTheResourcesWriteScope() {
        assertThat(ApiScopes.allows(Set.of("read"), "GET", "/api/v1/posts")).isTrue();
        assertThat(ApiScopes.allows(Set.of("posts:write"), "GET", "/api/v1/posts")).isFalse();
        assertThat(ApiScopes.allows(Set.of("posts:write"), "POST", "/api/v1/posts")).isTrue();
        assertThat(ApiScopes.allows(Set.of("posts:write"), "POST", "/api/v1/posts/1/cancel")).isTrue();
        assertThat(ApiScopes.allows(Set.of("posts:write"), "POST", "/api/v1/webhooks")).isFalse();
        assertThat(ApiScopes.allows(Set.of("posts:write"), "POST", "/api/v1/postsx")).isFalse();
        assertThat(ApiScopes.allows(Set.of("write"), "DELETE", "/api/v1/webhooks/1")).isTrue();
        assertThat(ApiScopes.allows(Set.of("read"), "DELETE", "/api/v1/webhooks/1")).isFalse();
    }

    @Test
    void keysNeverManageSignInsOrKeys() {
        Set<String> everything = Set.of("read", "write", "admin", "api-keys:write", "auth:write");
        assertThat(ApiScopes.allows(everything, "GET", "/api/v1/api-keys")).isFalse();
        assertThat(ApiScopes.allows(everything, "POST", "/api/v1/api-keys")).isFalse();
        assertThat(ApiScopes.allows(everything, "GET", "/api/v1/auth/me")).isFalse();
    }
}
