package dev.crosspost.system;

import org.springframework.core.env.Environment;

/**
 * This app's own origin on the loopback interface, where its simulators answer server-to-server calls whatever the
 * public URL is. Read per call: the port is known only once the server listens.
 */
public final class LocalOrigin {

    private LocalOrigin() {
    }

    /** {@code http://127.0.0.1:<port>}, without a trailing slash. */
    public static String of(Environment env) {
        return "http://127.0.0.1:" + env.getProperty("local.server.port", env.getProperty("server.port", "8080"));
    }
}
