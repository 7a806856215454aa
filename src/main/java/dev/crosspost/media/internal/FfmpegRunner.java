package dev.crosspost.media.internal;

import dev.crosspost.media.Ffmpeg;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/**
 * Runs FFmpeg with bounded concurrency and a time limit. A run that times out or whose thread is interrupted is
 * killed (with its children); its stderr tail is kept for the error, and its progress ({@code -progress pipe:1})
 * is reported as a percentage of the expected output duration.
 */
class FfmpegRunner {

    private static final Logger log = LoggerFactory.getLogger(FfmpegRunner.class);
    private static final int STDERR_TAIL = 200;

    private final Ffmpeg ffmpeg;
    private final Semaphore slots;
    private final Duration timeout;

    FfmpegRunner(Ffmpeg ffmpeg, int concurrency, Duration timeout) {
        this.ffmpeg = ffmpeg;
        this.slots = new Semaphore(concurrency, true);
        this.timeout = timeout;
    }

    Ffmpeg ffmpeg() {
        return ffmpeg;
    }

    /** Output of a finished run: exit code and the last lines of stderr. */
    record Result(int exitCode, List<String> stderr) {
        String stderrText() {
            return String.join("\n", stderr);
        }
    }

    /** Runs {@code ffmpeg args}; fails on a non-zero exit. */
    Result run(List<String> args, double expectedSeconds, IntConsumer progress) {
        Result result = runAllowingFailure(args, expectedSeconds, progress);
        if (result.exitCode() != 0) {
            throw new FfmpegFailed("ffmpeg exited with " + result.exitCode(), result.stderrText());
        }
        return result;
    }

    /** Runs {@code ffmpeg args}; the caller reads the exit code (probing exits 1 by design). */
    Result runAllowingFailure(List<String> args, double expectedSeconds, IntConsumer progress) {
        try {
            slots.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FfmpegFailed("interrupted while waiting for an ffmpeg slot", "");
        }
        try {
            return execute(args, expectedSeconds, progress);
        } finally {
            slots.release();
        }
    }

    private Result execute(List<String> args, double expectedSeconds, IntConsumer progress) {
        List<String> command = new ArrayList<>();
        command.add(ffmpeg.ffmpeg().toString());
        command.addAll(List.of("-hide_banner", "-nostdin", "-nostats", "-progress", "pipe:1"));
        command.addAll(args);
        Process process;
        try {
            process = new ProcessBuilder(command).start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start ffmpeg", e);
        }
        List<String> stderr = new ArrayList<>();
        CompletableFuture<Void> errReader = CompletableFuture.runAsync(() -> drain(process, stderr), Thread::startVirtualThread);
        CompletableFuture<Void> outReader = CompletableFuture.runAsync(() -> progress(process, expectedSeconds, progress), Thread::startVirtualThread);
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                kill(process);
                throw new FfmpegFailed("ffmpeg took longer than " + timeout + " and was killed", tail(stderr));
            }
            errReader.join();
            outReader.join();
            return new Result(process.exitValue(), List.copyOf(stderr));
        } catch (InterruptedException e) {
            kill(process);
            Thread.currentThread().interrupt();
            throw new FfmpegFailed("ffmpeg was cancelled and killed", tail(stderr));
        } finally {
            if (process.isAlive()) {
                kill(process);
            }
        }
    }

    private static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.warn("Killed ffmpeg process {}", process.pid());
    }

    private static String tail(List<String> stderr) {
        synchronized (stderr) {
            return String.join("\n", stderr);
        }
    }

    private static void drain(Process process, List<String> stderr) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                synchronized (stderr) {
                    stderr.add(line);
                    if (stderr.size() > STDERR_TAIL * 20) {
                        stderr.subList(0, stderr.size() - STDERR_TAIL * 10).clear();
                    }
                }
            }
        } catch (IOException ignored) {
            // the process died; the exit code tells the rest
        }
    }

    private static void progress(Process process, double expectedSeconds, IntConsumer progress) {
        int last = -1;
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                int percent = -1;
                if (line.startsWith("out_time_us=") && expectedSeconds > 0) {
                    try {
                        double seconds = Long.parseLong(line.substring("out_time_us=".length()).trim()) / 1_000_000.0;
                        percent = (int) Math.min(99, Math.max(0, seconds * 100 / expectedSeconds));
                    } catch (NumberFormatException ignored) {
                        // "N/A" before the first frame
                    }
                } else if (line.equals("progress=end")) {
                    percent = 100;
                }
                if (percent > last) {
                    last = percent;
                    progress.accept(percent);
                }
            }
        } catch (IOException ignored) {
            // the process died; the exit code tells the rest
        }
    }

    /** Deletes a work directory and everything in it; never throws. */
    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    log.warn("Could not delete temp file {}", p);
                }
            });
        } catch (IOException e) {
            log.warn("Could not clean up {}", dir);
        }
    }

    /** A failed, timed-out or cancelled run; {@code stderr} is for logs, never for callers. */
    static final class FfmpegFailed extends RuntimeException {
        private final String stderr;

        FfmpegFailed(String message, String stderr) {
            super(message);
            this.stderr = stderr;
        }

        String stderr() {
            return stderr;
        }
    }
}
