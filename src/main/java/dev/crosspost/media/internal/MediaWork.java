package dev.crosspost.media.internal;

import dev.crosspost.media.AssetView;
import dev.crosspost.media.RenderProgressed;
import org.jspecify.annotations.Nullable;
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
        FfmpegRunner.Result result = runner.runAllowingFailure(List.of("-i", file.toString()), 0, p -> { });
        boolean faststart = (type == Sniffed.MP4 || type == Sniffed.MOV) && Mp4Atoms.faststart(file);
        AssetView.Probe probe = ProbeParser.parse(result.stderr(), faststart);
        if (probe == null || probe.width() == 0) {
            return null;
        }
        // ffmpeg -i only reads headers; decode one frame so a truncated or forged body is caught
        FfmpegRunner.Result decode = runner.runAllowingFailure(List.of("-v", "error", "-i", file.toString(), "-frames:v", "1",
                "-f", "null", "-"), 0, p -> { });
        return decode.exitCode() == 0 ? probe : null;
    }

    /** Progress of a run on {@code assetId}, as {@link RenderProgressed} events. */
    IntConsumer progress(UUID workspaceId, UUID assetId, String operation) {
        return percent -> events.publishEvent(new RenderProgressed(workspaceId, assetId, operation, percent));
    }
}
