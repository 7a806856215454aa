package dev.crosspost.media;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * Where the FFmpeg binary is: {@code ffmpeg} from PATH when present, else the static build bundled in
 * {@code ws.schild:jave-nativebin-linux64}, unpacked once into the data dir. {@code ffprobe} exists only in the
 * first case; callers probe with ffmpeg itself otherwise.
 */
public record Ffmpeg(Path ffmpeg, Optional<Path> ffprobe, boolean bundled) {

    private static final String BUNDLED = "ws/schild/jave/nativebin/ffmpeg-amd64";

    /** Finds FFmpeg, unpacking the bundled binary under {@code toolsDir} when PATH has none. */
    public static Ffmpeg locate(Path toolsDir) {
        Optional<Path> onPath = onPath("ffmpeg");
        if (onPath.isPresent()) {
            return new Ffmpeg(onPath.get(), onPath("ffprobe"), false);
        }
        return new Ffmpeg(unpackBundled(toolsDir), Optional.empty(), true);
    }

    private static Optional<Path> onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static synchronized Path unpackBundled(Path toolsDir) {
        try (InputStream in = Ffmpeg.class.getClassLoader().getResourceAsStream(BUNDLED)) {
            if (in == null) {
                throw new IllegalStateException("no ffmpeg on PATH and the bundled binary (" + BUNDLED + ") is missing");
            }
            Files.createDirectories(toolsDir);
            Path target = toolsDir.resolve("ffmpeg-amd64");
            if (Files.isExecutable(target)) {
                return target;
            }
            // unpack beside the target and move into place, so a crash never leaves a half-written binary
            Path temp = Files.createTempFile(toolsDir, "ffmpeg-", ".part");
            Files.copy(in, temp, StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("could not unpack the bundled ffmpeg into " + toolsDir, e);
        }
    }
}
