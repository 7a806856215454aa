package dev.crosspost.sandbox;

import dev.crosspost.system.net.FetchException;
import dev.crosspost.system.net.FetchSettings;
import dev.crosspost.system.net.SafeFetcher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.util.unit.DataSize;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** With the sandbox's resolver registered, an offline machine fetches example-domain media; other hosts are untouched. */
class ExampleDomainMediaTests {

    /** An offline machine's DNS, except for one name pointing inside. */
    private static final SafeFetcher.Resolver OFFLINE = host -> {
        if (host.equals("intranet.attacker.test")) {
            return new InetAddress[] {InetAddress.getByName("10.1.2.3")};
        }
        throw new UnknownHostException(host);
    };
    private static final FetchSettings SETTINGS = new FetchSettings(false, DataSize.ofMegabytes(5), Duration.ofSeconds(5), Duration.ofSeconds(2), 3);

    @TempDir
    Path dir;

    private final SafeFetcher sandbox = new SafeFetcher(SETTINGS, OFFLINE, new ExampleDomainMedia());
    private final SafeFetcher production = new SafeFetcher(SETTINGS, OFFLINE);

    @Test
    void aProductImageOnTheExampleCdnIsTheBundledOne() throws IOException {
        SafeFetcher.Fetched got = sandbox.fetch("https://cdn.example.com/img/trail-runner-2.jpg", dir.resolve("a"), sandbox.mediaLimits());
        assertThat(got.contentType()).isEqualTo("image/jpeg");
        assertThat(Files.readAllBytes(dir.resolve("a")))
                .isEqualTo(new ClassPathResource("sandbox/example-media/trail-runner-2.jpg").getContentAsByteArray());
    }

    @ParameterizedTest
    @CsvSource({
            "https://cdn.example.com/img/unknown-product.jpg, image/jpeg",
            "http://example.org/photos/Shot.JPEG?size=large, image/jpeg",
            "https://images.example.net/a/b.png, image/png",
            "https://example.com/x.webp, image/webp",
            "https://cdn.example.com/vid/earbuds.mp4, video/mp4",
            "https://cdn.example.com/vid/clip.mov, video/quicktime"})
    void everyMediaExtensionGetsBundledMediaOfItsKind(String url, String type) throws IOException {
        SafeFetcher.Fetched got = sandbox.fetch(url, dir.resolve("m"), sandbox.mediaLimits());
        assertThat(got.contentType()).as(url).isEqualTo(type);
        assertThat(got.sizeBytes()).isBetween(1_000L, 100_000L);
    }

    @Test
    void otherExtensionsAreNotFound() {
        assertThatThrownBy(() -> sandbox.fetch("https://cdn.example.com/docs/manual.pdf", dir.resolve("p"), sandbox.mediaLimits()))
                .isInstanceOfSatisfying(FetchException.class, e -> assertThat(e.getMessage()).contains("answered HTTP 404"));
        assertThatThrownBy(() -> sandbox.fetch("https://cdn.example.com/img/", dir.resolve("p"), sandbox.mediaLimits()))
                .isInstanceOfSatisfying(FetchException.class, e -> assertThat(e.getMessage()).contains("answered HTTP 404"));
        assertThat(dir.resolve("p")).doesNotExist();
    }

    @Test
    void withTheSandboxOffTheExampleCdnDoesNotResolve() {
        assertThatThrownBy(() -> production.fetch("https://cdn.example.com/img/trail-runner-2.jpg", dir.resolve("o"), production.mediaLimits()))
                .isInstanceOfSatisfying(FetchException.class, e -> assertThat(e.getMessage()).isEqualTo("host cdn.example.com does not resolve"));
    }

    @Test
    void aPrivateHostIsStillRefusedWithTheSandboxOn() {
        assertThatThrownBy(() -> sandbox.fetch("https://intranet.attacker.test/img/halo.jpg", dir.resolve("i"), sandbox.mediaLimits()))
                .isInstanceOfSatisfying(FetchException.class, e -> {
                    assertThat(e.code()).isEqualTo("unsafe_url");
                    assertThat(e.getMessage()).contains("10.1.2.3");
                });
        assertThatThrownBy(() -> sandbox.fetch("http://192.168.0.1/halo.jpg", dir.resolve("i"), sandbox.mediaLimits()))
                .isInstanceOfSatisfying(FetchException.class, e -> assertThat(e.code()).isEqualTo("unsafe_url"));
        assertThat(dir.resolve("i")).doesNotExist();
    }
}
