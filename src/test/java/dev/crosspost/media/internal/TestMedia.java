package dev.crosspost.media.internal;

import dev.crosspost.media.Ffmpeg;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Makes small real media files with the same FFmpeg the app uses. */
public final class TestMedia {

    private static final Path TOOLS = Path.of(System.getProperty("java.io.tmpdir"), "crosspost-test-tools");

    private TestMedia() {
    }

    static Ffmpeg ffmpeg() {
        return Ffmpeg.locate(TOOLS);
    }

    /** {@code ffmpeg -y <args> out}, failing the test on a non-zero exit. */
    static Path make(Path out, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(ffmpeg().ffmpeg().toString(), "-hide_banner", "-loglevel", "error", "-y"));
        command.addAll(List.of(args));
        command.add(out.toString());
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IllegalStateException("ffmpeg failed: " + output);
        }
        return out;
    }

    /** A {@code seconds}-long W×H H.264 High/AAC clip; two different halves, so there is one hard scene cut. */
    public static Path video(Path dir, String name, int w, int h, int seconds, int sampleRate) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        double half = seconds / 2.0;
        return make(dir.resolve(name),
                "-f", "lavfi", "-i", "testsrc2=s=" + w + "x" + h + ":r=30:d=" + half,
                "-f", "lavfi", "-i", "color=c=red:s=" + w + "x" + h + ":r=30:d=" + half,
                "-f", "lavfi", "-i", "sine=f=440:r=" + sampleRate + ":d=" + seconds,
                "-filter_complex", "[0:v][1:v]concat=n=2:v=1:a=0[v]", "-map", "[v]", "-map", "2:a",
                "-c:v", "libx264", "-profile:v", "high", "-pix_fmt", "yuv420p", "-preset", "superfast",
                "-c:a", "aac", "-ar", Integer.toString(sampleRate), "-movflags", "+faststart");
    }

    static Path png(Path dir, String name, int w, int h) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        return make(dir.resolve(name), "-f", "lavfi", "-i", "testsrc2=s=" + w + "x" + h, "-frames:v", "1");
    }
}
