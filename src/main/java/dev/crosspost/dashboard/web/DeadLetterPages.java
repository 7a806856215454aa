package dev.crosspost.dashboard.web;

import dev.crosspost.system.Page;
import dev.crosspost.publishing.PlatformsSettings;
import dev.crosspost.publishing.PublicationView;
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
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** {@code /app/dead-letters}: filter by platform and reason, inspect, replay one or many, discard. */
@Controller
@Validated
class DeadLetterPages {

    private static final String LIST = "/app/dead-letters";
    private final Publications publications;
    private final Workspaces workspaces;
    private final PlatformsSettings platforms;
    private final DashboardSettings settings;

    DeadLetterPages(Publications publications, Workspaces workspaces, PlatformsSettings platforms, DashboardSettings settings) {
        this.publications = publications;
        this.workspaces = workspaces;
        this.platforms = platforms;
        this.settings = settings;
    }

    @GetMapping(LIST)
    String list(@RequestParam(required = false) @Nullable @Size(max = 32) String platform,
                @RequestParam(required = false) @Nullable @Size(max = 100) String reason,
                @RequestParam(required = false) @Nullable @Size(max = 200) String cursor, HttpServletRequest request, Model model) {
        String chosen = platform == null || platform.isBlank() ? null : platform;
        if (chosen != null && !platforms.platforms().containsKey(chosen)) {
            throw new CrosspostException(CrosspostException.Kind.INVALID, "unknown_platform", "platform: '" + chosen + "' is not configured");
        }
        Page<PublicationView> page = publications.deadLetters(workspaces.current(request), chosen, reason, cursor, settings.pageSize());
        model.addAttribute("letters", page.data());
        model.addAttribute("next", page.nextCursor());
        model.addAttribute("platforms", platforms.platforms().keySet().stream().sorted().toList());
        model.addAttribute("platform", chosen);
        model.addAttribute("reason", reason == null ? "" : reason);
        model.addAttribute("filtered", chosen != null || (reason != null && !reason.isBlank()));
        return "dashboard/dead-letters";
    }

    @PostMapping(LIST + "/{id}/replay")
    String replay(@PathVariable UUID id, @RequestParam(required = false) @Nullable String back, HttpServletRequest request,
                  RedirectAttributes redirect) {
        PublicationView replayed = publications.replay(workspaces.current(request), id);
        redirect.addFlashAttribute("notice", "Replaying the " + replayed.platform() + " publication with the same idempotency key.");
        return Redirects.back(back, LIST);
    }

    @PostMapping(LIST + "/{id}/discard")
    String discard(@PathVariable UUID id, @RequestParam(required = false) @Nullable String back, HttpServletRequest request,
                   RedirectAttributes redirect) {
        PublicationView discarded = publications.discard(workspaces.current(request), id);
        redirect.addFlashAttribute("notice", "Discarded the " + discarded.platform() + " publication; it will not be sent.");
        return Redirects.back(back, LIST);
    }

    @PostMapping(LIST + "/replay")
    String replayMany(@RequestParam(name = "ids", required = false) @Nullable @Size(max = 500) List<UUID> ids, HttpServletRequest request,
                      RedirectAttributes redirect) {
        if (ids == null || ids.isEmpty()) {
            redirect.addFlashAttribute("alert", "Select the dead letters to replay first.");
            return "redirect:" + LIST;
        }
        UUID ws = workspaces.current(request);
        List<String> refused = new ArrayList<>();
        int replayed = 0;
        for (UUID id : ids) {
            try {
                publications.replay(ws, id);
                replayed++;
            } catch (CrosspostException e) {
                // one that was replayed or discarded meanwhile must not stop the others
                refused.add(e.getMessage());
            }
        }
        redirect.addFlashAttribute("notice", "Replaying " + replayed + " publication(s).");
        if (!refused.isEmpty()) {
            redirect.addFlashAttribute("alert", refused.size() + " could not be replayed: " + String.join("; ", refused));
        }
        return "redirect:" + LIST;
    }
}
