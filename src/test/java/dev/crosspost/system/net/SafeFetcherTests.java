package dev.crosspost.system.net;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.util.unit.DataSize;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Hostile URLs are refused before any connection, redirects are re-checked, and size, time and type are capped. */
class SafeFetcherTests {

    /** A fake DNS for names that point inside (as localtest.me and nip.io do on the internet); others are real. */
    private static final SafeFetcher.Resolver DNS = host -> {
        Map<String, String> zone = Map.of(
                "localtest.me", "127.0.0.1",
                "127.0.0.1.nip.io", "127.0.0.1",
                "metadata.attacker.test", "169.254.169.254",
                "rebind.attacker.test", "10.0.0.5",
                "mixed.attacker.test", "93.184.215.14,192.168.0.10",
                "v6.attacker.test", "fd00::1");
        String answer = zone.get(host);
        if (answer == null) {
            return InetAddress.getAllByName(host);
        }
        String[] parts = answer.split(",");
        InetAddress[] out = new InetAddress[parts.length];
        for (int i = 0; i < parts.length; i++) {
            out[i] = InetAddress.getByName(parts[i]);
        }
        return out;
    };

    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'};

    @TempDir
    Path dir;
    private HttpServer server;
    private String base;

    private static FetchSettings settings(boolean allowLoopback) {
        return new FetchSettings(allowLoopback, DataSize.ofKilobytes(64), Duration.ofSeconds(2), Duration.ofSeconds(2), 3);
    }

