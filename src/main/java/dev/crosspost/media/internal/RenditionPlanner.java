package dev.crosspost.media.internal;

import dev.crosspost.media.AssetView.Probe;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Plans the least work that meets every target: each platform accepts some output specs (its frames at the frame
 * rate its limits allow); specs are chosen greedily by how many still-unserved platforms they serve (ties: closest to
 * the source's aspect, then the platforms' own preference), and each platform then takes its most preferred chosen
 * spec. A spec the source already meets is remuxed instead of encoded.
 */
final class RenditionPlanner {

    private RenditionPlanner() {
    }

    /** An output: frame size and frame rate. */
    record Spec(int width, int height, double fps) {
        String key() {
            return width + "x" + height + "@" + fpsText(fps);
        }

        static String fpsText(double fps) {
            return Math.abs(fps - Math.rint(fps)) < 0.001 ? Long.toString(Math.round(fps)) : String.format(Locale.ROOT, "%.3f", fps);
        }
    }

    /** One output and the platforms it serves; {@code maxBytes} is the tightest size limit among them. */
    record Output(Spec spec, List<String> platforms, boolean remux, long maxBytes) {
        String storedSpec() {
            return spec.key() + (remux ? "/copy" : "");
        }
    }

    /** The outputs, and the platforms that no output can serve with why. */
    record Plan(List<Output> outputs, Map<String, List<String>> refused) {
    }

    static Plan plan(Probe source, long sourceBytes, Map<String, MediaSettings.PlatformLimits> limits) {
        Map<String, List<String>> refused = new LinkedHashMap<>();
        Map<String, List<Spec>> accepts = new LinkedHashMap<>();
        for (var e : limits.entrySet()) {
            MediaSettings.PlatformLimits l = e.getValue();
            List<String> why = durationViolations(source.durationSeconds(), l);
            if (!why.isEmpty()) {
                refused.put(e.getKey(), why);
                continue;
            }
            double fps = targetFps(source.fps(), l);
            accepts.put(e.getKey(), l.frames().stream().map(f -> frame(f, fps)).toList());
        }
        double aspect = source.displayHeight() == 0 ? 1 : (double) source.displayWidth() / source.displayHeight();
        Set<String> unserved = new LinkedHashSet<>(accepts.keySet());
        Set<Spec> chosen = new LinkedHashSet<>();
        while (!unserved.isEmpty()) {
            Map<Spec, Integer> count = new LinkedHashMap<>();
            Map<Spec, Integer> rank = new LinkedHashMap<>();
            for (String p : unserved) {
                List<Spec> specs = accepts.get(p);
                for (int i = 0; i < specs.size(); i++) {
                    count.merge(specs.get(i), 1, Integer::sum);
                    rank.merge(specs.get(i), i, Integer::sum);
                }
            }
            Spec best = count.keySet().stream().max(Comparator.<Spec>comparingInt(count::get)
                    .thenComparing(s -> -Math.abs(Math.log((double) s.width() / s.height() / aspect)))
                    .thenComparing(s -> -rank.get(s))).orElseThrow();
            chosen.add(best);
            unserved.removeIf(p -> accepts.get(p).contains(best));
        }
        Map<Spec, List<String>> served = new LinkedHashMap<>();
        for (var e : accepts.entrySet()) {
            Spec pick = e.getValue().stream().filter(chosen::contains).findFirst().orElseThrow();
            served.computeIfAbsent(pick, s -> new ArrayList<>()).add(e.getKey());
        }
        List<Output> outputs = new ArrayList<>();
        served.forEach((spec, platforms) -> {
            long maxBytes = platforms.stream().mapToLong(p -> limits.get(p).maxSize().toBytes()).min().orElseThrow();
            outputs.add(new Output(spec, List.copyOf(platforms), conformant(source, sourceBytes, spec, maxBytes), maxBytes));
        });
        return new Plan(outputs, refused);
    }

    /** Whether the source can be copied into {@code spec} as it is. */
    static boolean conformant(Probe s, long sourceBytes, Spec spec, long maxBytes) {
        return "h264".equals(s.videoCodec()) && "High".equals(s.videoProfile()) && "yuv420p".equals(s.pixelFormat())
                && s.rotation() == 0 && s.width() == spec.width() && s.height() == spec.height()
                && Math.abs(s.fps() - spec.fps()) < 0.01
                && (s.audioCodec() == null || ("aac".equals(s.audioCodec()) && s.audioSampleRate() == 48_000))
                && sourceBytes <= maxBytes;
    }

    static double targetFps(double sourceFps, MediaSettings.PlatformLimits l) {
        double fps = sourceFps > 0 ? sourceFps : 30;
        return Math.max(l.minFps(), Math.min(l.maxFps(), fps));
    }

    static List<String> durationViolations(double seconds, MediaSettings.PlatformLimits l) {
        List<String> why = new ArrayList<>();
        if (seconds > l.maxDuration().toMillis() / 1000.0) {
            why.add("duration " + Clips.seconds(seconds) + " s is above the maximum of " + l.maxDuration().toSeconds() + " s");
        }
        if (seconds < l.minDuration().toMillis() / 1000.0) {
            why.add("duration " + Clips.seconds(seconds) + " s is below the minimum of " + l.minDuration().toMillis() / 1000.0 + " s");
        }
        return why;
    }

    static Spec frame(String frame, double fps) {
        String[] wh = frame.split("x");
        return new Spec(Integer.parseInt(wh[0]), Integer.parseInt(wh[1]), fps);
    }
}
