package dev.crosspost.publishing.web;

import dev.crosspost.system.Page;
import dev.crosspost.publishing.PublicationView;
import dev.crosspost.publishing.Publications;
import dev.crosspost.system.CrosspostException;
import dev.crosspost.system.Workspaces;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@code /api/v1/publications} (one with its history; counts per state) and {@code /api/v1/dead-letters}
 * (list, inspect, replay one or many, discard).
 */
@RestController
class PublicationController {

    private final Publications publications;
    private final Workspaces workspaces;

    PublicationController(Publications publications, Workspaces workspaces) {
        this.publications = publications;
        this.workspaces = workspaces;
    }

    @GetMapping("/api/v1/publications/{id}")
    @Operation(summary = "A publication with its attempt history")
    Publications.Detail get(@PathVariable UUID id, HttpServletRequest request) {
        return publications.find(workspaces.current(request), id).orElseThrow(() -> CrosspostException.notFound("publication", id));
    }

    @GetMapping("/api/v1/publications/stats")
    @Operation(summary = "How many publications are in each state")
    Map<String, Long> stats(HttpServletRequest request) {
        return publications.stateCounts(workspaces.current(request));
    }

    @GetMapping("/api/v1/dead-letters")
    @Operation(summary = "Dead letters, newest first; filter by platform and by words of the dead reason")
    Page<PublicationView> deadLetters(@RequestParam(required = false) @Nullable String platform,
                                      @RequestParam(required = false) @Nullable @Size(max = 100) String reason,
                                      @RequestParam(required = false) @Nullable String cursor,
                                      @RequestParam(defaultValue = "20") @Min(1) @Max(100) int limit, HttpServletRequest request) {
        return publications.deadLetters(workspaces.current(request), platform, reason, cursor, limit);
    }

    @GetMapping("/api/v1/dead-letters/{id}")
    @Operation(summary = "One dead letter with its history")
    Publications.Detail deadLetter(@PathVariable UUID id, HttpServletRequest request) {
        Publications.Detail detail = get(id, request);
        if (!"dead".equals(detail.publication().state())) {
            throw CrosspostException.notFound("dead letter", id);
        }
        return detail;
    }

    @PostMapping("/api/v1/dead-letters/{id}/replay")
    @Operation(summary = "Replay one dead letter with the same idempotency key")
    PublicationView replay(@PathVariable UUID id, HttpServletRequest request) {
        return publications.replay(workspaces.current(request), id);
    }

    /** Ids to replay together. */
    record ReplayMany(@NotEmpty @Size(max = 500) List<UUID> ids) {
    }

    @PostMapping("/api/v1/dead-letters/replay")
    @Operation(summary = "Replay many dead letters, all or none")
    List<PublicationView> replayMany(@org.springframework.validation.annotation.Validated @RequestBody ReplayMany body, HttpServletRequest request) {
        return publications.replayAll(workspaces.current(request), body.ids());
    }

    @DeleteMapping("/api/v1/dead-letters/{id}")
    @Operation(summary = "Discard a dead letter")
    PublicationView discard(@PathVariable UUID id, HttpServletRequest request) {
        return publications.discard(workspaces.current(request), id);
    }
}
