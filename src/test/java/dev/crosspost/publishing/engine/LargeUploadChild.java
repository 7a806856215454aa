package dev.crosspost.publishing.engine;

import dev.crosspost.publishing.adapter.AdapterTestSupport;
import dev.crosspost.publishing.adapter.MediaRef;
import dev.crosspost.publishing.adapter.MediaSource;
import dev.crosspost.publishing.adapter.PublishRequest;
import dev.crosspost.publishing.adapter.Step;
import dev.crosspost.publishing.adapter.StepContext;
import dev.crosspost.publishing.adapter.StepResult;
import dev.crosspost.publishing.adapter.youtube.YouTubeAdapter;
import tools.jackson.databind.json.JsonMapper;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryType;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Run in a child JVM with a small heap: uploads one file to the YouTube simulator through the engine's own media
 * source and the real adapter, then prints the outcome and the heap's peak use.
 * Arguments: data dir, simulator base URL, file URI, size in bytes.
 */
public final class LargeUploadChild {

    private static final String KEY = "large-" + UUID.randomUUID();

    private LargeUploadChild() {
    }

    public static void main(String[] args) {
        Path dataDir = Path.of(args[0]);
        // the same seeking file read the app's StoredMediaSource does for file: media, without its database
        MediaSource source = new MediaSource() {
            @Override
            public java.io.InputStream open(MediaRef media) throws java.io.IOException {
                return open(media, 0);
            }

            @Override
            public java.io.InputStream open(MediaRef media, long offset) throws java.io.IOException {
                Path file = Path.of(java.net.URI.create(media.location()));
                if (!file.toAbsolutePath().normalize().startsWith(dataDir.toAbsolutePath().normalize())) {
                    throw new java.io.IOException("media outside the data dir is refused");
                }
                var channel = java.nio.file.Files.newByteChannel(file);
                channel.position(offset);
                return java.nio.channels.Channels.newInputStream(channel);
            }
        };
        var http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        var adapter = new YouTubeAdapter(() -> args[1], http, source, JsonMapper.builder().build(), Clock.systemUTC(), 32 * 256 * 1024,
                AdapterTestSupport.videoLimits("youtube"));
        MediaRef video = new MediaRef(args[2], "video/mp4", Long.parseLong(args[3]));
        StepContext context = new StepContext() {
            @Override
            public Duration timeout() {
                return Duration.ofMinutes(5);
            }

            @Override
            public void quotaObserved(long remaining, Instant resetsAt) {
            }
        };
        Map<String, String> outputs = new HashMap<>();
        for (Step step : adapter.steps(request(video, outputs)).subList(0, 2)) {
            StepResult result = adapter.run(step, request(video, outputs), context);
            System.out.println("step " + step.name() + ": " + result);
            if (!(result instanceof StepResult.Done(Map<String, String> out))) {
                System.exit(2);
                return;
            }
            outputs.putAll(out);
        }
        long peak = ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP)
                .mapToLong(p -> p.getPeakUsage().getUsed()).sum();
        System.out.println("peak heap bytes: " + peak + " of max " + Runtime.getRuntime().maxMemory());
        System.out.println("video_id=" + outputs.get("video_id"));
    }

    private static PublishRequest request(MediaRef video, Map<String, String> outputs) {
        return new PublishRequest(UUID.randomUUID(), KEY, "youtube", "acct-yt", "One gibibyte\nstreamed",
                java.util.List.of(video), Map.copyOf(outputs), "sandbox-token", "acct-yt", null);
    }
}
