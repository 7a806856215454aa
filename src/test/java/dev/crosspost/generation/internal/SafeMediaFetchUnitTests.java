package dev.crosspost.generation.internal;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.crosspost.system.net.FetchSettings;
import dev.crosspost.system.net.SafeFetcher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.unit.DataSize;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Generation's fetch seam on the shared SafeFetcher: data-dir files only, public addresses only, sniffed types, size caps. */
class SafeMediaFetchUnitTests {

    private static final byte[] MP4 = "\0\0\0\u0018ftypisom\0\0\0\0isommp41".getBytes(StandardCharsets.ISO_8859_1);

    @TempDir Path dataDir;
    @TempDir Path elsewhere;

    private SafeMediaFetch fetch(boolean loopback) {
        var settings = new FetchSettings(loopback, DataSize.ofKilobytes(64), Duration.ofSeconds(5), Duration.ofSeconds(2), 3);
        return new SafeMediaFetch(new SafeFetcher(settings, java.net.InetAddress::getAllByName), dataDir, Duration.ofSeconds(5), 3);
    }

    @Test
    void fileUrlsMustStayInsideTheDataDir() throws IOException {
        Path inside = Files.writeString(dataDir.resolve("img.png"), "png");
        Path outside = Files.writeString(elsewhere.resolve("secret.txt"), "secret");
        var fetch = fetch(false);

        assertThat(fetch.download(inside.toUri().toString(), dataDir.resolve("out/copy.png"), 100))
                .isEqualTo(new MediaFetch.Fetched("image/png", 3));
        assertThatThrownBy(() -> fetch.download(outside.toUri().toString(), dataDir.resolve("x"), 100)).hasMessageContaining("inside the data dir");
        assertThatThrownBy(() -> fetch.download(dataDir.toUri() + "../" + elsewhere.getFileName() + "/secret.txt", dataDir.resolve("x"), 100))
                .hasMessageContaining("inside the data dir");
        assertThatThrownBy(() -> fetch.download(inside.toUri().toString(), dataDir.resolve("small"), 2)).hasMessageContaining("more than");
        assertThat(dataDir.resolve("small")).doesNotExist();
    }

    @Test
    void privateAndMetadataAddressesAreRefused() {
        var fetch = fetch(false);
        for (String url : new String[] {"http://127.0.0.1/x", "http://10.0.0.8/x", "http://169.254.169.254/latest/meta-data",
                "http://192.168.1.1/x", "http://[::1]/x", "http://[fd00::1]/x", "http://100.64.0.1/x", "http://0.0.0.0/x",
                "ftp://example.com/x", "gopher://example.com/x"}) {
            assertThatThrownBy(() -> fetch.download(url, dataDir.resolve("x"), 100)).as(url).isInstanceOf(IOException.class);
        }
    }

    @Test
    void theSandboxMayFetchFromLoopbackAndRedirectsAndTypesAreChecked() throws IOException {
        WireMockServer server = new WireMockServer(options().dynamicPort());
        server.start();
        try {
            server.stubFor(get(urlEqualTo("/v.mp4")).willReturn(aResponse().withStatus(200).withHeader("Content-Type", "video/mp4").withBody(MP4)));
            server.stubFor(get(urlEqualTo("/fake.mp4")).willReturn(aResponse().withStatus(200).withHeader("Content-Type", "video/mp4").withBody("<html>")));
            server.stubFor(get(urlEqualTo("/hop")).willReturn(aResponse().withStatus(302).withHeader("Location", "http://169.254.169.254/")));
            var sandbox = fetch(true);

            assertThat(sandbox.download(server.baseUrl() + "/v.mp4", dataDir.resolve("v.mp4"), 100)).isEqualTo(new MediaFetch.Fetched("video/mp4", MP4.length));
            assertThatThrownBy(() -> sandbox.download(server.baseUrl() + "/fake.mp4", dataDir.resolve("f"), 100)).isInstanceOf(IOException.class);
            assertThatThrownBy(() -> sandbox.download(server.baseUrl() + "/hop", dataDir.resolve("h"), 100)).isInstanceOf(IOException.class);
            assertThatThrownBy(() -> sandbox.download(server.baseUrl() + "/v.mp4", dataDir.resolve("big"), 5)).isInstanceOf(IOException.class);
            assertThat(dataDir.resolve("big")).doesNotExist();
            assertThatThrownBy(() -> fetch(false).download(server.baseUrl() + "/v.mp4", dataDir.resolve("v2"), 100)).isInstanceOf(IOException.class);
        } finally {
            server.stop();
        }
    }
}
