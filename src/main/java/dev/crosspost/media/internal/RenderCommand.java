package dev.crosspost.media.internal;

import dev.crosspost.media.AssetView.Probe;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One FFmpeg invocation for a whole plan: the source is decoded once and {@code split} into every encoded output plus
 * one branch that yields the poster and the three thumbnails; remuxed outputs copy the streams from the same input.
 * A source with another aspect is padded or blur-filled, never stretched.
 */
final class RenderCommand {

    /** Thumbnail widths (height follows the aspect). */
    static final Map<String, Integer> THUMBNAILS = Map.of("small", 320, "medium", 640, "large", 1280);

    private RenderCommand() {
    }

    /** What to make: outputs to encode or copy, and whether to make thumbnails. */
    record Job(List<RenditionPlanner.Output> outputs, List<Path> targets, boolean thumbnails, Path thumbnailDir) {
    }

    static List<String> build(Path input, Probe source, Job job, String framing, String preset, int crf) {
        List<String> args = new ArrayList<>(List.of("-y", "-i", input.toString()));
        List<Integer> encoded = new ArrayList<>();
        for (int i = 0; i < job.outputs().size(); i++) {
            if (!job.outputs().get(i).remux()) {
                encoded.add(i);
            }
        }
        double at = Math.min(1.0, source.durationSeconds() / 2);
        // with nothing to encode, a decode of the whole source only for thumbnails would cost more than the remux:
        // they come from a second input that seeks to the frame instead
        boolean seekForThumbnails = job.thumbnails() && encoded.isEmpty();
        if (seekForThumbnails) {
            args.addAll(List.of("-ss", String.format(Locale.ROOT, "%.3f", at), "-i", input.toString()));
        }
        int branches = encoded.size() + (job.thumbnails() && !seekForThumbnails ? 1 : 0);
        List<String> graph = new ArrayList<>();
        if (branches > 0) {
            StringBuilder split = new StringBuilder("[0:v:0]split=").append(branches);
            for (int b = 0; b < branches; b++) {
                split.append("[s").append(b).append(']');
            }
            graph.add(split.toString());
            int b = 0;
            for (int i : encoded) {
                graph.add(frameChain("s" + b++, "o" + i, source, job.outputs().get(i).spec(), framing));
            }
            if (job.thumbnails() && !seekForThumbnails) {
                graph.add(String.format(Locale.ROOT, "[s%d]select='gte(t,%.3f)',trim=end_frame=1,split=4[tp][tsmall][tmedium][tlarge]", b, at));
            }
        }
        if (seekForThumbnails) {
            graph.add("[1:v:0]trim=end_frame=1,split=4[tp][tsmall][tmedium][tlarge]");
        }
        if (job.thumbnails()) {
            for (var t : THUMBNAILS.entrySet()) {
                graph.add("[t" + t.getKey() + "]scale=" + t.getValue() + ":-2[th" + t.getKey() + "]");
            }
        }
        if (!graph.isEmpty()) {
            args.addAll(List.of("-filter_complex", String.join(";", graph)));
        }
        for (int i = 0; i < job.outputs().size(); i++) {
            RenditionPlanner.Output output = job.outputs().get(i);
            if (output.remux()) {
                args.addAll(List.of("-map", "0:v:0", "-map", "0:a:0?", "-c", "copy", "-movflags", "+faststart",
                        job.targets().get(i).toString()));
                continue;
            }
            long videoBits = videoBitrate(output.maxBytes(), source.durationSeconds());
            args.addAll(List.of("-map", "[o" + i + "]", "-map", "0:a:0?",
                    "-c:v", "libx264", "-profile:v", "high", "-pix_fmt", "yuv420p", "-preset", preset, "-crf", Integer.toString(crf),
                    "-maxrate", Long.toString(videoBits), "-bufsize", Long.toString(videoBits * 2),
                    "-c:a", "aac", "-ar", "48000", "-b:a", "128k", "-movflags", "+faststart", job.targets().get(i).toString()));
        }
        if (job.thumbnails()) {
            args.addAll(List.of("-map", "[tp]", "-frames:v", "1", "-q:v", "3", job.thumbnailDir().resolve("poster.jpg").toString()));
            for (String size : THUMBNAILS.keySet()) {
                args.addAll(List.of("-map", "[th" + size + "]", "-frames:v", "1", "-q:v", "4", job.thumbnailDir().resolve(size + ".jpg").toString()));
            }
        }
        return args;
    }

    /** The filter chain from one split branch to an output frame: rate, fit, fill, square pixels, 4:2:0. */
    static String frameChain(String in, String out, Probe source, RenditionPlanner.Spec spec, String framing) {
        int w = spec.width();
        int h = spec.height();
        String fps = "fps=" + RenditionPlanner.Spec.fpsText(spec.fps());
        double sourceAspect = source.displayHeight() == 0 ? 0 : (double) source.displayWidth() / source.displayHeight();
        boolean sameAspect = Math.abs(sourceAspect - (double) w / h) < 0.01;
        if (sameAspect) {
            return "[" + in + "]" + fps + ",scale=" + w + ":" + h + ",setsar=1,format=yuv420p[" + out + "]";
        }
        if (framing.equals("pad")) {
            return "[" + in + "]" + fps + ",scale=" + w + ":" + h + ":force_original_aspect_ratio=decrease,pad=" + w + ":" + h
                    + ":(ow-iw)/2:(oh-ih)/2,setsar=1,format=yuv420p[" + out + "]";
        }
        // blur-fill: the background is blurred at 1/8 size (cheap), then scaled up under the fitted picture
        int bw = even(w / 8);
        int bh = even(h / 8);
        return "[" + in + "]" + fps + ",split[" + out + "a][" + out + "b];"
                + "[" + out + "a]scale=" + bw + ":" + bh + ":force_original_aspect_ratio=increase,crop=" + bw + ":" + bh
                + ",boxblur=4:1,scale=" + w + ":" + h + ",setsar=1[" + out + "bg];"
                + "[" + out + "b]scale=" + w + ":" + h + ":force_original_aspect_ratio=decrease,setsar=1[" + out + "fg];"
                + "[" + out + "bg][" + out + "fg]overlay=(W-w)/2:(H-h)/2,format=yuv420p[" + out + "]";
    }

    /** A video bitrate cap that keeps the file under 90% of the tightest size limit (audio 128k aside), at most 25 Mbit/s. */
    static long videoBitrate(long maxBytes, double seconds) {
        long budget = seconds <= 0 ? Long.MAX_VALUE : (long) (maxBytes * 8 * 0.9 / seconds) - 128_000;
        return Math.max(200_000, Math.min(25_000_000, budget));
    }

    private static int even(int n) {
        return Math.max(2, n - n % 2);
    }
}
