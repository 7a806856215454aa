package dev.crosspost.dashboard.web;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.ZoneId;

/**
 * The dashboard under {@code crosspost.dashboard.*}.
 *
 * @param pageSize rows per page of the posts and dead-letter lists
 * @param calendarLimit the most posts one calendar view shows
 * @param defaultTimeZone the zone times are shown in until the browser has told its own
 */
@ConfigurationProperties("crosspost.dashboard")
record DashboardSettings(
        @Min(1) @Max(100) @DefaultValue("25") int pageSize,
        @Min(1) @Max(2000) @DefaultValue("500") int calendarLimit,
        @NotNull @DefaultValue("UTC") ZoneId defaultTimeZone) {
}
