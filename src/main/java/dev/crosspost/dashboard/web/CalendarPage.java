package dev.crosspost.dashboard.web;

import dev.crosspost.publishing.LocalSchedule;
import dev.crosspost.publishing.PostView;
import dev.crosspost.publishing.Posts;
import dev.crosspost.system.CrosspostException;
import dev.crosspost.system.Workspaces;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.constraints.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * {@code /app/calendar}: posts by their publish time, a day or a week (Monday first) at a time, in the viewer's
 * zone; each still-scheduled post has a Reschedule form.
 */
@Controller
@Validated
class CalendarPage {

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("EEEE d MMMM", Locale.ENGLISH);
    private final Posts posts;
    private final Workspaces workspaces;
    private final DashboardSettings settings;

    CalendarPage(Posts posts, Workspaces workspaces, DashboardSettings settings) {
        this.posts = posts;
        this.workspaces = workspaces;
        this.settings = settings;
    }

    /** One day of the calendar with its posts in time order. */
    public record Day(LocalDate date, String label, boolean today, List<PostCard> posts) {
    }

    @GetMapping("/app/calendar")
    String calendar(@RequestParam(defaultValue = "week") @Pattern(regexp = "day|week", message = "must be day or week") String view,
                    @RequestParam(required = false) @Nullable @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate date,
                    @ModelAttribute(name = "viewer", binding = false) Viewer viewer, HttpServletRequest request, Model model) {
        LocalDate today = viewer.date(viewer.now());
        LocalDate shown = date != null ? date : today;
        LocalDate first = view.equals("day") ? shown : shown.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
        int days = view.equals("day") ? 1 : 7;
        Map<LocalDate, List<PostCard>> byDay = new LinkedHashMap<>();
        for (int i = 0; i < days; i++) {
            byDay.put(first.plusDays(i), new ArrayList<>());
        }
        List<PostView> found = posts.scheduledBetween(workspaces.current(request), first.atStartOfDay(viewer.zone()).toInstant(),
                first.plusDays(days).atStartOfDay(viewer.zone()).toInstant(), settings.calendarLimit());
        found.forEach(p -> byDay.get(viewer.date(java.util.Objects.requireNonNull(p.publishAt()))).add(PostCard.of(p)));
        model.addAttribute("view", view);
        model.addAttribute("days", byDay.entrySet().stream()
                .map(e -> new Day(e.getKey(), DAY.format(e.getKey()), e.getKey().equals(today), e.getValue())).toList());
        model.addAttribute("count", found.size());
        model.addAttribute("truncated", found.size() >= settings.calendarLimit());
        model.addAttribute("previous", first.minusDays(days));
        model.addAttribute("next", first.plusDays(days));
        model.addAttribute("date", shown);
        model.addAttribute("heading", view.equals("day") ? DAY.format(first) : "Week of " + DAY.format(first));
        return "dashboard/calendar";
    }

    @PostMapping("/app/calendar/reschedule")
    String reschedule(@RequestParam UUID postId,
                      @RequestParam @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) LocalDateTime publishAt,
                      @RequestParam(defaultValue = "week") @Pattern(regexp = "day|week", message = "must be day or week") String view,
                      @ModelAttribute(name = "viewer", binding = false) Viewer viewer, HttpServletRequest request, RedirectAttributes redirect) {
        try {
            PostView moved = posts.reschedule(workspaces.current(request), postId, LocalSchedule.resolve(publishAt, viewer.zone()));
            redirect.addFlashAttribute("notice", "Moved to " + viewer.time(moved.publishAt()) + " (" + viewer.zone().getId() + ").");
        } catch (CrosspostException e) {
            if (e.kind() == CrosspostException.Kind.NOT_FOUND) {
                throw e;
            }
            redirect.addFlashAttribute("alert", "Could not move the post: " + e.getMessage());
            return "redirect:/app/calendar?view=" + view;
        }
        return "redirect:/app/calendar?view=" + view + "&date=" + publishAt.toLocalDate();
    }
}
