package dev.crosspost.media.internal;

import dev.crosspost.media.AssetView;
import dev.crosspost.media.Renditions;
import dev.crosspost.publishing.adapter.MediaRef;
import dev.crosspost.publishing.adapter.MediaSource;
import dev.crosspost.support.CrosspostIntegrationTest;
import dev.crosspost.support.TestApi;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@CrosspostIntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MediaIntegrationTests {

    @LocalServerPort
    int port;
    @Autowired
    JsonMapper json;
    @Autowired
    MediaSource mediaSource;
    @Autowired
    Renditions renditions;
    @Autowired
    MediaWork work;
    @Autowired
    MediaSweeper sweeper;
    @Autowired
    Storage storage;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    AssetService assets;
    @Autowired
    RenderJobs jobs;

    static final UUID OTHER_WS = UUID.fromString("00000000-0000-0000-0000-00000000beef");

    final HttpClient http = HttpClient.newHttpClient();
    Path dir;
    Path wide;
    Path png;

    @BeforeAll
    void media() throws Exception {
        dir = Files.createTempDirectory("media-it");
        wide = TestMedia.video(dir, "wide.mp4", 640, 360, 4, 44100);
        png = TestMedia.png(dir, "pic.png", 64, 48);
    }

    HttpResponse<String> upload(byte[] body, String contentType) throws Exception {
        return http.send(TestApi.request(port, "/api/v1/assets?filename=f").header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    JsonNode ok(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return json.readTree(response.body());
    }

    HttpResponse<String> postJson(String path, String body) throws Exception {
        return http.send(TestApi.request(port, path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A queued render job (202 with its Location) followed until it has finished; returns the finished job. */
    JsonNode finished(HttpResponse<String> accepted) {
        JsonNode queued = ok(accepted, 202);
        String location = accepted.headers().firstValue("Location").orElseThrow();
        assertThat(location).isEqualTo("/api/v1/render-jobs/" + queued.get("id").asString());
        assertThat(queued.get("status").asString()).isEqualTo("queued");
        assertThat(queued.get("percent").asInt()).isZero();
        assertThat(queued.get("result").isNull()).isTrue();
        return await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
                .until(() -> ok(http.send(TestApi.request(port, location).build(), HttpResponse.BodyHandlers.ofString()), 200),
                        job -> job.get("finishedAt") != null && !job.get("finishedAt").isNull());
    }

    JsonNode done(HttpResponse<String> accepted) {
        JsonNode job = finished(accepted);
        assertThat(job.get("status").asString()).as(job.toString()).isEqualTo("done");
        assertThat(job.get("percent").asInt()).isEqualTo(100);
        assertThat(job.get("error").isNull()).isTrue();
        assertThat(job.get("startedAt").isNull()).isFalse();
        return job.get("result");
    }

    JsonNode problem(HttpResponse<String> response, int status, String code) {
        JsonNode body = ok(response, status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).contains("problem+json"));
        assertThat(body.get("code").asString()).isEqualTo(code);
        assertThat(body.get("errors").get(0).get("field").asString()).isNotBlank();
        return body;
    }

    @Test
    void aVideoIsStoredWithWhatTheProbeFound() throws Exception {
        JsonNode asset = ok(upload(Files.readAllBytes(wide), "video/mp4"), 201);

        assertThat(asset.get("kind").asString()).isEqualTo("video");
        assertThat(asset.get("sha256").asString()).hasSize(64);
        JsonNode probe = asset.get("probe");
        assertThat(probe.get("width").asInt()).isEqualTo(640);
        assertThat(probe.get("videoCodec").asString()).isEqualTo("h264");
        assertThat(probe.get("audioCodec").asString()).isEqualTo("aac");
        assertThat(probe.get("durationSeconds").asDouble()).isBetween(3.9, 4.2);
        assertThat(probe.get("fps").asDouble()).isEqualTo(30.0);
        assertThat(probe.get("faststart").asBoolean()).isTrue();

        HttpResponse<byte[]> content = http.send(TestApi.request(port, "/api/v1/assets/" + asset.get("id").asString() + "/content").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(content.body()).isEqualTo(Files.readAllBytes(wide));
    }

    @Test
    void theEngineStreamsAnAssetFromAnyOffset() throws Exception {
        JsonNode asset = ok(upload(Files.readAllBytes(wide), "video/mp4"), 201);
        byte[] bytes = Files.readAllBytes(wide);
        MediaRef ref = new MediaRef("asset:" + asset.get("id").asString(), "video/mp4", bytes.length);

        try (InputStream in = mediaSource.open(ref, 1000)) {
            assertThat(in.readAllBytes()).isEqualTo(Arrays.copyOfRange(bytes, 1000, bytes.length));
        }
    }

    @Test
    void aTypeDeclaredDifferentlyFromTheBytesIsRefused() throws Exception {
        problem(upload(Files.readAllBytes(png), "video/mp4"), 400, "media_type_mismatch");
        problem(upload("just text, named like a picture".getBytes(), "image/jpeg"), 400, "unsupported_media");
    }

    @Test
    void polyglotsAreRefused() throws Exception {
        byte[] zipTail = MagicBytesTests.bytes('P', 'K', 5, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        problem(upload(MagicBytesTests.concat(Files.readAllBytes(png), zipTail), "image/png"), 400, "polyglot_refused");
        problem(upload("GIF89a<script>alert(1)</script>;".getBytes(), "image/gif"), 400, "polyglot_refused");
    }

    @Test
    void oversizedAndUndecodableUploadsAreRefused() throws Exception {
        byte[] big = new byte[10 * 1024 * 1024 + 1];
        new Random(1).nextBytes(big);
        System.arraycopy(MagicBytesTests.PNG_HEAD, 0, big, 0, MagicBytesTests.PNG_HEAD.length);
        problem(upload(big, "image/png"), 413, "media_too_large");

        byte[] forged = MagicBytesTests.concat(MagicBytesTests.PNG_HEAD, new byte[100], MagicBytesTests.PNG_END);
        problem(upload(forged, "image/png"), 422, "unreadable_media");
    }

    @Test
    void aResumableUploadContinuesAtTheOffsetTheServerHas() throws Exception {
        byte[] bytes = Files.readAllBytes(wide);
        String start = "{\"sizeBytes\":" + bytes.length + ",\"filename\":\"wide.mp4\",\"contentType\":\"video/mp4\"}";
        JsonNode session = ok(http.send(TestApi.request(port, "/api/v1/assets/uploads").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(start)).build(), HttpResponse.BodyHandlers.ofString()), 201);
        String id = session.get("id").asString();
        int half = bytes.length / 2;

        ok(chunk(id, bytes, 0, half), 200);
        JsonNode conflict = ok(chunk(id, bytes, 0, half), 409);
        assertThat(conflict.get("offset").asLong()).isEqualTo(half);
        JsonNode done = ok(chunk(id, bytes, half, bytes.length), 201);

        assertThat(done.get("asset").get("sizeBytes").asLong()).isEqualTo(bytes.length);
        assertThat(done.get("asset").get("filename").asString()).isEqualTo("wide.mp4");
    }

    HttpResponse<String> chunk(String id, byte[] bytes, int from, int to) throws Exception {
        return http.send(TestApi.request(port, "/api/v1/assets/uploads/" + id)
                .header("Content-Range", "bytes " + from + "-" + (to - 1) + "/" + bytes.length)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(Arrays.copyOfRange(bytes, from, to))).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void sixPlatformsGetTwoCheckedOutputsAndThumbnailsFromOneRun() throws Exception {
        JsonNode asset = ok(upload(Files.readAllBytes(wide), "video/mp4"), 201);
        String body = "{\"platforms\":[\"tiktok\",\"instagram\",\"youtube\",\"pinterest\",\"x\",\"bluesky\"]}";

        JsonNode set = done(postJson("/api/v1/assets/" + asset.get("id").asString() + "/renditions", body));

        JsonNode platforms = set.get("platforms");
        Set<String> outputs = new HashSet<>();
        for (String p : new String[] {"tiktok", "instagram", "youtube", "pinterest", "x", "bluesky"}) {
            JsonNode r = platforms.get(p);
            assertThat(r.get("violations").size()).as(p + ": " + r).isZero();
            assertThat(r.get("media").get("location").asString()).startsWith("asset:");
            outputs.add(r.get("assetId").asString());
        }
        assertThat(outputs).hasSize(2);
        assertThat(platforms.get("tiktok").get("spec").asString()).isEqualTo("1080x1920@30");
        assertThat(platforms.get("tiktok").get("assetId")).isEqualTo(platforms.get("pinterest").get("assetId"));
        assertThat(platforms.get("x").get("spec").asString()).isEqualTo("1280x720@30");
        assertThat(set.get("thumbnails").properties()).extracting(java.util.Map.Entry::getKey)
                .containsExactlyInAnyOrder("small", "medium", "large", "poster");
        assertThat(set.get("thumbnails").get("small").get("probe").get("width").asInt()).isEqualTo(320);

        JsonNode rendition = ok(http.send(TestApi.request(port, "/api/v1/assets/" + platforms.get("tiktok").get("assetId").asString()).build(),
                HttpResponse.BodyHandlers.ofString()), 200);
        JsonNode probe = rendition.get("probe");
        assertThat(probe.get("videoProfile").asString()).isEqualTo("High");
        assertThat(probe.get("audioSampleRate").asInt()).isEqualTo(48000);
        assertThat(probe.get("faststart").asBoolean()).isTrue();

        var again = renditions.render(dev.crosspost.system.Workspaces.SANDBOX, UUID.fromString(asset.get("id").asString()), Set.of("x"));
        assertThat(again.platforms().get("x").assetId().toString()).isEqualTo(platforms.get("x").get("assetId").asString());
    }

    @Test
    void aConformantSourceIsRemuxed() throws Exception {
        Path tall = TestMedia.video(dir, "tall.mp4", 1080, 1920, 4, 48000);
        JsonNode asset = ok(upload(Files.readAllBytes(tall), "video/mp4"), 201);

        var set = renditions.render(dev.crosspost.system.Workspaces.SANDBOX, UUID.fromString(asset.get("id").asString()), Set.of("tiktok", "instagram"));

        assertThat(set.platforms().get("tiktok").remuxed()).isTrue();
        assertThat(set.platforms().get("tiktok").violations()).isEmpty();
        assertThat(set.platforms().get("instagram").assetId()).isEqualTo(set.platforms().get("tiktok").assetId());
    }

    @Test
    void outputsThatBreakAPlatformLimitAreNotHandedOut() throws Exception {
        Path shortClip = TestMedia.video(dir, "short.mp4", 640, 360, 2, 48000);
        JsonNode asset = ok(upload(Files.readAllBytes(shortClip), "video/mp4"), 201);

        var set = renditions.render(dev.crosspost.system.Workspaces.SANDBOX, UUID.fromString(asset.get("id").asString()), Set.of("tiktok", "x"));

        assertThat(set.platforms().get("tiktok").media()).isNull();
        assertThat(set.platforms().get("tiktok").violations()).singleElement().asString().contains("below the minimum");
        assertThat(set.platforms().get("x").media()).isNotNull();
    }

    @Test
    void scenesSuggestClipsAndChosenClipsAreCut() throws Exception {
        String id = ok(upload(Files.readAllBytes(wide), "video/mp4"), 201).get("id").asString();

        JsonNode scenes = done(http.send(TestApi.request(port, "/api/v1/assets/" + id + "/scenes?threshold=0.3")
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString()));
        assertThat(scenes.get("cuts").size()).isEqualTo(1);
        assertThat(scenes.get("cuts").get(0).asDouble()).isBetween(1.9, 2.1);
        assertThat(scenes.get("suggestions").size()).isEqualTo(2);

        String body = "{\"clips\":[{\"start\":0.5,\"end\":1.5}]}";
        JsonNode clips = done(postJson("/api/v1/assets/" + id + "/clips", body));
        JsonNode clip = clips.get("data").get(0);
        assertThat(clip.get("role").asString()).isEqualTo("clip");
        assertThat(clip.get("probe").get("durationSeconds").asDouble()).isBetween(0.9, 1.15);

        String outside = "{\"clips\":[{\"start\":3,\"end\":9}]}";
        problem(postJson("/api/v1/assets/" + id + "/clips", outside), 400, "validation_failed");
        problem(postJson("/api/v1/assets/" + id + "/renditions", "{\"platforms\":[\"myspace\"]}"), 400, "unknown_platform");
    }

    @Test
    void aRenderThatFailsEndsFailedWithTheReason() throws Exception {
        // a source of its own: the test breaks the stored object, which equal uploads would share
        Path own = TestMedia.video(dir, "broken.mp4", 320, 240, 3, 22050);
        JsonNode asset = ok(upload(Files.readAllBytes(own), "video/mp4"), 201);
        Path stored = ((LocalStorage) storage).path(Storage.key(asset.get("sha256").asString(), "mp4"));
        Files.write(stored, new byte[4096]);

        JsonNode job = finished(postJson("/api/v1/assets/" + asset.get("id").asString() + "/renditions", "{\"platforms\":[\"x\"]}"));

        assertThat(job.get("status").asString()).isEqualTo("failed");
        assertThat(job.get("result").isNull()).isTrue();
        assertThat(job.get("error").asString()).startsWith("FFmpeg could not render the asset: ffmpeg exited with")
                .doesNotContain("/media/objects/", "/tmp/");
        assertThat(jdbc.sql("SELECT count(*) FROM media_assets WHERE source_id = ?").param(UUID.fromString(asset.get("id").asString()))
                .query(Integer.class).single()).isZero();
    }

    @Test
    void theApiDescriptionDeclaresTheRenderJobs() throws Exception {
        JsonNode paths = ok(http.send(TestApi.request(port, "/v3/api-docs").build(), HttpResponse.BodyHandlers.ofString()), 200).get("paths");
        for (String op : List.of("renditions", "scenes", "clips")) {
            assertThat(paths.get("/api/v1/assets/{id}/" + op).get("post").get("responses").has("202")).as(op).isTrue();
        }
        assertThat(paths.get("/api/v1/render-jobs/{id}").has("get")).isTrue();
    }

    @Test
    void aJobLeftRunningByAStoppedNodeRunsAgainToTheEnd() throws Exception {
        String asset = ok(upload(Files.readAllBytes(wide), "video/mp4"), 201).get("id").asString();
        UUID id = UUID.randomUUID();
        // what a node that died mid-render leaves behind; db-scheduler revives its execution, which calls run
        jdbc.sql("""
                        INSERT INTO media_render_jobs (id, workspace_id, asset_id, operation, request, status, percent, created_at, started_at)
                        VALUES (:id, :ws, :asset, 'scenes', '{"threshold":0.3,"minSeconds":1.0}', 'running', 40, now(), now())""")
                .param("id", id).param("ws", dev.crosspost.system.Workspaces.SANDBOX).param("asset", UUID.fromString(asset)).update();

        jobs.run(id);

        JsonNode job = ok(http.send(TestApi.request(port, "/api/v1/render-jobs/" + id).build(), HttpResponse.BodyHandlers.ofString()), 200);
        assertThat(job.get("status").asString()).isEqualTo("done");
        assertThat(job.get("result").get("cuts").size()).isEqualTo(1);
    }

    @Test
    void aClipsJobRunAgainAfterACrashReusesTheClipsItStored() throws Exception {
        UUID asset = UUID.fromString(ok(upload(Files.readAllBytes(wide), "video/mp4"), 201).get("id").asString());
        RenderJobs.JobView job = jobs.submit(dev.crosspost.system.Workspaces.SANDBOX, asset,
                new RenderJobs.ClipsWork(List.of(new Clips.Cut(0.5, 1.5), new Clips.Cut(2.5, 3))));
        jobs.run(job.id());
        JsonNode first = jobs.find(dev.crosspost.system.Workspaces.SANDBOX, job.id()).orElseThrow().result();

        // the node died after storing the clips but before recording the end: the scheduler runs the body again
        jdbc.sql("UPDATE media_render_jobs SET status = 'running', result = NULL, finished_at = NULL, percent = 60 WHERE id = ?")
                .param(job.id()).update();
        jobs.run(job.id());

        RenderJobs.JobView again = jobs.find(dev.crosspost.system.Workspaces.SANDBOX, job.id()).orElseThrow();
        assertThat(again.status()).isEqualTo("done");
        assertThat(again.percent()).isEqualTo(100);
        assertThat(ids(again.result())).hasSize(2).isEqualTo(ids(first));
        assertThat(jdbc.sql("SELECT spec FROM media_assets WHERE source_id = ? AND role = 'clip' ORDER BY spec").param(asset)
                .query(String.class).list()).containsExactly("clip:0.500-1.500", "clip:2.500-3.000");

        // two runs racing: the one storing second gets the first one's clip instead of a duplicate row
        Path copy = Files.copy(wide, dir.resolve("raced-" + UUID.randomUUID() + ".mp4"));
        AssetView raced = assets.keepDerived(dev.crosspost.system.Workspaces.SANDBOX, copy, Sniffed.MP4, "clip", asset, "clip:0.500-1.500");
        assertThat(raced.id()).isEqualTo(ids(first).getFirst());
        assertThat(jdbc.sql("SELECT count(*) FROM media_assets WHERE source_id = ? AND role = 'clip'").param(asset).query(Integer.class).single())
                .isEqualTo(2);
    }

    private static List<UUID> ids(JsonNode clipList) {
        return clipList.get("data").valueStream().map(c -> UUID.fromString(c.get("id").asString())).toList();
    }

    @Test
    void anotherWorkspacesJobOrAssetIs404() throws Exception {
        AssetView foreign = assets.store(OTHER_WS, Files.newInputStream(wide), "video/mp4", "theirs.mp4");
        RenderJobs.JobView theirs = jobs.submit(OTHER_WS, foreign.id(), new RenderJobs.ScenesWork(0.3, 1));

        HttpResponse<String> job = http.send(TestApi.request(port, "/api/v1/render-jobs/" + theirs.id()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(job.statusCode()).isEqualTo(404);
        assertThat(job.body()).contains("not_found").doesNotContain(foreign.id().toString());
        HttpResponse<String> unknown = http.send(TestApi.request(port, "/api/v1/render-jobs/" + UUID.randomUUID()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(unknown.statusCode()).isEqualTo(404);
        for (String path : List.of("/renditions", "/clips")) {
            String body = path.equals("/clips") ? "{\"clips\":[{\"start\":0,\"end\":1}]}" : "{\"platforms\":[\"x\"]}";
            assertThat(postJson("/api/v1/assets/" + foreign.id() + path, body).statusCode()).as(path).isEqualTo(404);
        }
        assertThat(jdbc.sql("SELECT count(*) FROM media_render_jobs WHERE asset_id = ?").param(foreign.id()).query(Integer.class).single())
                .isEqualTo(1);
    }

    @Test
    void anotherWorkspacesOrAnUnknownAssetIs404() throws Exception {
        HttpResponse<String> r = http.send(TestApi.request(port, "/api/v1/assets/" + UUID.randomUUID()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(404);
    }


    @Test
    void theSweeperRemovesOldTempFilesAndOrphanObjectsButKeepsStoredAssets() throws Exception {
        JsonNode asset = ok(upload(Files.readAllBytes(png), "image/png"), 201);
        String keptKey = Storage.key(asset.get("sha256").asString(), "png");
        Path kept = ((LocalStorage) storage).path(keptKey);
        java.nio.file.attribute.FileTime old = java.nio.file.attribute.FileTime.from(java.time.Instant.now().minus(java.time.Duration.ofDays(3)));
        Files.setLastModifiedTime(kept, old);
        Path orphanFile = Files.write(dir.resolve("orphan"), new byte[] {1, 2, 3});
        String orphanKey = Storage.key(AssetService.sha256(orphanFile), "mp4");
        storage.put(orphanKey, orphanFile, "video/mp4");
        Files.setLastModifiedTime(((LocalStorage) storage).path(orphanKey), old);
        Path staleDir = work.newDir("render");
        Files.write(staleDir.resolve("out-0.mp4"), new byte[] {1});
        Files.setLastModifiedTime(staleDir, old);
        Path freshDir = work.newDir("render");

        sweeper.sweep();

        assertThat(storage.exists(orphanKey)).isFalse();
        assertThat(storage.exists(keptKey)).isTrue();
        assertThat(staleDir).doesNotExist();
        assertThat(freshDir).exists();
        FfmpegRunner.deleteTree(freshDir);
    }

    @Test
    void aPostCarriesTheAssetsItNames() throws Exception {
        String id = ok(upload(Files.readAllBytes(wide), "video/mp4"), 201).get("id").asString();
        JsonNode post = ok(createPost("{\"text\":\"with video\",\"media\":[\"" + id + "\"],\"targets\":[{\"platform\":\"youtube\"}]}"), 201);
        String media = jdbc.sql("SELECT media::text FROM posts WHERE id = ?").param(UUID.fromString(post.get("id").asString()))
                .query(String.class).single();
        assertThat(media).contains("asset:" + id, "video/mp4");

        UUID missing = UUID.randomUUID();
        JsonNode problem = problem(createPost("{\"text\":\"t\",\"media\":[\"" + missing + "\"],\"targets\":[{\"platform\":\"youtube\"}]}"),
                422, "media_missing");
        assertThat(problem.get("errors").get(0).get("field").asString()).isEqualTo("media[0]");
        JsonNode malformed = ok(createPost("{\"text\":\"t\",\"media\":[\"nope\"],\"targets\":[{\"platform\":\"youtube\"}]}"), 400);
        assertThat(malformed.get("code").asString()).isEqualTo("malformed_body");
    }

    HttpResponse<String> createPost(String body) throws Exception {
        return http.send(TestApi.request(port, "/api/v1/posts").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
