package dev.crosspost.intake.internal;

import dev.crosspost.accounts.AccountStatus;
import dev.crosspost.accounts.AccountView;
import dev.crosspost.accounts.Accounts;
import dev.crosspost.intake.ContentPrepared;
import dev.crosspost.media.AssetView;
import dev.crosspost.media.Assets;
import dev.crosspost.media.Renditions;
import dev.crosspost.publishing.LocalSchedule;
import dev.crosspost.publishing.NewPost;
import dev.crosspost.publishing.PostView;
import dev.crosspost.publishing.Posts;
import dev.crosspost.publishing.Priority;
import dev.crosspost.publishing.adapter.MediaRef;
import dev.crosspost.sandbox.SandboxSettings;
import dev.crosspost.system.CrosspostException;
import dev.crosspost.system.SystemSettings;
import dev.crosspost.system.net.SafeFetcher;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Async;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;
import org.springframework.transaction.support.TransactionTemplate;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns a row whose captions and video are ready into a post: one target per platform of the row, each with its
 * own caption and media, the row's local publish time. The video is stored as a media asset and rendered per
 * platform; x and bluesky take the row's image when it has one, so they need no rendition. A platform whose
 * rendition breaks its limits gets no target and is recorded on the row as failed with the violations. Remote
 * media are fetched SSRF-safe first. A row that already has its post is left alone, so a redelivered event never
 * makes a second post; renditions are reused by source and spec, so a redelivery after a crash renders only what
 * is missing.
 */
@Component
class PostHandoff {

    private static final Logger log = LoggerFactory.getLogger(PostHandoff.class);
    /** Platforms whose adapters post an image as readily as a video. */
    private static final List<String> IMAGE_PLATFORMS = List.of("x", "bluesky");

    private final IntakeStore store;
    private final Posts posts;
    private final Accounts accounts;
    private final SandboxSettings sandbox;
    private final SafeFetcher fetcher;
    private final Path mediaDir;
    private final Path dataDir;
    private final org.springframework.context.ApplicationEventPublisher events;
    private final Assets assets;
    private final Renditions renditions;
    private final TransactionTemplate tx;
    private final Clock clock;

    PostHandoff(IntakeStore store, Posts posts, Accounts accounts, SandboxSettings sandbox, SafeFetcher fetcher, SystemSettings system,
                org.springframework.context.ApplicationEventPublisher events, Assets assets, Renditions renditions, TransactionTemplate tx, Clock clock) {
        this.events = events;
        this.tx = tx;
        this.assets = assets;
        this.renditions = renditions;
        this.store = store;
        this.posts = posts;
        this.accounts = accounts;
        this.sandbox = sandbox;
        this.fetcher = fetcher;
        this.dataDir = system.dataDir().toAbsolutePath().normalize();
        this.mediaDir = dataDir.resolve("intake").resolve("media");
        this.clock = clock;
    }

    // not @ApplicationModuleListener: rendering takes long and must not hold a transaction open; the publication
    // registry still tracks this listener, so an unfinished hand-off is redelivered on restart
    @Async
    @TransactionalEventListener
    void on(ContentPrepared prepared) {
        IntakeStore.StoredRow row = store.row(prepared.workspaceId(), prepared.contentId()).orElse(null);
        if (row == null || row.postId() != null || !row.status().equals("preparing")) {
            return;
        }
        if (prepared.failure() != null) {
            fail(row, "generation failed: " + prepared.failure());
            return;
        }
        RowData d = row.data();
        Map<String, String> refused = new LinkedHashMap<>();
        Map<String, List<MediaRef>> media;
        try {
            media = media(row, prepared.video(), refused);
        } catch (CrosspostException e) {
            fail(row, e.getMessage());
            return;
        }
        List<NewPost.Target> targets = new ArrayList<>();
        List<AccountView> connected = accounts.list(row.workspaceId());
        for (String platform : d.platforms()) {
            if (refused.containsKey(platform)) {
                continue;
            }
            Optional<String> account = account(connected, platform);
            if (account.isEmpty()) {
                refused.put(platform, "no connected account");
                continue;
            }
            ContentPrepared.Caption caption = prepared.captions().get(platform);
            targets.add(new NewPost.Target(platform, account.get(), caption == null ? null : caption.text(), media.get(platform)));
        }
        List<Views.PlatformResult> failed = refused.entrySet().stream()
                .map(e -> new Views.PlatformResult(e.getKey(), null, "failed", null, null, e.getValue())).toList();
        if (targets.isEmpty()) {
            store.settle(row.id(), "failed", failed, notPosted(refused), clock.instant());
            events.publishEvent(new Outcomes.RowSettled(row.workspaceId(), row.campaignId(), row.id()));
            return;
        }
        LocalSchedule schedule = d.publishAt() == null || d.timezone() == null ? null : LocalSchedule.resolve(d.publishAt(), ZoneId.of(d.timezone()));
        // the post and the row's link to it commit together: a redelivery then sees the post, or neither exists
        tx.executeWithoutResult(s -> {
            if (!store.claimForPost(row.id())) {
                return; // another delivery made the post meanwhile
            }
            PostView post = posts.create(new NewPost(row.workspaceId(), row.campaignId(), text(d), List.of(), targets, schedule,
                    schedule == null ? Priority.NOW : Priority.SCHEDULED));
            store.attachPost(row.id(), post.id(), clock.instant());
            if (!refused.isEmpty()) {
                store.settle(row.id(), "publishing", failed, notPosted(refused), clock.instant());
            }
        });
    }

