package dev.crosspost.support;

import java.net.URI;
import java.net.http.HttpRequest;

/**
 * The one way tests build requests to the app's own API, so that signing in is added in one place: every request
 * built here acts for the default test user, whose workspace is {@code Workspaces.SANDBOX}.
 */
public final class TestApi {

    private TestApi() {
    }

    public static URI uri(int port, String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** A request to {@code path} on the app at {@code port}, acting for the default test user. */
    public static HttpRequest.Builder request(int port, String path) {
        return HttpRequest.newBuilder(uri(port, path));
    }
}
