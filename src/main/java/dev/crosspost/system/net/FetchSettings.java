package dev.crosspost.system.net;

import dev.crosspost.system.SystemSettings;
import jakarta.validation.constraints.AssertFalse;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

import java.time.Duration;

/**
 * Remote URL fetching under {@code crosspost.fetch.*}.
 *
 * @param allowLoopback let fetches reach loopback addresses (127.0.0.0/8, ::1, {@code localhost}), for local
 *                      development against files served on this machine; refused under {@code prod}. Private,
 *                      link-local, CGNAT, unique-local and metadata addresses stay refused either way.
 * @param maxSize the largest body fetched; a longer one is aborted
 * @param timeout the most one whole fetch may take, redirects and body included
 * @param connectTimeout the most connecting to one host may take
 * @param maxRedirects redirects followed, each checked like the first URL
 */
@ConfigurationProperties("crosspost.fetch")
public record FetchSettings(
        @AssertFalse(groups = SystemSettings.ProdChecks.class, message = "must be false under prod") @DefaultValue("false") boolean allowLoopback,
        @NotNull @DefaultValue("100MB") DataSize maxSize,
        @NotNull @DurationMin(seconds = 1) @DurationMax(minutes = 30) @DefaultValue("60s") Duration timeout,
        @NotNull @DurationMin(millis = 100) @DurationMax(minutes = 1) @DefaultValue("5s") Duration connectTimeout,
        @Min(0) @Max(10) @DefaultValue("3") int maxRedirects) {
}
