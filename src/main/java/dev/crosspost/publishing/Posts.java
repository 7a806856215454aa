package dev.crosspost.publishing;

import dev.crosspost.system.Page;
import dev.crosspost.publishing.adapter.MediaRef;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Creating and reading posts; the entry point other modules (intake, dashboard) use. */
public interface Posts {

    /** Stores the post, one publication per target, and each publication's job, in one transaction. */
    PostView create(NewPost post);

    /**
     * What each target's platform would refuse about the post before any call (its text, its media), in the words its
     * publication will fail with; nothing is stored or sent. Such a post is still created: its other targets go out.
     */
    List<Refusal> check(NewPost post);

    /** A target's platform refusing the post's text or media. */
    record Refusal(String platform, String accountId, String code, String message) {
    }

    Optional<PostView> find(UUID workspaceId, UUID postId);

    /** The post's media and each target's own (a per-platform rendition), by platform; empty for another workspace's post. */
    PostMedia media(UUID workspaceId, UUID postId);

    /** @param byPlatform only the targets that carry media of their own */
    record PostMedia(List<MediaRef> post, Map<String, List<MediaRef>> byPlatform) {
    }

    Page<PostView> list(UUID workspaceId, @org.jspecify.annotations.Nullable String cursor, int limit);

    /** Posts with a publish time in {@code [from, to)}, earliest first, at most {@code limit}. */
    List<PostView> scheduledBetween(UUID workspaceId, Instant from, Instant to, int limit);

    /**
     * Moves a post to another time. Only its {@code scheduled} publications move (with their jobs, in one
     * transaction); a post with none left scheduled is a conflict, a time not in the future is invalid.
     */
    PostView reschedule(UUID workspaceId, UUID postId, LocalSchedule schedule);
}
