package dev.crosspost.generation.internal;

import com.github.tomakehurst.wiremock.WireMockServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The interim fetch seam: data-dir files only, public addresses only (loopback only for the sandbox), size caps. */
class MediaFetchUnitTests {

    @TempDir Path dataDir;
    @TempDir Path elsewhere;

    @Test
    void fileUrlsMustStayInsideTheDataDir() throws IOException {
        Path inside = Files.writeString(dataDir.resolve("img.png"), "png");
        Path outside = Files.writeString(elsewhere.resolve("secret.txt"), "secret");
        var fetch = new GuardedMediaFetch(dataDir, false, Duration.ofSeconds(5));

        assertThat(fetch.download(inside.toUri().toString(), dataDir.resolve("out/copy.png"), 100))
                .isEqualTo(new MediaFetch.Fetched("image/png", 3));
        assertThatThrownBy(() -> fetch.download(outside.toUri().toString(), dataDir.resolve("x"), 100)).hasMessageContaining("inside the data dir");
        assertThatThrownBy(() -> fetch.download(dataDir.toUri() + "../" + elsewhere.getFileName() + "/secret.txt", dataDir.resolve("x"), 100))
                .hasMessageContaining("inside the data dir");
        assertThatThrownBy(() -> fetch.download(inside.toUri().toString(), dataDir.resolve("small"), 2)).hasMessageContaining("more than");
        assertThat(dataDir.resolve("small")).doesNotExist();
    }

    @Test
    void privateAndMetadataAddressesAreRefused() throws IOException {
        var fetch = new GuardedMediaFetch(dataDir, false, Duration.ofSeconds(5));
        for (String url : new String[] {"http://127.0.0.1/x", "http://10.0.0.8/x", "http://169.254.169.254/latest/meta-data",
                "http://192.168.1.1/x", "http://[::1]/x", "http://[fd00::1]/x", "http://100.64.0.1/x", "http://0.0.0.0/x",
                "ftp://example.com/x", "gopher://example.com/x"}) {
            assertThatThrownBy(() -> fetch.download(url, dataDir.resolve("x"), 100)).as(url).isInstanceOf(IOException.class);
        }
        assertThat(GuardedMediaFetch.isPublic(InetAddress.getByName("93.184.216.34"))).isTrue();
    }

    @Test
    void theSandboxMayFetchFromLoopbackAndRedirectsAreCheckedAgain() throws IOException {
        WireMockServer server = new WireMockServer(options().dynamicPort());
        server.start();
        try {
            server.stubFor(get(urlEqualTo("/v.mp4")).willReturn(aResponse().withStatus(200).withHeader("Content-Type", "video/mp4").withBody("0123456789")));
            server.stubFor(get(urlEqualTo("/hop")).willReturn(aResponse().withStatus(302).withHeader("Location", "http://169.254.169.254/")));
            var sandbox = new GuardedMediaFetch(dataDir, true, Duration.ofSeconds(5));

            assertThat(sandbox.download(server.baseUrl() + "/v.mp4", dataDir.resolve("v.mp4"), 100)).isEqualTo(new MediaFetch.Fetched("video/mp4", 10));
            assertThatThrownBy(() -> sandbox.download(server.baseUrl() + "/hop", dataDir.resolve("h"), 100)).hasMessageContaining("non-public");
            assertThatThrownBy(() -> sandbox.download(server.baseUrl() + "/v.mp4", dataDir.resolve("big"), 5)).hasMessageContaining("more than");
            assertThatThrownBy(() -> new GuardedMediaFetch(dataDir, false, Duration.ofSeconds(5)).download(server.baseUrl() + "/v.mp4", dataDir.resolve("v2"), 100))
                    .hasMessageContaining("non-public");
        } finally {
            server.stop();
        }
    }
}
