package dev.crosspost.media.internal;

import dev.crosspost.media.AssetView;
import dev.crosspost.media.Renditions;
import dev.crosspost.media.RenditionsReady;
import dev.crosspost.publishing.adapter.MediaRef;
import dev.crosspost.system.CrosspostException;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.IntConsumer;

/**
 * Plans, renders (one FFmpeg run for everything missing), stores and checks renditions. Outputs already stored for
 * the same source and spec are reused, so asking again costs nothing.
 */
@Service
class RenditionService implements Renditions {

    private final AssetStore store;
    private final AssetService assets;
    private final MediaWork work;
    private final Storage storage;
    private final MediaSettings settings;
    private final ApplicationEventPublisher events;

    RenditionService(AssetStore store, AssetService assets, MediaWork work, Storage storage, MediaSettings settings,
                     ApplicationEventPublisher events) {
        this.store = store;
        this.assets = assets;
        this.work = work;
        this.storage = storage;
        this.settings = settings;
        this.events = events;
    }

    @Override
    public RenditionSet render(UUID workspaceId, UUID assetId, Set<String> platforms) {
        return render(workspaceId, assetId, platforms, percent -> { });
    }

    /** Refuses what {@link #render} would refuse (404, not a video, an unknown platform) before any work is queued. */
    void check(UUID workspaceId, UUID assetId, Set<String> platforms) {
        limits(source(workspaceId, assetId), platforms);
    }

    private AssetStore.Stored source(UUID workspaceId, UUID assetId) {
        AssetStore.Stored source = store.find(workspaceId, assetId).orElseThrow(() -> CrosspostException.notFound("asset", assetId));
        if (!source.view().kind().equals("video")) {
            throw MediaProblems.invalid("not_a_video", "id", "Asset " + assetId + " is an image; renditions are made of videos.");
        }
        return source;
    }

    private Map<String, MediaSettings.PlatformLimits> limits(AssetStore.Stored source, Set<String> platforms) {
        Map<String, MediaSettings.PlatformLimits> limits = new LinkedHashMap<>();
        for (String p : platforms) {
            MediaSettings.PlatformLimits l = settings.platforms().get(p);
            if (l == null) {
                throw MediaProblems.invalid("unknown_platform", "platforms", "No video limits are configured for '" + p
                        + "'; known: " + String.join(", ", settings.platforms().keySet()) + ".");
            }
            limits.put(p, l);
        }
        return limits;
    }

    /** {@link #render}, reporting the percent done to {@code progress}. */
    RenditionSet render(UUID workspaceId, UUID assetId, Set<String> platforms, IntConsumer progress) {
        AssetStore.Stored source = source(workspaceId, assetId);
        Map<String, MediaSettings.PlatformLimits> limits = limits(source, platforms);
        AssetView.Probe probe = source.view().probe();
        RenditionPlanner.Plan plan = RenditionPlanner.plan(probe, source.view().sizeBytes(), limits);

        Map<RenditionPlanner.Output, AssetView> made = new LinkedHashMap<>();
        List<RenditionPlanner.Output> missing = new ArrayList<>();
        for (RenditionPlanner.Output o : plan.outputs()) {
            store.derived(assetId, "rendition", o.storedSpec()).ifPresentOrElse(s -> made.put(o, s.view()), () -> missing.add(o));
        }
        Map<String, AssetView> thumbnails = new LinkedHashMap<>();
        for (String name : thumbnailNames()) {
            store.derived(assetId, name.equals("poster") ? "poster" : "thumbnail", name).ifPresent(s -> thumbnails.put(name, s.view()));
        }
        boolean needThumbnails = thumbnails.size() < thumbnailNames().size();
        if (!missing.isEmpty() || needThumbnails) {
            renderMissing(workspaceId, source, missing, needThumbnails, made, thumbnails, progress);
        } else {
            // all stored already: no FFmpeg run reports progress, so the job and the event streams learn the end here
            work.progress(workspaceId, assetId, "renditions", progress).accept(100);
        }

        Map<String, PlatformRendition> result = new LinkedHashMap<>();
        plan.refused().forEach((p, why) -> result.put(p, new PlatformRendition(p, null, null, "", false, why)));
        Map<String, String> specs = new LinkedHashMap<>();
        for (var e : made.entrySet()) {
            RenditionPlanner.Output o = e.getKey();
            AssetView out = e.getValue();
            for (String p : o.platforms()) {
                List<String> violations = LimitCheck.violations(out, limits.get(p));
                MediaRef ref = violations.isEmpty() ? out.ref() : null;
                result.put(p, new PlatformRendition(p, ref, out.id(), o.spec().key(), o.remux(), violations));
                specs.put(p, o.spec().key());
            }
        }
        events.publishEvent(new RenditionsReady(workspaceId, assetId, specs));
        return new RenditionSet(assetId, result, thumbnails);
    }

    private void renderMissing(UUID workspaceId, AssetStore.Stored source, List<RenditionPlanner.Output> missing, boolean thumbnails,
                               Map<RenditionPlanner.Output, AssetView> made, Map<String, AssetView> thumbs, IntConsumer progress) {
        UUID assetId = source.view().id();
        Path dir = work.newDir("render");
        try {
            Path input = LocalCopies.of(storage, source, dir);
            List<Path> targets = new ArrayList<>();
            for (int i = 0; i < missing.size(); i++) {
                targets.add(dir.resolve("out-" + i + ".mp4"));
            }
            var job = new RenderCommand.Job(missing, targets, thumbnails, dir);
            var args = RenderCommand.build(input, source.view().probe(), job, settings.framing(), settings.ffmpeg().preset(), settings.ffmpeg().crf());
            work.runner().run(args, source.view().probe().durationSeconds(), work.progress(workspaceId, assetId, "renditions", progress));
            for (int i = 0; i < missing.size(); i++) {
                RenditionPlanner.Output o = missing.get(i);
                made.put(o, assets.keepDerived(workspaceId, targets.get(i), Sniffed.MP4, "rendition", assetId, o.storedSpec()));
            }
            if (thumbnails) {
                for (String name : thumbnailNames()) {
                    if (!thumbs.containsKey(name)) {
                        thumbs.put(name, assets.keepDerived(workspaceId, dir.resolve(name + ".jpg"), Sniffed.JPEG,
                                name.equals("poster") ? "poster" : "thumbnail", assetId, name));
                    }
                }
            }
        } finally {
            FfmpegRunner.deleteTree(dir);
        }
    }

    private static List<String> thumbnailNames() {
        List<String> names = new ArrayList<>(RenderCommand.THUMBNAILS.keySet().stream().sorted().toList());
        names.add("poster");
        return names;
    }
}