    private static String notPosted(Map<String, String> refused) {
        StringBuilder why = new StringBuilder();
        refused.forEach((platform, reason) -> why.append(why.isEmpty() ? "not posted to " : "; ").append(platform).append(": ").append(reason));
        return why.toString();
    }

    /** The row ends without a post; its outcome is written back like a settled one. */
    private void fail(IntakeStore.StoredRow row, String error) {
        store.setStatus(row.id(), "failed", error, clock.instant());
        events.publishEvent(new Outcomes.RowSettled(row.workspaceId(), row.campaignId(), row.id()));
    }

    /** The workspace's connected account for the platform, else the sandbox target while the sandbox runs. */
    private Optional<String> account(List<AccountView> connected, String platform) {
        Optional<String> own = connected.stream()
                .filter(a -> a.platform().equals(platform) && a.status().equals(AccountStatus.CONNECTED.wireName()))
                .map(a -> a.id().toString()).findFirst();
        if (own.isPresent() || !sandbox.enabled()) {
            return own;
        }
        return Optional.of("sandbox-" + platform);
    }

    /** The post's own text, for targets without a caption: the title, description and link. */
    private static String text(RowData d) {
        StringBuilder text = new StringBuilder(d.title());
        if (!d.description().isBlank()) {
            text.append("\n\n").append(d.description());
        }
        if (d.productUrl() != null) {
            text.append("\n").append(d.productUrl());
        }
        return text.toString();
    }

    /** Each platform's media; platforms whose rendition breaks their limits go into {@code refused} instead. */
    private Map<String, List<MediaRef>> media(IntakeStore.StoredRow row, ContentPrepared.@Nullable Video video, Map<String, String> refused) {
        Set<String> platforms = new LinkedHashSet<>(row.data().platforms());
        Map<String, List<MediaRef>> media = new LinkedHashMap<>();
        String image = row.data().imageUrl();
        if (image != null) {
            Set<String> imageTakers = video == null ? platforms : Set.copyOf(IMAGE_PLATFORMS.stream().filter(platforms::contains).toList());
            if (!imageTakers.isEmpty()) {
                List<MediaRef> ref = List.of(image(row, image));
                imageTakers.forEach(p -> media.put(p, ref));
            }
        }
        Set<String> rest = new LinkedHashSet<>(platforms);
        rest.removeAll(media.keySet());
        if (video == null || rest.isEmpty()) {
            rest.forEach(p -> media.put(p, List.of()));
            return media;
        }
        AssetView asset = storeVideo(row, video);
        store.attachAsset(row.id(), asset.id());
        Renditions.RenditionSet set = renditions.render(row.workspaceId(), asset.id(), rest);
        for (String platform : rest) {
            Renditions.PlatformRendition r = set.platforms().get(platform);
            if (r == null || r.media() == null) {
                refused.put(platform, r == null ? "no rendition" : "the video breaks the platform's limits: " + String.join(", ", r.violations()));
            } else {
                media.put(platform, List.of(r.media()));
            }
        }
        return media;
    }

    /** The video as a media asset: a {@code file:} inside the data dir is streamed in, anything else fetched SSRF-safe. */
    private AssetView storeVideo(IntakeStore.StoredRow row, ContentPrepared.Video video) {
        if (video.location().startsWith("file:")) {
            Path path = inDataDir(URI.create(video.location()), "video");
            try (InputStream in = Files.newInputStream(path)) {
                return assets.store(row.workspaceId(), in, null, path.getFileName().toString());
            } catch (IOException e) {
                throw new CrosspostException(CrosspostException.Kind.UNPROCESSABLE, "media_missing", "the video " + path.getFileName() + " cannot be read");
            }
        }
        Path target = mediaDir.resolve(row.id() + ".video");
        try {
            Files.createDirectories(mediaDir);
            SafeFetcher.Fetched fetched = fetcher.fetch(video.location(), target, fetcher.mediaLimits());
            try (InputStream in = Files.newInputStream(fetched.file())) {
                return assets.store(row.workspaceId(), in, null, null);
            }
        } catch (IOException e) {
            log.warn("Fetching the video of row {} failed", row.id(), e);
            throw new CrosspostException(CrosspostException.Kind.UNPROCESSABLE, "fetch_failed", "the video could not be fetched");
        } finally {
            try {
                Files.deleteIfExists(target);
            } catch (IOException e) {
                log.debug("Could not delete {}", target, e);
            }
        }
    }

    private MediaRef image(IntakeStore.StoredRow row, String image) {
        Path target = mediaDir.resolve(row.id() + ".img");
        try {
            SafeFetcher.Fetched fetched = fetcher.fetch(image, target, fetcher.mediaLimits());
            return new MediaRef(fetched.file().toUri().toString(), fetched.contentType(), fetched.sizeBytes());
        } catch (IOException e) {
            log.warn("Fetching the image of row {} failed", row.id(), e);
            throw new CrosspostException(CrosspostException.Kind.UNPROCESSABLE, "fetch_failed", "the image could not be fetched");
        }
    }

    private Path inDataDir(URI uri, String what) {
        Path path = Path.of(uri).toAbsolutePath().normalize();
        if (!path.startsWith(dataDir) || !Files.isRegularFile(path)) {
            throw new CrosspostException(CrosspostException.Kind.UNPROCESSABLE, "media_missing", "the " + what + " " + path.getFileName() + " is not in the data dir");
        }
        return path;
    }
}
