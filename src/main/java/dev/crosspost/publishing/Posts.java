package dev.crosspost.publishing;

import java.util.Optional;
import java.util.UUID;

/** Creating and reading posts; the entry point other modules (intake, dashboard) use. */
public interface Posts {

    /** Stores the post, one publication per target, and each publication's job, in one transaction. */
    PostView create(NewPost post);

    Optional<PostView> find(UUID workspaceId, UUID postId);

    Page<PostView> list(UUID workspaceId, @org.jspecify.annotations.Nullable String cursor, int limit);
}
