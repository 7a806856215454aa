package dev.crosspost.dashboard.web;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.Optional;

/**
 * Finds the viewer's time zone: {@code ?tz=} wins (and is remembered in the {@code tz} cookie), then the cookie the
 * page script sets from the browser's {@code Intl} zone, then {@code crosspost.dashboard.default-time-zone}.
 */
@Component
class ViewerResolver {

    static final String COOKIE = "tz";
    private final DashboardSettings settings;
    private final Clock clock;

    ViewerResolver(DashboardSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    Viewer resolve(HttpServletRequest request, HttpServletResponse response) {
        Optional<ZoneId> param = zone(request.getParameter(COOKIE));
        param.ifPresent(zone -> {
            Cookie cookie = new Cookie(COOKIE, zone.getId());
            cookie.setPath("/");
            cookie.setMaxAge(365 * 24 * 3600);
            cookie.setAttribute("SameSite", "Lax");
            response.addCookie(cookie);
        });
        ZoneId zone = param.or(() -> zone(cookie(request))).orElse(settings.defaultTimeZone());
        return new Viewer(zone, clock.instant());
    }

    private static @Nullable String cookie(HttpServletRequest request) {
        Cookie[] cookies = request.getCookies();
        return cookies == null ? null : Arrays.stream(cookies).filter(c -> COOKIE.equals(c.getName())).map(Cookie::getValue)
                .findFirst().orElse(null);
    }

    /** Only region ids (Europe/Berlin) and UTC: whatever else arrives is ignored, not echoed. */
    private static Optional<ZoneId> zone(@Nullable String raw) {
        if (raw == null || raw.length() > 64 || !raw.matches("[A-Za-z0-9_+\\-/]+")) {
            return Optional.empty();
        }
        try {
            return Optional.of(ZoneId.of(raw));
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }
}
