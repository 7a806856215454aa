package dev.crosspost.publishing.adapter;

import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.crosspost.publishing.NewPost;
import dev.crosspost.publishing.Posts;
import dev.crosspost.publishing.Priority;
import dev.crosspost.publishing.Publications;
import dev.crosspost.publishing.adapter.http.PlatformVideoLimits;
import dev.crosspost.publishing.adapter.http.VideoLimits;
import dev.crosspost.system.SystemSettings;
import dev.crosspost.system.Workspaces;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.io.ClassPathResource;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.awaitility.Awaitility.await;

/** What the adapter contract tests of every platform share: media on disk, base URLs that count, request copies. */
public final class AdapterTestSupport {

    private static final Set<String> ENDS = Set.of("published", "failed", "dead");

    private AdapterTestSupport() {
    }

    /** Media in local files ({@code file:} locations), seeking for ranged reads like the engine's media source. */
    public static final MediaSource FILES = new MediaSource() {
        @Override
        public InputStream open(MediaRef media) throws IOException {
            return Files.newInputStream(Path.of(URI.create(media.location())));
        }

        @Override
        public InputStream open(MediaRef media, long offset) throws IOException {
            SeekableByteChannel channel = Files.newByteChannel(Path.of(URI.create(media.location())));
            channel.position(offset);
            return Channels.newInputStream(channel);
        }
    };

    /** The platform's video limits as application.yaml sets them, so adapter tests check the configured limits. */
    public static VideoLimits videoLimits(String platform) {
        try {
            var sources = new YamlPropertySourceLoader().load("application.yaml", new ClassPathResource("application.yaml"));
            return new Binder(ConfigurationPropertySources.from(sources)).bind("crosspost.media", PlatformVideoLimits.class)
                    .orElseThrow(() -> new IllegalStateException("crosspost.media is not set")).of(platform);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The same file as a probed H.264 video of {@code seconds} at {@code width}x{@code height} and 30 fps. */
    public static MediaRef probed(MediaRef media, double seconds, int width, int height) {
        return probed(media, seconds, width, height, "h264");
    }

    public static MediaRef probed(MediaRef media, double seconds, int width, int height, String codec) {
        return new MediaRef(media.location(), media.contentType(), media.sizeBytes(), new VideoInfo(seconds, width, height, 30, codec, "aac"));
    }

    /** A stub server per test (an instance field with {@code @RegisterExtension}: started before, stopped after each test). */
    public static WireMockExtension stubServer() {
        return WireMockExtension.newInstance().options(WireMockConfiguration.options().dynamicPort()).build();
    }

    /** {@code bytes} written to a new file in {@code dir}, readable through {@link #FILES}. */
    public static MediaRef file(Path dir, byte[] bytes, String contentType, String suffix) {
        try {
            Path file = Files.write(dir.resolve(UUID.randomUUID() + suffix), bytes);
            return new MediaRef(file.toUri().toString(), contentType, bytes.length);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code size} random bytes seeded by the size, so a file and its repeat hold the same bytes. */
    public static byte[] seededBytes(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    /** {@code size} fresh random bytes: no two files alike. */
    public static byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        new Random().nextBytes(bytes);
        return bytes;
    }

    /** The base URL, counting every time the adapter asks for it (that is, every call it is about to make). */
    public static Supplier<String> counting(Supplier<String> baseUrl, AtomicInteger calls) {
        return () -> {
            calls.incrementAndGet();
            return baseUrl.get();
        };
    }

    /** The same request carrying {@code outputs} of the steps run so far, as the engine hands it on. */
    public static PublishRequest withOutputs(PublishRequest r, Map<String, String> outputs) {
        return new PublishRequest(r.publicationId(), r.idempotencyKey(), r.platform(), r.accountId(), r.text(), r.media(),
                Map.copyOf(outputs), r.accessToken(), r.platformUserId(), r.serviceUrl());
    }

    /** A file under the app's data directory, where the engine's media source reads it from. */
    public static MediaRef dataFile(SystemSettings system, String name, byte[] bytes, String contentType) {
        try {
            Path dir = Files.createDirectories(system.dataDir().resolve("media-test"));
            return new MediaRef(Files.write(dir.resolve(name), bytes).toUri().toString(), contentType, bytes.length);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Posts {@code text} to one target now through the engine and waits until its publication has ended. */
    public static Publications.Detail publishAndWait(Posts posts, Publications publications, NewPost.Target target,
                                                     String text, List<MediaRef> media) {
        UUID id = posts.create(new NewPost(Workspaces.SANDBOX, null, text, media, List.of(target), null, Priority.NOW))
                .publications().getFirst().id();
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                .until(() -> publications.find(Workspaces.SANDBOX, id).orElseThrow().publication().state(), ENDS::contains);
        return publications.find(Workspaces.SANDBOX, id).orElseThrow();
    }
}
