package dev.crosspost.identity.internal;

import java.util.Set;

/** What an API key's scopes let it do with one request. */
final class ApiScopes {

    private ApiScopes() {
    }

    static boolean allows(Set<String> scopes, String method, String path) {
        // keys manage neither sign-ins nor other keys: that takes a person
        if (path.startsWith("/api/v1/auth/") || path.startsWith("/api/v1/api-keys")) {
            return false;
        }
        if ("GET".equals(method) || "HEAD".equals(method) || "OPTIONS".equals(method)) {
            return scopes.contains("read");
        }
        return scopes.contains("write") || scopes.contains(resource(path) + ":write");
    }

    /** {@code /api/v1/posts/123} → {@code posts}. */
    static String resource(String path) {
        String rest = path.startsWith("/api/v1/") ? path.substring("/api/v1/".length()) : path;
        int slash = rest.indexOf('/');
        return slash < 0 ? rest : rest.substring(0, slash);
    }
}
