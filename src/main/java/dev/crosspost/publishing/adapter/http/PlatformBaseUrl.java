package dev.crosspost.publishing.adapter.http;

import dev.crosspost.system.LocalOrigin;
import dev.crosspost.publishing.PlatformsSettings;
import org.jspecify.annotations.Nullable;
import org.springframework.core.env.Environment;

import java.util.function.Supplier;

/**
 * Where an adapter sends its calls: the platform's configured {@code base-url}, else this app's own simulator of it
 * under {@code /sandbox/...}. The simulator's URL is resolved per call until the app listens (only then is its port
 * known), and kept from then on: an environment lookup per publication was a measurable share of the engine's CPU.
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
        return new Supplier<>() {
            private volatile @Nullable String listening;

            @Override
            public String get() {
                String url = listening;
                if (url != null) {
                    return url;
                }
                url = LocalOrigin.of(env) + sandboxPath;
                if (env.containsProperty("local.server.port")) {
                    listening = url;
                }
                return url;
            }
        };
    }
}
