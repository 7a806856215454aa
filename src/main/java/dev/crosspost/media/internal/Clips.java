package dev.crosspost.media.internal;

import dev.crosspost.media.AssetView;
import dev.crosspost.system.CrosspostException;
import org.springframework.stereotype.Service;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.IntConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Scene changes by FFmpeg's scene score, the clips they suggest, and cutting clips by timestamps. */
@Service
class Clips {

    private static final Pattern PTS_TIME = Pattern.compile("pts_time:\\s*(\\d+(?:\\.\\d+)?)");

    private final AssetStore store;
    private final AssetService assets;
    private final MediaWork work;
    private final Storage storage;
    private final MediaSettings settings;

    Clips(AssetStore store, AssetService assets, MediaWork work, Storage storage, MediaSettings settings) {
        this.store = store;
        this.assets = assets;
        this.work = work;
        this.storage = storage;
        this.settings = settings;
    }

    record Suggestion(double start, double end) {
    }

    record Scenes(double durationSeconds, List<Double> cuts, List<Suggestion> suggestions) {
    }

    record Cut(double start, double end) {
    }

    Scenes scenes(UUID workspaceId, UUID assetId, double threshold, double minSeconds, IntConsumer progress) {
        AssetStore.Stored source = video(workspaceId, assetId);
        Path dir = work.newDir("scenes");
        try {
            Path input = LocalCopies.of(storage, source, dir);
            String filter = String.format(Locale.ROOT, "select='gt(scene,%.3f)',showinfo", threshold);
            var result = work.runner().run(List.of("-i", input.toString(), "-an", "-sn", "-vf", filter, "-f", "null", "-"),
                    source.view().probe().durationSeconds(), work.progress(workspaceId, assetId, "scenes", progress));
            List<Double> cuts = new ArrayList<>();
            for (String line : result.stderr()) {
                Matcher m = PTS_TIME.matcher(line);
                if (line.contains("showinfo") && m.find()) {
                    cuts.add(Double.parseDouble(m.group(1)));
                }
            }
            double duration = source.view().probe().durationSeconds();
            return new Scenes(duration, cuts, suggest(cuts, duration, minSeconds));
        } finally {
            FfmpegRunner.deleteTree(dir);
        }
    }

    /** Segments between consecutive cuts; one shorter than {@code minSeconds} merges into the next. */
    static List<Suggestion> suggest(List<Double> cuts, double duration, double minSeconds) {
        List<Suggestion> out = new ArrayList<>();
        double start = 0;
        List<Double> bounds = new ArrayList<>(cuts);
        bounds.add(duration);
        for (double bound : bounds) {
            if (bound - start >= minSeconds) {
                out.add(new Suggestion(start, bound));
                start = bound;
            }
        }
        if (start < duration && !out.isEmpty()) {
            Suggestion last = out.removeLast();
            out.add(new Suggestion(last.start(), duration));
        }
        return out;
    }

    /** Refuses a non-video (or foreign) asset and cuts outside it before any work is queued. */
    void check(UUID workspaceId, UUID assetId, List<Cut> cuts) {
        checkCuts(video(workspaceId, assetId), cuts);
    }

    /** Refuses a non-video (or foreign) asset before any work is queued. */
    void check(UUID workspaceId, UUID assetId) {
        video(workspaceId, assetId);
    }

    /**
     * Cuts each clip; {@code progress} gets the percent of all of them done. A clip is stored once per source and
     * range (its spec), so a job run again after a crash reuses the clips it already stored and cuts only the rest.
     */
    List<AssetView> cut(UUID workspaceId, UUID assetId, List<Cut> cuts, IntConsumer progress) {
        AssetStore.Stored source = video(workspaceId, assetId);
        checkCuts(source, cuts);
        Path dir = work.newDir("clips");
        try {
            Path input = null;
            List<AssetView> made = new ArrayList<>();
            for (int i = 0; i < cuts.size(); i++) {
                Cut c = cuts.get(i);
                String spec = "clip:" + seconds(c.start()) + "-" + seconds(c.end());
                int done = i;
                IntConsumer clipProgress = work.progress(workspaceId, assetId, "clip", percent -> progress.accept((done * 100 + percent) / cuts.size()));
                var stored = store.derived(assetId, "clip", spec);
                if (stored.isPresent()) {
                    made.add(stored.get().view());
                    clipProgress.accept(100);
                    continue;
                }
                if (input == null) { // fetched only once a clip needs cutting (a re-run may need none)
                    input = LocalCopies.of(storage, source, dir);
                }
                Path out = dir.resolve("clip-" + i + ".mp4");
                List<String> args = new ArrayList<>(List.of("-ss", seconds(c.start()), "-i", input.toString(), "-t", seconds(c.end() - c.start()),
                        "-map", "0:v:0", "-map", "0:a:0?", "-c:v", "libx264", "-profile:v", "high", "-pix_fmt", "yuv420p",
                        "-preset", settings.ffmpeg().preset(), "-crf", Integer.toString(settings.ffmpeg().crf()),
                        "-c:a", "aac", "-ar", "48000", "-movflags", "+faststart", "-y", out.toString()));
                work.runner().run(args, c.end() - c.start(), clipProgress);
                made.add(assets.keepDerived(workspaceId, out, Sniffed.MP4, "clip", assetId, spec));
            }
            return made;
        } finally {
            FfmpegRunner.deleteTree(dir);
        }
    }

    private static void checkCuts(AssetStore.Stored source, List<Cut> cuts) {
        double duration = source.view().probe().durationSeconds();
        List<Map<String, String>> errors = new ArrayList<>();
        for (int i = 0; i < cuts.size(); i++) {
            Cut c = cuts.get(i);
            if (c.start() >= c.end() || c.end() > duration + 0.05) {
                errors.add(Map.of("field", "clips[" + i + "]", "message", "must satisfy 0 ≤ start < end ≤ " + duration));
            }
        }
        if (!errors.isEmpty()) {
            throw new CrosspostException(CrosspostException.Kind.INVALID, "validation_failed", "Some clips lie outside the video.",
                    Map.of("errors", errors));
        }
    }

    private AssetStore.Stored video(UUID workspaceId, UUID assetId) {
        AssetStore.Stored source = store.find(workspaceId, assetId).orElseThrow(() -> CrosspostException.notFound("asset", assetId));
        if (!source.view().kind().equals("video")) {
            throw MediaProblems.invalid("not_a_video", "id", "Asset " + assetId + " is an image; clips and scenes need a video.");
        }
        return source;
    }

    static String seconds(double s) {
        return String.format(Locale.ROOT, "%.3f", s);
    }
}
