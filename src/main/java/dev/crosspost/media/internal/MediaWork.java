package dev.crosspost.media.internal;

import dev.crosspost.media.AssetView;
import dev.crosspost.media.RenderProgressed;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.function.IntConsumer;

/** Temp work dirs under {@code data-dir/tmp/media} and FFmpeg runs on them, with progress published as events. */
class MediaWork {

    private static final Logger log = LoggerFactory.getLogger(MediaWork.class);

    private final Path tempRoot;
    private final FfmpegRunner runner;
    private final ApplicationEventPublisher events;

    MediaWork(Path tempRoot, FfmpegRunner runner, ApplicationEventPublisher events) {
        this.tempRoot = tempRoot;
        this.runner = runner;
        this.events = events;
    }

    Path tempRoot() {
        return tempRoot;
    }

    FfmpegRunner runner() {
        return runner;
    }

    /** A fresh directory the caller deletes in a finally block (the sweeper removes any a crash left). */
    Path newDir(String purpose) {
        try {
            Files.createDirectories(tempRoot);
            return Files.createDirectory(tempRoot.resolve(purpose + "-" + UUID.randomUUID()));
        } catch (IOException e) {
            throw new UncheckedIOException("could not create a temp dir", e);
        }
    }

    /** What FFmpeg finds in the file, or null when it finds no decodable picture. */
    AssetView.@Nullable Probe probe(Path file, Sniffed type) {
        // one run: the header report on stderr, plus decoding the first frame, so a forged or truncated body fails
        FfmpegRunner.Result result = runner.runAllowingFailure(List.of("-i", file.toString(), "-map", "0:v:0", "-frames:v", "1",
                "-f", "null", "-"), 0, p -> { });
        if (result.exitCode() != 0) {
            return null;
        }
        boolean faststart = (type == Sniffed.MP4 || type == Sniffed.MOV) && Mp4Atoms.faststart(file);
        AssetView.Probe probe = ProbeParser.parse(result.stderr(), faststart);
        return probe == null || probe.width() == 0 ? null : probe;
    }

    /**
     * Progress of a run on {@code assetId}, as {@link RenderProgressed} events and to {@code also} (a render job's
     * percent). A listener that fails is logged, never fails the run.
     */
    IntConsumer progress(UUID workspaceId, UUID assetId, String operation, IntConsumer also) {
        return percent -> {
            try {
                also.accept(percent);
                events.publishEvent(new RenderProgressed(workspaceId, assetId, operation, percent));
            } catch (RuntimeException e) {
                log.warn("Reporting {} progress of asset {} failed: {}", operation, assetId, e.toString());
            }
        };
    }
}
