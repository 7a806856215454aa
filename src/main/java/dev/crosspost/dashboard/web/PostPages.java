package dev.crosspost.dashboard.web;

import dev.crosspost.media.Assets;
import dev.crosspost.system.Page;
import dev.crosspost.publishing.PostMetrics;
import dev.crosspost.publishing.PostView;
import dev.crosspost.publishing.Posts;
import dev.crosspost.publishing.Publications;
import dev.crosspost.system.CrosspostException;
import dev.crosspost.system.Workspaces;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;

import java.util.UUID;

/** {@code /app/posts}: every post with its per-platform standing; one post live; one publication's history. */
@Controller
@Validated
class PostPages {

    private final Posts posts;
    private final Assets assets;
    private final Publications publications;
    private final Workspaces workspaces;
    private final DashboardSettings settings;
    private final PostMetrics metrics;

    PostPages(Posts posts, Publications publications, Assets assets, Workspaces workspaces, DashboardSettings settings, PostMetrics metrics) {
        this.posts = posts;
        this.metrics = metrics;
        this.assets = assets;
        this.publications = publications;
        this.workspaces = workspaces;
        this.settings = settings;
    }

    /** The site's root is the dashboard (signing in first, like every page of it). */
    @GetMapping("/")
    String root() {
        return "redirect:/app";
    }

    @GetMapping({"/app", "/app/"})
    String home() {
        return "redirect:/app/posts";
    }

    /** A dashboard address that names no page (a typo, an old bookmark): the dashboard's own 404, not problem+json. */
    @GetMapping("/app/**")
    String unknown(HttpServletRequest request) {
        throw new CrosspostException(CrosspostException.Kind.NOT_FOUND, "not_found",
                "there is no dashboard page at " + DashboardAdvice.shorten(request.getRequestURI(), 100));
    }

    @GetMapping("/app/posts")
    String list(@RequestParam(required = false) @Nullable @Size(max = 200) String cursor, HttpServletRequest request, Model model) {
        Page<PostView> page = posts.list(workspaces.current(request), cursor, settings.pageSize());
        model.addAttribute("posts", page.data().stream().map(PostCard::of).toList());
        model.addAttribute("next", page.nextCursor());
        model.addAttribute("paged", cursor != null);
        return "dashboard/posts";
    }

    @GetMapping("/app/posts/{id}")
    String post(@PathVariable UUID id, HttpServletRequest request, Model model) {
        UUID workspace = workspaces.current(request);
        model.addAttribute("card", PostCard.of(find(id, request)));
        model.addAttribute("media", MediaCard.of(workspace, posts.media(workspace, id), assets));
        // the page shows publications' states already: the metrics table lists only what the sync follows
        model.addAttribute("metrics", metrics.forPost(workspace, id).orElse(java.util.List.of()).stream()
                .filter(m -> m.publishedAt() != null).toList());
        return "dashboard/post";
    }

    /** The publications part of the post page, re-fetched whenever the post's event stream reports a change. */
    @GetMapping("/app/posts/{id}/publications")
    String publications(@PathVariable UUID id, HttpServletRequest request, Model model) {
        model.addAttribute("card", PostCard.of(find(id, request)));
        return "dashboard/post :: publications";
    }

    @GetMapping("/app/publications/{id}")
    String publication(@PathVariable UUID id, HttpServletRequest request, Model model) {
        Publications.Detail detail = publications.find(workspaces.current(request), id)
                .orElseThrow(() -> CrosspostException.notFound("publication", id));
        model.addAttribute("detail", detail);
        return "dashboard/publication";
    }

    private PostView find(UUID id, HttpServletRequest request) {
        return posts.find(workspaces.current(request), id).orElseThrow(() -> CrosspostException.notFound("post", id));
    }
}
