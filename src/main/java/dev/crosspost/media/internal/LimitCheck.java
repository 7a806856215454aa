package dev.crosspost.media.internal;

import dev.crosspost.media.AssetView;

import java.util.ArrayList;
import java.util.List;

/** Checks a stored output against one platform's limits and the common delivery spec (H.264 High 4:2:0, AAC 48 kHz, faststart). */
final class LimitCheck {

    private LimitCheck() {
    }

    static List<String> violations(AssetView out, MediaSettings.PlatformLimits limits) {
        AssetView.Probe p = out.probe();
        List<String> why = new ArrayList<>();
        String frame = p.displayWidth() + "x" + p.displayHeight();
        if (!limits.frames().contains(frame)) {
            why.add("frame " + frame + " is not one of " + limits.frames());
        }
        if (p.fps() < limits.minFps() - 0.5 || p.fps() > limits.maxFps() + 0.5) {
            why.add("frame rate " + p.fps() + " is outside " + limits.minFps() + "–" + limits.maxFps());
        }
        why.addAll(RenditionPlanner.durationViolations(p.durationSeconds(), limits));
        if (out.sizeBytes() > limits.maxSize().toBytes()) {
            why.add("size " + out.sizeBytes() + " bytes is above the maximum of " + limits.maxSize().toBytes());
        }
        if (!"h264".equals(p.videoCodec()) || !"High".equals(p.videoProfile()) || !"yuv420p".equals(p.pixelFormat())) {
            why.add("video is " + p.videoCodec() + " " + p.videoProfile() + " " + p.pixelFormat() + ", not H.264 High yuv420p");
        }
        if (p.audioCodec() != null && (!"aac".equals(p.audioCodec()) || p.audioSampleRate() != 48_000)) {
            why.add("audio is " + p.audioCodec() + " at " + p.audioSampleRate() + " Hz, not AAC 48 kHz");
        }
        if (!p.faststart()) {
            why.add("the index (moov) is not at the start");
        }
        return why;
    }
}
