package dev.crosspost.dashboard.web;

import dev.crosspost.trends.TrendKind;
import dev.crosspost.trends.TrendWindow;
import dev.crosspost.trends.Trends;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

import java.util.Arrays;

/** {@code /app/trends}: "Trending on Bluesky", the top tags and terms of one window, and the collector's state. */
@Controller
class TrendsPage {

    private static final int SHOWN = 20;
    private final Trends trends;

    TrendsPage(Trends trends) {
        this.trends = trends;
    }

    @GetMapping("/app/trends")
    String trends(@RequestParam(defaultValue = "1h") String window, Model model) {
        TrendWindow w = TrendWindow.of(window).orElse(TrendWindow.H1);
        model.addAttribute("window", w.label());
        model.addAttribute("windows", Arrays.stream(TrendWindow.values()).map(TrendWindow::label).toList());
        model.addAttribute("tags", trends.top(w, TrendKind.TAGS, SHOWN));
        model.addAttribute("terms", trends.top(w, TrendKind.TERMS, SHOWN));
        model.addAttribute("collector", trends.status());
        return "dashboard/trends";
    }
}
