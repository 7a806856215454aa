package dev.crosspost.media.internal;

import dev.crosspost.media.AssetView.Probe;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code ffmpeg -i} output (there is no ffprobe beside the bundled static build): container, duration, the
 * first video and audio stream, rotation from the {@code rotate} tag or the display matrix.
 */
final class ProbeParser {

    private static final Pattern INPUT = Pattern.compile("^Input #0, ([^,]+(?:,[^,]+)*?), from ");
    private static final Pattern DURATION = Pattern.compile("Duration: (\\d+):(\\d{2}):(\\d{2}(?:\\.\\d+)?)");
    private static final Pattern VIDEO = Pattern.compile("Stream #0:\\d+.*?: Video: (\\w+)(?: \\(([^)]+)\\))?.*?, (\\w+)(?:\\([^)]*\\))?, (\\d{2,5})x(\\d{2,5})");
    private static final Pattern FPS = Pattern.compile(", (\\d+(?:\\.\\d+)?)(k?) fps");
    private static final Pattern AUDIO = Pattern.compile("Stream #0:\\d+.*?: Audio: (\\w+).*?, (\\d+) Hz, ([\\w.]+)");
    private static final Pattern ROTATE = Pattern.compile("^\\s+rotate\\s+:\\s+(-?\\d+)");
    private static final Pattern MATRIX = Pattern.compile("displaymatrix: rotation of (-?\\d+(?:\\.\\d+)?) degrees");

    private ProbeParser() {
    }

    /** Null when FFmpeg found no decodable video or image stream. */
    static Probe parse(List<String> lines, boolean faststart) {
        String container = null;
        double duration = 0;
        String videoCodec = null;
        String profile = null;
        String pixelFormat = null;
        int width = 0;
        int height = 0;
        double fps = 0;
        int rotation = 0;
        Integer tagRotation = null;
        String audioCodec = null;
        int sampleRate = 0;
        int channels = 0;
        boolean inVideo = false;
        for (String line : lines) {
            if (line.startsWith("Output #")) {
                break;
            }
            Matcher m;
            if ((m = INPUT.matcher(line)).find()) {
                container = m.group(1);
            } else if ((m = DURATION.matcher(line)).find()) {
                duration = Integer.parseInt(m.group(1)) * 3600 + Integer.parseInt(m.group(2)) * 60 + Double.parseDouble(m.group(3));
            } else if (videoCodec == null && (m = VIDEO.matcher(line)).find()) {
                videoCodec = m.group(1);
                profile = m.group(2) == null || m.group(2).contains("/") ? null : m.group(2);
                pixelFormat = m.group(3);
                width = Integer.parseInt(m.group(4));
                height = Integer.parseInt(m.group(5));
                Matcher f = FPS.matcher(line);
                if (f.find()) {
                    fps = Double.parseDouble(f.group(1)) * (f.group(2).isEmpty() ? 1 : 1000);
                }
                inVideo = true;
                continue;
            } else if (audioCodec == null && (m = AUDIO.matcher(line)).find()) {
                audioCodec = m.group(1);
                sampleRate = Integer.parseInt(m.group(2));
                channels = switch (m.group(3)) {
                    case "mono" -> 1;
                    case "stereo" -> 2;
                    default -> m.group(3).matches("\\d+\\.\\d+") ? (int) Math.round(m.group(3).chars().filter(Character::isDigit).map(c -> c - '0').sum()) : 2;
                };
            }
            if (line.contains("Stream #0:")) {
                inVideo = false;
            }
            if (inVideo && (m = ROTATE.matcher(line)).find()) {
                tagRotation = Math.floorMod(Integer.parseInt(m.group(1)), 360);
            } else if (inVideo && (m = MATRIX.matcher(line)).find()) {
                rotation = Math.floorMod(360 - (int) Math.round(Double.parseDouble(m.group(1))), 360);
            }
        }
        if (videoCodec == null) {
            return null;
        }
        if (tagRotation != null) {
            rotation = tagRotation;
        }
        return new Probe(duration, width, height, videoCodec, profile, pixelFormat, fps, rotation, audioCodec, sampleRate,
                channels, container, faststart);
    }
}
