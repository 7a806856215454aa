package dev.crosspost.media.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.unit.DataSize;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A render that is cancelled or times out kills FFmpeg and leaves no temp files behind. */
class FfmpegKillTests {

    @TempDir
    Path temp;

    MediaSettings settings(Duration timeout) {
        return new MediaSettings(new MediaSettings.Storage("local", null, Duration.ofMinutes(15)),
                new MediaSettings.Limits(DataSize.ofMegabytes(100), DataSize.ofMegabytes(10), Duration.ofMinutes(15), 4096),
                new MediaSettings.FfmpegRun(1, timeout, "veryfast", 23), "pad", java.util.Map.of(), Duration.ofHours(1), Duration.ofHours(24), Duration.ofDays(7));
    }

    MediaWork work(Duration timeout) {
        return new MediaWork(temp.resolve("work"), new FfmpegRunner(TestMedia.ffmpeg(), 1, timeout), e -> { });
    }

    static List<ProcessHandle> ffmpegChildren() {
        return ProcessHandle.current().descendants()
                .filter(p -> p.info().command().map(c -> c.contains("ffmpeg")).orElse(false)).toList();
    }

    @Test
    void aCancelledRenderKillsFfmpegAndRemovesItsTempFiles() throws Exception {
        Path image = TestMedia.png(temp, "product.png", 1200, 1200);
        MediaWork work = work(Duration.ofMinutes(5));
        var videos = new OfflineProductVideos(work, settings(Duration.ofMinutes(5)));
        AtomicReference<Thread> worker = new AtomicReference<>();
        CompletableFuture<Void> render = CompletableFuture.runAsync(() -> {
            worker.set(Thread.currentThread());
            // a slow preset keeps FFmpeg busy long enough to be cancelled mid-run
            videos.render(image, "Trail Runner 2", new BigDecimal("129.90"), "EUR", temp.resolve("out.mp4"));
        });

        await().atMost(Duration.ofSeconds(60)).until(() -> !ffmpegChildren().isEmpty());
        List<ProcessHandle> running = ffmpegChildren();
        worker.get().interrupt();

        await().atMost(Duration.ofSeconds(30)).until(render::isDone);
        assertThat(render).isCompletedExceptionally();
        assertThat(running).noneMatch(ProcessHandle::isAlive);
        try (var left = Files.list(work.tempRoot())) {
            assertThat(left.toList()).isEmpty();
        }
    }

    @Test
    void aRunOverItsTimeLimitIsKilled() throws Exception {
        FfmpegRunner runner = new FfmpegRunner(TestMedia.ffmpeg(), 1, Duration.ofSeconds(2));
        List<String> endless = List.of("-re", "-f", "lavfi", "-i", "testsrc2=s=320x240:r=25", "-f", "null", "-");

        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> runner.run(endless, 0, p -> { })))
                .isInstanceOf(FfmpegRunner.FfmpegFailed.class).hasMessageContaining("killed");
        await().atMost(Duration.ofSeconds(10)).until(() -> ffmpegChildren().isEmpty());
    }

    @Test
    void theProductVideoIsAVertical1080pH264AacFaststartFile() throws Exception {
        Path image = TestMedia.png(temp, "product.png", 800, 600);
        MediaWork work = work(Duration.ofMinutes(5));
        Path out = temp.resolve("product.mp4");

        new OfflineProductVideos(work, settings(Duration.ofMinutes(5))).render(image, "Trail Runner 2", new BigDecimal("129.90"), "EUR", out);

        var probe = work.probe(out, Sniffed.MP4);
        assertThat(probe).isNotNull();
        assertThat(probe.width()).isEqualTo(1080);
        assertThat(probe.height()).isEqualTo(1920);
        assertThat(probe.videoProfile()).isEqualTo("High");
        assertThat(probe.audioCodec()).isEqualTo("aac");
        assertThat(probe.audioSampleRate()).isEqualTo(48000);
        assertThat(probe.durationSeconds()).isBetween(4.9, 5.2);
        assertThat(probe.faststart()).isTrue();
        try (var left = Files.list(work.tempRoot())) {
            assertThat(left.toList()).isEmpty();
        }
    }
}
