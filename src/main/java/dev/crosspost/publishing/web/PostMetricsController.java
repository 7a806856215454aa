package dev.crosspost.publishing.web;

import dev.crosspost.publishing.PostMetrics;
import dev.crosspost.system.CrosspostException;
import dev.crosspost.system.Workspaces;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.UUID;

/** {@code /api/v1/posts/{id}/metrics}: each platform's synced engagement of a post, latest and over time. */
@RestController
@RequestMapping("/api/v1/posts")
class PostMetricsController {

    private final PostMetrics metrics;
    private final Workspaces workspaces;

    PostMetricsController(PostMetrics metrics, Workspaces workspaces) {
        this.metrics = metrics;
        this.workspaces = workspaces;
    }

    /** A post's metrics: one entry per published publication. */
    record PostMetricsView(UUID postId, List<PostMetrics.PublicationMetrics> publications) {
    }

    @GetMapping("/{id}/metrics")
    @Operation(summary = "A post's metrics per platform: latest counts, the series of syncs, next sync and last error")
    PostMetricsView get(@PathVariable UUID id, HttpServletRequest request) {
        return new PostMetricsView(id, metrics.forPost(workspaces.current(request), id)
                .orElseThrow(() -> CrosspostException.notFound("post", id)));
    }
}
