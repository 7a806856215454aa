package dev.crosspost.publishing.adapter.youtube;

import dev.crosspost.publishing.engine.LargeUploadChild;
import dev.crosspost.support.CrosspostIntegrationTest;
import dev.crosspost.system.SystemSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.json.JsonMapper;

import java.io.RandomAccessFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A 1 GiB video goes to the YouTube simulator from a child JVM whose heap is 64 MiB, through the engine's media
 * source and the real adapter, in 8 MiB chunks, while the simulator drops connections mid-chunk: the upload must
 * resume from the server's {@code Range} and the simulator must hold exactly 1 GiB. The file is sparse and
 * deleted afterwards.
 */
@CrosspostIntegrationTest
class YouTubeLargeUploadTests {

    private static final long GIB = 1L << 30;

    @LocalServerPort int port;
    @Autowired SystemSettings system;

    private final HttpClient http = HttpClient.newHttpClient();
    private final JsonMapper json = JsonMapper.builder().build();
    private Path file;

    @AfterEach
    void cleanUp() throws Exception {
        send("DELETE", "/sandbox/faults", null);
        if (file != null) {
            Files.deleteIfExists(file);
        }
    }

    @Test
    void aGibibyteStreamsThroughA64MiBHeapAndResumesAfterDrops() throws Exception {
        file = system.dataDir().toAbsolutePath().resolve("large-" + UUID.randomUUID() + ".mp4");
        Files.createDirectories(file.getParent());
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(GIB);
            byte[] distinct = new byte[4096];
            new Random().nextBytes(distinct);
            raf.write(distinct);
        }
        // draws: session start, first status query, chunks 1 and 2 pass; chunk 3 drops; later ones drop 1 in 50
        long seed = YouTubeAdapterSimulatorTests.seedFor(0.02, false, false, false, false, true);
        HttpResponse<String> faults = send("POST", "/sandbox/faults", "{\"platform\":\"youtube\",\"resetRate\":0.02,\"seed\":" + seed + "}");
        assertThat(faults.statusCode()).isEqualTo(200);

        String java = ProcessHandle.current().info().command().orElse("java");
        Path log = file.resolveSibling(file.getFileName() + ".log");
        Process child = new ProcessBuilder(List.of(java, "-Xmx64m", "-XX:+ExitOnOutOfMemoryError", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), LargeUploadChild.class.getName(),
                system.dataDir().toAbsolutePath().toString(), "http://127.0.0.1:" + port + "/sandbox/youtube",
                file.toUri().toString(), Long.toString(GIB)))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean exited = child.waitFor(3, TimeUnit.MINUTES);
        if (!exited) {
            child.destroyForcibly();
        }
        String output = Files.readString(log);
        Files.deleteIfExists(log);
        System.out.println(output);
        assertThat(exited).as(output).isTrue();
        assertThat(child.exitValue()).as(output).isZero();
        assertThat(output).doesNotContain("OutOfMemoryError").contains("step upload: Done");

        Matcher id = Pattern.compile("^video_id=(\\S+)$", Pattern.MULTILINE).matcher(output);
        assertThat(id.find()).as(output).isTrue();
        HttpResponse<String> details = send("GET", "/sandbox/youtube/youtube/v3/videos?part=fileDetails&id=" + id.group(1), null);
        assertThat(json.readTree(details.body()).path("items").path(0).path("fileDetails").path("fileSize").asLong()).isEqualTo(GIB);
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer sandbox-token").header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
