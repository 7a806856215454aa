package dev.crosspost.media.internal;

import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.junit.S3ProxyExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.unit.DataSize;

import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The S3 backend against a real S3 API server (S3Proxy, in-process, checking AWS v4 signatures). */
class S3StorageTests {

    @RegisterExtension
    static final S3ProxyExtension S3 = S3ProxyExtension.builder()
            .withCredentials(AuthenticationType.AWS_V2_OR_V4, "media-access", "media-secret-key").build();

    @TempDir
    Path dir;

    final HttpClient http = HttpClient.newHttpClient();

    S3Storage storage() {
        var settings = new MediaSettings.S3(S3.getUri().toString(), "us-east-1", "media", S3.getAccessKey(), S3.getSecretKey(), true,
                DataSize.ofMegabytes(5));
        S3Storage storage = MediaConfiguration.s3Storage(settings);
        try (var client = software.amazon.awssdk.services.s3.S3Client.builder().endpointOverride(S3.getUri())
                .region(software.amazon.awssdk.regions.Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(S3.getAccessKey(), S3.getSecretKey())))
                .build()) {
            client.createBucket(b -> b.bucket("media"));
        }
        return storage;
    }

    byte[] random(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    @Test
    void bigFilesGoUpInPartsAndComeBackFromAnyOffset() throws Exception {
        S3Storage storage = storage();
        byte[] bytes = random(12 * 1024 * 1024 + 7);
        Path file = Files.write(dir.resolve("big"), bytes);
        String key = Storage.key(AssetService.sha256(file), "mp4");

        storage.put(key, file, "video/mp4");

        assertThat(storage.exists(key)).isTrue();
        try (InputStream in = storage.open(key, 6 * 1024 * 1024)) {
            assertThat(in.readAllBytes()).isEqualTo(Arrays.copyOfRange(bytes, 6 * 1024 * 1024, bytes.length));
        }
        List<String> keys = new ArrayList<>();
        storage.forEachKey((k, written) -> keys.add(k));
        assertThat(keys).containsExactly(key);
        storage.delete(key);
        assertThat(storage.exists(key)).isFalse();
    }

    @Test
    void presignedUrlsLetAClientPutAndGetWithoutCredentials() throws Exception {
        S3Storage storage = storage();
        byte[] bytes = random(40_000);
        String key = "incoming/" + java.util.UUID.randomUUID() + ".png";

        var put = storage.presignPut(key, "image/png", Duration.ofMinutes(5)).orElseThrow();
        HttpResponse<String> putResponse = http.send(HttpRequest.newBuilder(put).header("Content-Type", "image/png")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(putResponse.statusCode()).as(putResponse.body()).isEqualTo(200);

        var get = storage.presignGet(key, Duration.ofMinutes(5)).orElseThrow();
        HttpResponse<byte[]> getResponse = http.send(HttpRequest.newBuilder(get).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(getResponse.statusCode()).isEqualTo(200);
        assertThat(getResponse.body()).isEqualTo(bytes);

        HttpResponse<String> unsigned = http.send(HttpRequest.newBuilder(S3.getUri().resolve("/media/" + key)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(unsigned.statusCode()).isEqualTo(403);
    }

    @Test
    void keysOutsideTheContentAddressedLayoutAreRefused() {
        S3Storage storage = storage();
        for (String bad : new String[] {"../etc/passwd", "sha256/aa/bb/../../x.mp4", "/abs.mp4", "sha256/AA/bb/" + "a".repeat(64) + ".mp4"}) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> storage.open(bad, 0)).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
