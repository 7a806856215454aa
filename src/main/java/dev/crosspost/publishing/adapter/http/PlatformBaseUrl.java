package dev.crosspost.publishing.adapter.http;

import dev.crosspost.system.LocalOrigin;
import dev.crosspost.publishing.PlatformsSettings;
import org.springframework.core.env.Environment;

import java.util.function.Supplier;

/**
 * Where an adapter sends its calls: the platform's configured {@code base-url}, else this app's own simulator of it
 * under {@code /sandbox/...}. Resolved per call, because the server port is known only once the app listens.
 */
public final class PlatformBaseUrl {

    private PlatformBaseUrl() {
    }

    /** @param sandboxPath the simulator's path on this app, e.g. {@code /sandbox/x} */
    public static Supplier<String> of(PlatformsSettings settings, Environment env, String platform, String sandboxPath) {
        String configured = settings.platforms().containsKey(platform) ? settings.platform(platform).baseUrl() : null;
        if (configured != null) {
            return () -> configured;
        }
        return () -> LocalOrigin.of(env) + sandboxPath;
    }
}
