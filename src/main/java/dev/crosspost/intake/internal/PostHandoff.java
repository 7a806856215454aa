package dev.crosspost.intake.internal;

import dev.crosspost.accounts.AccountStatus;
import dev.crosspost.accounts.AccountView;
import dev.crosspost.accounts.Accounts;
import dev.crosspost.intake.ContentPrepared;
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
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
/**
 * Turns a row whose captions and video are ready into a post: one target per platform of the row, each with its
 * own caption, the video (or else the row's image) as media, the row's local publish time. Remote images are
 * fetched SSRF-safe into the data dir first. A row that already has its post is left alone, so a redelivered
 * event never makes a second post.
 */
@Component
class PostHandoff {

    private static final Logger log = LoggerFactory.getLogger(PostHandoff.class);

    private final IntakeStore store;
    private final Posts posts;
    private final Accounts accounts;
    private final SandboxSettings sandbox;
    private final SafeFetcher fetcher;
    private final Path mediaDir;
    private final Path dataDir;
    private final org.springframework.context.ApplicationEventPublisher events;
    private final Clock clock;

    PostHandoff(IntakeStore store, Posts posts, Accounts accounts, SandboxSettings sandbox, SafeFetcher fetcher, SystemSettings system,
                org.springframework.context.ApplicationEventPublisher events, Clock clock) {
        this.events = events;
        this.store = store;
        this.posts = posts;
        this.accounts = accounts;
        this.sandbox = sandbox;
        this.fetcher = fetcher;
        this.dataDir = system.dataDir().toAbsolutePath().normalize();
        this.mediaDir = dataDir.resolve("intake").resolve("media");
        this.clock = clock;
    }

    @ApplicationModuleListener
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
        List<MediaRef> media;
        try {
            media = media(row, prepared.video());
        } catch (CrosspostException e) {
            fail(row, e.getMessage());
            return;
        }
        List<String> unreachable = new ArrayList<>();
        List<NewPost.Target> targets = new ArrayList<>();
        List<AccountView> connected = accounts.list(row.workspaceId());
        for (String platform : d.platforms()) {
            Optional<String> account = account(connected, platform);
            if (account.isEmpty()) {
                unreachable.add(platform);
                continue;
            }
            ContentPrepared.Caption caption = prepared.captions().get(platform);
            targets.add(new NewPost.Target(platform, account.get(), caption == null ? null : caption.text(), null));
        }
        if (targets.isEmpty()) {
            fail(row, "no connected account for " + String.join(", ", unreachable));
            return;
        }
        LocalSchedule schedule = d.publishAt() == null || d.timezone() == null ? null : LocalSchedule.resolve(d.publishAt(), ZoneId.of(d.timezone()));
        PostView post = posts.create(new NewPost(row.workspaceId(), row.campaignId(), text(d), media, targets, schedule,
                schedule == null ? Priority.NOW : Priority.SCHEDULED));
        store.attachPost(row.id(), post.id(), clock.instant());
        if (!unreachable.isEmpty()) {
            store.setStatus(row.id(), "publishing", "not posted to " + String.join(", ", unreachable) + ": no connected account", clock.instant());
        }
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

    private List<MediaRef> media(IntakeStore.StoredRow row, ContentPrepared.@Nullable Video video) {
        if (video != null) {
            return List.of(new MediaRef(video.location(), video.contentType(), video.sizeBytes()));
        }
        String image = row.data().imageUrl();
        if (image == null) {
            return List.of();
        }
        if (image.startsWith("file:")) {
            return List.of(local(URI.create(image)));
        }
        Path target = mediaDir.resolve(row.id() + ".img");
        try {
            SafeFetcher.Fetched fetched = fetcher.fetch(image, target, fetcher.mediaLimits());
            return List.of(new MediaRef(fetched.file().toUri().toString(), fetched.contentType(), fetched.sizeBytes()));
        } catch (IOException e) {
            log.warn("Fetching the image of row {} failed", row.id(), e);
            throw new CrosspostException(CrosspostException.Kind.UNPROCESSABLE, "fetch_failed", "the image could not be fetched");
        }
    }

    /** A {@code file:} image of the bundled demo; only files inside the data dir are used. */
    private MediaRef local(URI uri) {
        Path path = Path.of(uri).toAbsolutePath().normalize();
        if (!path.startsWith(dataDir) || !Files.isRegularFile(path)) {
            throw new CrosspostException(CrosspostException.Kind.UNPROCESSABLE, "media_missing", "the image " + path.getFileName() + " is not in the data dir");
        }
        try (InputStream in = Files.newInputStream(path)) {
            byte[] head = in.readNBytes(16);
            return new MediaRef(uri.toString(), SafeFetcher.sniff(head, head.length), Files.size(path));
        } catch (IOException e) {
            throw new CrosspostException(CrosspostException.Kind.UNPROCESSABLE, "media_missing", "the image " + path.getFileName() + " cannot be read");
        }
    }
}
