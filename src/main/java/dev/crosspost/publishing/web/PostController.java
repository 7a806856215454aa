package dev.crosspost.publishing.web;

import dev.crosspost.publishing.LocalSchedule;
import dev.crosspost.publishing.NewPost;
import dev.crosspost.system.Page;
import dev.crosspost.publishing.PostView;
import dev.crosspost.publishing.Posts;
import dev.crosspost.publishing.Priority;
import dev.crosspost.publishing.adapter.MediaCatalog;
import dev.crosspost.publishing.adapter.MediaRef;
import dev.crosspost.system.CrosspostException;
import dev.crosspost.system.Workspaces;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** {@code /api/v1/posts}: create a post for several accounts, list posts, read one with each platform's outcome. */
@RestController
@RequestMapping("/api/v1/posts")
class PostController {

    private final Posts posts;
    private final Workspaces workspaces;
    private final MediaCatalog media;
    private final Clock clock;

    PostController(Posts posts, Workspaces workspaces, MediaCatalog media, Clock clock) {
        this.posts = posts;
        this.workspaces = workspaces;
        this.media = media;
        this.clock = clock;
    }

    /** One target account; {@code account} defaults to the platform's sandbox account. */
    record TargetRequest(@NotBlank @Pattern(regexp = "[a-z0-9-]{1,32}", message = "must be a platform name like 'x'") String platform,
                         @Nullable @Size(max = 200) String account) {
    }

    /**
     * A post to create.
     *
     * @param publishAt local date-time in {@code timezone}, not in the past; omitted means now
     * @param timezone IANA zone, e.g. Europe/Berlin; required with publishAt
     * @param media ids of the workspace's assets ({@code POST /api/v1/assets}), sent to every target
     */
    record CreatePost(@NotBlank @Size(max = 10_000) String text,
                      @Nullable @Size(max = 4) List<@jakarta.validation.constraints.NotNull UUID> media,
                      @NotEmpty @Size(max = 50) List<@Valid TargetRequest> targets,
                      @Nullable LocalDateTime publishAt,
                      @Nullable @Size(max = 64) String timezone,
                      @Nullable Priority priority) {
    }

    /** A post just created, with what its targets' platforms will refuse (those publications fail; the others go out). */
    record Created(@JsonUnwrapped PostView post, List<Posts.Refusal> warnings) {
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Create a post and publish it to every target, now or at publishAt in timezone",
            description = "warnings lists each target whose platform will refuse the text or media (too long, no video, …): "
                    + "that publication fails with the same code and message, and the other targets still publish.")
    Created create(@Valid @RequestBody CreatePost body, HttpServletRequest request) {
        LocalSchedule schedule = null;
        if (body.publishAt() != null) {
            schedule = LocalSchedule.resolve(body.publishAt(), zone(body.timezone()));
            // a past time is most likely a typo (a year, a zone): publishing at once could not be undone
            if (schedule.passed(clock.instant())) {
                throw CrosspostException.invalid("publishAt", body.publishAt() + " in " + schedule.zone().getId()
                        + " is in the past; omit publishAt to publish now");
            }
        }
        List<NewPost.Target> targets = body.targets().stream()
                .map(t -> new NewPost.Target(t.platform(), t.account() == null || t.account().isBlank() ? "sandbox-" + t.platform() : t.account()))
                .toList();
        Priority priority = body.priority() != null ? body.priority() : schedule == null ? Priority.NOW : Priority.SCHEDULED;
        UUID workspace = workspaces.current(request);
        NewPost post = new NewPost(workspace, null, body.text(), media(workspace, body.media()), targets, schedule, priority);
        return new Created(posts.create(post), posts.check(post));
    }

    /** The named assets; another workspace's asset reads as missing, like everywhere else. */
    private List<MediaRef> media(UUID workspace, @Nullable List<UUID> ids) {
        List<MediaRef> refs = new ArrayList<>();
        for (int i = 0; ids != null && i < ids.size(); i++) {
            UUID id = ids.get(i);
            String field = "media[" + i + "]";
            refs.add(media.asset(workspace, id).orElseThrow(() -> new CrosspostException(CrosspostException.Kind.UNPROCESSABLE,
                    "media_missing", "asset " + id + " not found",
                    Map.of("errors", List.of(Map.of("field", field, "message", "asset " + id + " not found"))))));
        }
        return refs;
    }

    @GetMapping
    @Operation(summary = "List posts, newest first, with cursor paging")
    Page<PostView> list(@RequestParam(required = false) @Nullable String cursor,
                        @RequestParam(defaultValue = "20") @Min(1) @Max(100) int limit, HttpServletRequest request) {
        return posts.list(workspaces.current(request), cursor, limit);
    }

    @GetMapping("/{id}")
    @Operation(summary = "A post with each platform's state, next retry or quota slot, real error and link")
    PostView get(@PathVariable UUID id, HttpServletRequest request) {
        return posts.find(workspaces.current(request), id).orElseThrow(() -> CrosspostException.notFound("post", id));
    }

    /**
     * A new time for a scheduled post.
     *
     * @param publishAt local date-time in {@code timezone}, in the future
     * @param timezone IANA zone, e.g. Europe/Berlin
     */
    record Reschedule(@jakarta.validation.constraints.NotNull @Nullable LocalDateTime publishAt,
                      @NotBlank @Size(max = 64) @Nullable String timezone) {
    }

    @PatchMapping("/{id}")
    @Operation(summary = "Move a scheduled post to another time; only its scheduled publications move (409 when none is left)")
    PostView reschedule(@PathVariable UUID id, @Valid @RequestBody Reschedule body, HttpServletRequest request) {
        LocalDateTime at = java.util.Objects.requireNonNull(body.publishAt());
        return posts.reschedule(workspaces.current(request), id, LocalSchedule.resolve(at, zone(body.timezone())));
    }

    private static ZoneId zone(@Nullable String timezone) {
        if (timezone == null || timezone.isBlank()) {
            throw CrosspostException.invalid("timezone", "is required with publishAt");
        }
        try {
            return ZoneId.of(timezone);
        } catch (DateTimeException e) {
            throw CrosspostException.invalid("timezone", "'" + timezone + "' is not an IANA time zone like Europe/Berlin");
        }
    }
}
