package dev.crosspost.dashboard.web;

import dev.crosspost.publishing.Publications;
import dev.crosspost.system.Workspaces;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.health.actuate.endpoint.CompositeHealthDescriptor;
import org.springframework.boot.health.actuate.endpoint.HealthDescriptor;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.actuate.endpoint.IndicatedHealthDescriptor;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code /app/system}: health components, publications per state, breakers, and quota use per platform. */
@Controller
class SystemPage {

    /** States in which publications wait to be worked on: together, the queue's depth. */
    private static final Set<String> QUEUED = Set.of("queued", "retry_wait", "waiting_quota", "waiting_breaker", "reconciling",
            "outcome_unknown", "needs_reconnect");
    private final Publications publications;
    private final Workspaces workspaces;
    private final ObjectProvider<HealthEndpoint> health;

    SystemPage(Publications publications, Workspaces workspaces, ObjectProvider<HealthEndpoint> health) {
        this.publications = publications;
        this.workspaces = workspaces;
        this.health = health;
    }

    /** One health component; nested ones are named {@code parent/child}. */
    public record Component(String name, String status, Map<String, Object> details) {
        public boolean up() {
            return status.equals("UP");
        }
    }

    /** One state's count, with its share of all publications for the bar. */
    public record StateCount(String state, long count, long total) {
    }

    @GetMapping("/app/system")
    String system(HttpServletRequest request, Model model) {
        var ws = workspaces.current(request);
        HealthEndpoint endpoint = health.getIfAvailable();
        HealthDescriptor root = endpoint == null ? null : endpoint.health();
        List<Component> components = new ArrayList<>();
        if (root instanceof CompositeHealthDescriptor composite) {
            composite.getComponents().forEach((name, d) -> flatten(name, d, components));
        }
        Map<String, Long> counts = publications.stateCounts(ws);
        long total = counts.values().stream().mapToLong(Long::longValue).sum();
        model.addAttribute("status", root == null ? "UNKNOWN" : root.getStatus().getCode());
        model.addAttribute("components", components);
        model.addAttribute("states", counts.entrySet().stream().map(e -> new StateCount(e.getKey(), e.getValue(), total)).toList());
        model.addAttribute("total", total);
        model.addAttribute("queued", counts.entrySet().stream().filter(e -> QUEUED.contains(e.getKey())).mapToLong(Map.Entry::getValue).sum());
        model.addAttribute("platforms", publications.platformStatus(ws));
        return "dashboard/system";
    }

    private static void flatten(String name, HealthDescriptor descriptor, List<Component> into) {
        switch (descriptor) {
            case CompositeHealthDescriptor composite -> {
                into.add(new Component(name, composite.getStatus().getCode(), Map.of()));
                composite.getComponents().forEach((child, d) -> flatten(name + "/" + child, d, into));
            }
            case IndicatedHealthDescriptor indicated -> into.add(new Component(name, indicated.getStatus().getCode(),
                    indicated.getDetails() == null ? Map.of() : indicated.getDetails()));
            default -> into.add(new Component(name, descriptor.getStatus().getCode(), Map.of()));
        }
    }
}
