package dev.crosspost.dashboard.web;

import dev.crosspost.accounts.AccountStatus;
import dev.crosspost.accounts.AccountView;
import dev.crosspost.accounts.Accounts;
import dev.crosspost.publishing.LocalSchedule;
import dev.crosspost.publishing.NewPost;
import dev.crosspost.publishing.PostView;
import dev.crosspost.publishing.Posts;
import dev.crosspost.publishing.PlatformsSettings;
import dev.crosspost.publishing.Priority;
import dev.crosspost.sandbox.SandboxSettings;
import dev.crosspost.system.Workspaces;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import java.time.Clock;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * {@code /app/posts/new}: write a post and pick where it goes (the workspace's connected accounts, and the sandbox
 * accounts while the sandbox runs), now or at a time in the viewer's zone. What a platform will refuse is said on
 * the post's page right away, and the other targets still publish.
 */
@Controller
class ComposePage {

    static final int MAX_TEXT = 10_000;

    private final Posts posts;
    private final Accounts accounts;
    private final PlatformsSettings platforms;
    private final SandboxSettings sandbox;
    private final Workspaces workspaces;
    private final Clock clock;

    ComposePage(Posts posts, Accounts accounts, PlatformsSettings platforms, SandboxSettings sandbox, Workspaces workspaces, Clock clock) {
        this.posts = posts;
        this.accounts = accounts;
        this.platforms = platforms;
        this.sandbox = sandbox;
        this.workspaces = workspaces;
        this.clock = clock;
    }

    /** One place a post can go: a platform and an account on it, as the form's checkbox value {@code platform|account}. */
    record Target(String platform, String accountId, String label) {
        public String value() {
            return platform + "|" + accountId;
        }
    }

    @GetMapping("/app/posts/new")
    String form(HttpServletRequest request, Model model) {
        return form(model, targets(workspaces.current(request)), "", List.of(), null);
    }

    @PostMapping("/app/posts/new")
    String create(@RequestParam(defaultValue = "") String text, @RequestParam(name = "target", required = false) @Nullable List<String> chosen,
                  @RequestParam(required = false) @Nullable @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) LocalDateTime publishAt,
                  @ModelAttribute(name = "viewer", binding = false) Viewer viewer, HttpServletRequest request, HttpServletResponse response,
                  Model model, RedirectAttributes redirect) {
        UUID workspace = workspaces.current(request);
        List<Target> offered = targets(workspace);
        List<String> picked = chosen == null ? List.of() : chosen.stream().distinct().toList();
        List<NewPost.Target> targets = new ArrayList<>();
        for (String value : picked) {
            // only what the form offered: an account id typed in by hand is not this workspace's to post to
            offered.stream().filter(t -> t.value().equals(value)).findFirst()
                    .ifPresent(t -> targets.add(new NewPost.Target(t.platform(), t.accountId())));
        }
        String problem = text.isBlank() ? "Write the post's text first."
                : text.length() > MAX_TEXT ? "The text is " + text.length() + " characters; a post takes at most " + MAX_TEXT + "."
                : picked.isEmpty() ? "Pick at least one account to publish to."
                : targets.size() != picked.size() ? "One of the picked accounts is not connected to this workspace; pick again."
                : null;
        LocalSchedule schedule = null;
        if (problem == null && publishAt != null) {
            schedule = LocalSchedule.resolve(publishAt, viewer.zone());
            if (schedule.passed(clock.instant())) {
                problem = publishAt + " in " + viewer.zone().getId() + " is in the past; leave the time empty to publish now.";
            }
        }
        if (problem != null) {
            response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
            model.addAttribute("alert", problem);
            return form(model, offered, text, picked, publishAt);
        }
        NewPost post = new NewPost(workspace, null, text, List.of(), targets, schedule, schedule == null ? Priority.NOW : Priority.SCHEDULED);
        PostView created = posts.create(post);
        List<Posts.Refusal> refusals = posts.check(post);
        redirect.addFlashAttribute("notice", schedule == null ? "Publishing now to " + targets.size() + " account(s)."
                : "Scheduled for " + viewer.time(schedule.instant()) + " (" + viewer.zone().getId() + ").");
        if (!refusals.isEmpty()) {
            redirect.addFlashAttribute("alert", String.join(" ", refusals.stream()
                    .map(r -> r.platform() + " will refuse it: " + r.message() + ".").toList()) + " The other accounts still get it.");
        }
        return "redirect:/app/posts/" + created.id();
    }

    private String form(Model model, List<Target> offered, String text, List<String> picked, @Nullable LocalDateTime publishAt) {
        model.addAttribute("targets", offered);
        model.addAttribute("text", text);
        model.addAttribute("picked", picked);
        model.addAttribute("publishAt", publishAt == null ? "" : publishAt.toString());
        model.addAttribute("maxText", MAX_TEXT);
        return "dashboard/compose";
    }

    /** Each platform's connected accounts; a platform without one gets its sandbox account while the sandbox runs. */
    private List<Target> targets(UUID workspace) {
        List<AccountView> connected = accounts.list(workspace).stream()
                .filter(a -> a.status().equals(AccountStatus.CONNECTED.wireName())).toList();
        List<Target> targets = new ArrayList<>();
        for (String platform : platforms.platforms().keySet().stream().sorted().toList()) {
            List<AccountView> own = connected.stream().filter(a -> a.platform().equals(platform)).toList();
            own.forEach(a -> targets.add(new Target(platform, a.id().toString(), platform + " · " + (a.handle() != null ? a.handle() : a.externalId()))));
            if (own.isEmpty() && sandbox.enabled()) {
                targets.add(new Target(platform, "sandbox-" + platform, platform + " · sandbox"));
            }
        }
        return targets;
    }
}