    private final SafeFetcher strict = new SafeFetcher(settings(false), DNS);
    private final SafeFetcher local = new SafeFetcher(settings(true), DNS);

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        base = "http://127.0.0.1:" + server.getAddress().getPort();
        server.createContext("/image.png", ex -> answer(ex, 200, "text/html", PNG));
        server.createContext("/page.png", ex -> answer(ex, 200, "image/png", "<html>not an image</html>".getBytes()));
        server.createContext("/big.png", ex -> answer(ex, 200, "image/png", new byte[200 * 1024]));
        server.createContext("/to-metadata", ex -> redirect(ex, "http://169.254.169.254/latest/meta-data/"));
        server.createContext("/to-private", ex -> redirect(ex, "http://10.0.0.1/admin"));
        server.createContext("/to-hex", ex -> redirect(ex, "http://0x7f000001/image.png"));
        server.createContext("/to-v6-mapped", ex -> redirect(ex, "http://[::ffff:192.168.0.1]/"));
        server.createContext("/to-file", ex -> redirect(ex, "file:///etc/passwd"));
        server.createContext("/to-image", ex -> redirect(ex, "/image.png"));
        server.createContext("/to-example", ex -> redirect(ex, "https://cdn.example.com/img/a.png"));
        server.createContext("/loop", ex -> redirect(ex, "/loop"));
        server.createContext("/missing", ex -> answer(ex, 404, "text/plain", "gone".getBytes()));
        server.createContext("/slow.png", ex -> {
            ex.getResponseHeaders().add("Content-Type", "image/png");
            ex.sendResponseHeaders(200, 0);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(PNG);
                out.flush();
                Thread.sleep(10_000); // the server stalls; the client must give up on its own deadline
            } catch (InterruptedException | IOException ignored) {
                // the client hung up
            }
        });
        server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "http://127.0.0.1/", "http://localhost/admin", "http://sub.localhost/", "http://2130706433/", "http://0x7f000001/",
            "http://0177.0.0.1/", "http://127.1/", "http://0/", "http://0.0.0.0/", "http://[::]/", "http://[::1]/",
            "http://[::ffff:127.0.0.1]/", "http://[0:0:0:0:0:ffff:7f00:1]/", "http://[::ffff:169.254.169.254]/",
            "http://169.254.169.254/latest/meta-data/", "http://0xa9.0xfe.0xa9.0xfe/", "http://100.100.100.200/",
            "http://[fd00::1]/", "http://[fd00:ec2::254]/", "http://[fe80::1]/", "http://100.64.0.1/", "http://10.0.0.1/",
            "http://192.168.1.1/", "http://172.16.0.1/", "http://localtest.me/", "http://127.0.0.1.nip.io/",
            "http://metadata.attacker.test/", "http://rebind.attacker.test/", "http://mixed.attacker.test/",
            "http://v6.attacker.test/", "file:///etc/passwd", "gopher://127.0.0.1:6379/_INFO", "ftp://example.com/x.png",
            "http://user:pass@example.com/x.png", "jar:http://example.com/x.jar!/", "http://[::ffff:a00:1]/"})
    void hostileUrlsAreRefusedBeforeAnyConnection(String url) {
        assertThatThrownBy(() -> strict.fetch(url, dir.resolve("out"), strict.mediaLimits()))
                .as(url).isInstanceOfSatisfying(FetchException.class, e -> assertThat(e.code()).isEqualTo("unsafe_url"));
        assertThat(dir.resolve("out")).doesNotExist();
    }

    @Test
    void numericHostFormsNameWhatTheyMean() {
        assertThat(strict.problems("http://0x7f000001/")).singleElement().asString().contains("127.0.0.1");
        assertThat(strict.problems("http://0177.0.0.1/")).singleElement().asString().contains("127.0.0.1");
        assertThat(strict.problems("http://2130706433/")).singleElement().asString().contains("127.0.0.1");
        assertThat(strict.problems("https://cdn.example.com/img/halo.jpg")).isEmpty();
        assertThat(strict.problems("https://93.184.215.14/img.jpg")).isEmpty();
    }

    @Test
    void theLocalServerIsRefusedUnlessLoopbackIsAllowed() throws IOException {
        assertThatThrownBy(() -> strict.fetch(base + "/image.png", dir.resolve("a"), strict.mediaLimits()))
                .isInstanceOfSatisfying(FetchException.class, e -> assertThat(e.code()).isEqualTo("unsafe_url"));
        SafeFetcher.Fetched fetched = local.fetch(base + "/image.png", dir.resolve("a"), local.mediaLimits());
        // the server said text/html; the bytes say PNG, and the bytes win
        assertThat(fetched.contentType()).isEqualTo("image/png");
        assertThat(fetched.sizeBytes()).isEqualTo(PNG.length);
        assertThat(Files.readAllBytes(dir.resolve("a"))).isEqualTo(PNG);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/to-metadata", "/to-private", "/to-hex", "/to-v6-mapped", "/to-file"})
    void everyRedirectIsCheckedAgain(String path) {
        // loopback is allowed here, so the first hop connects; the redirect must still be refused
        assertThatThrownBy(() -> local.fetch(base + path, dir.resolve("r"), local.mediaLimits()))
                .as(path).isInstanceOfSatisfying(FetchException.class, e -> assertThat(e.code()).isEqualTo("unsafe_url"));
        assertThat(dir.resolve("r")).doesNotExist();
    }

    @Test
    void safeRedirectsAreFollowedUpToTheLimit() throws IOException {
        assertThat(local.fetch(base + "/to-image", dir.resolve("i"), local.mediaLimits()).finalUrl().getPath()).isEqualTo("/image.png");
        assertThatThrownBy(() -> local.fetch(base + "/loop", dir.resolve("l"), local.mediaLimits()))
                .isInstanceOfSatisfying(FetchException.class, e -> assertThat(e.code()).isEqualTo("too_many_redirects"));
    }

    @Test
    void sizeTypeStatusAndTimeAreCapped() {
        assertThatThrownBy(() -> local.fetch(base + "/big.png", dir.resolve("b"), local.mediaLimits()))
                .isInstanceOfSatisfying(FetchException.class, e -> assertThat(e.code()).isEqualTo("too_large"));
        assertThatThrownBy(() -> local.fetch(base + "/page.png", dir.resolve("p"), local.mediaLimits()))
                .isInstanceOfSatisfying(FetchException.class, e -> assertThat(e.code()).isEqualTo("unexpected_content_type"));
        assertThatThrownBy(() -> local.fetch(base + "/missing", dir.resolve("m"), local.mediaLimits()))
                .isInstanceOfSatisfying(FetchException.class, e -> assertThat(e.getMessage()).contains("404"));
        assertThatThrownBy(() -> local.fetch(base + "/slow.png", dir.resolve("s"), local.mediaLimits()))
                .isInstanceOfSatisfying(FetchException.class, e -> assertThat(e.code()).isEqualTo("fetch_timeout"));
        assertThat(dir.resolve("b")).doesNotExist();
        assertThat(dir.resolve("p")).doesNotExist();
        assertThat(dir.resolve("s")).doesNotExist();
    }

    @Test
    void registeredReservedDomainsAnswerOnlyTheExampleNamesUnderTheSameCaps() throws IOException {
        SafeFetcher.Resolver offline = host -> {
            if (ReservedDomains.isReserved(host)) {
                throw new AssertionError("a reserved name answered locally must not be looked up: " + host);
            }
            return DNS.resolve(host);
        };
        ReservedDomains cdn = uri -> switch (uri.getPath()) {
            case "/img/a.png" -> new ReservedDomains.Answer(200, PNG);
            case "/big.png" -> new ReservedDomains.Answer(200, new byte[200 * 1024]);
            case "/page.png" -> new ReservedDomains.Answer(200, "<html>".getBytes());
            default -> new ReservedDomains.Answer(404, new byte[0]);
        };
        SafeFetcher sandboxed = new SafeFetcher(settings(true), offline, cdn);

        SafeFetcher.Fetched fetched = sandboxed.fetch("https://cdn.example.com/img/a.png", dir.resolve("e"), sandboxed.mediaLimits());
        assertThat(fetched.contentType()).isEqualTo("image/png");
        assertThat(Files.readAllBytes(dir.resolve("e"))).isEqualTo(PNG);
        // a redirect onto a reserved name is answered locally too
        assertThat(sandboxed.fetch(base + "/to-example", dir.resolve("r"), sandboxed.mediaLimits()).finalUrl())
                .hasToString("https://cdn.example.com/img/a.png");
        assertThatThrownBy(() -> sandboxed.fetch("http://example.org/big.png", dir.resolve("b"), sandboxed.mediaLimits()))
                .isInstanceOfSatisfying(FetchException.class, e -> assertThat(e.code()).isEqualTo("too_large"));
        assertThatThrownBy(() -> sandboxed.fetch("http://www.example.net/page.png", dir.resolve("p"), sandboxed.mediaLimits()))
                .isInstanceOfSatisfying(FetchException.class, e -> assertThat(e.code()).isEqualTo("unexpected_content_type"));
        assertThatThrownBy(() -> sandboxed.fetch("https://example.com/notes.txt", dir.resolve("t"), sandboxed.mediaLimits()))
                .isInstanceOfSatisfying(FetchException.class, e -> assertThat(e.getMessage()).isEqualTo("https://example.com/notes.txt answered HTTP 404"));
        // names that only look reserved, and private hosts, are checked as before
        assertThatThrownBy(() -> sandboxed.fetch("http://rebind.attacker.test/img/a.png", dir.resolve("x"), sandboxed.mediaLimits()))
                .isInstanceOfSatisfying(FetchException.class, e -> assertThat(e.code()).isEqualTo("unsafe_url"));
        assertThat(ReservedDomains.isReserved("example.com.attacker.test")).isFalse();
        assertThat(ReservedDomains.isReserved("notexample.com")).isFalse();
        assertThat(ReservedDomains.isReserved("CDN.Example.COM.")).isTrue();
        // the form checks come first: credentials are refused on a reserved name too
        assertThatThrownBy(() -> sandboxed.fetch("http://user:pw@cdn.example.com/img/a.png", dir.resolve("c"), sandboxed.mediaLimits()))
                .isInstanceOfSatisfying(FetchException.class, e -> assertThat(e.code()).isEqualTo("unsafe_url"));
    }

    @Test
    void withoutReservedDomainsAnExampleNameIsFetchedLikeAnyOtherAndFailsToResolve() {
        SafeFetcher offline = new SafeFetcher(settings(false), host -> {
            throw new UnknownHostException(host);
        });
        assertThatThrownBy(() -> offline.fetch("https://cdn.example.com/img/halo.jpg", dir.resolve("o"), offline.mediaLimits()))
                .isInstanceOfSatisfying(FetchException.class, e -> {
                    assertThat(e.code()).isEqualTo("fetch_failed");
                    assertThat(e.getMessage()).isEqualTo("host cdn.example.com does not resolve");
                });
    }

    @Test
    void inetAtonReadsEveryNumericForm() throws UnknownHostException {
        assertThat(SafeFetcher.inetAton("0x7f.1")).isEqualTo(InetAddress.getByName("127.0.0.1"));
        assertThat(SafeFetcher.inetAton("10.1")).isEqualTo(InetAddress.getByName("10.0.0.1"));
        assertThat(SafeFetcher.inetAton("3232235777")).isEqualTo(InetAddress.getByName("192.168.1.1"));
        assertThat(SafeFetcher.inetAton("1.2.3.4.5")).isNull();
        assertThat(SafeFetcher.inetAton("256.1.1.1")).isNull();
    }

    private static void answer(com.sun.net.httpserver.HttpExchange ex, int status, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().add("Content-Type", type);
        ex.sendResponseHeaders(status, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    private static void redirect(com.sun.net.httpserver.HttpExchange ex, String location) throws IOException {
        ex.getResponseHeaders().add("Location", location);
        ex.sendResponseHeaders(302, -1);
        ex.close();
    }
}
