package dev.crosspost.identity.internal;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import org.springframework.util.unit.DataSize;

import java.time.Duration;
import java.util.List;

/**
 * Identity under {@code crosspost.identity.*}.
 *
 * @param demoPassword password of {@code demo@crosspost.local}, who exists only while the sandbox is enabled
 * @param createAdmin an email to create (or promote) as admin at start-up, with {@code createAdminPassword}
 * @param registration whether anyone may register; the first user of a database without the demo user is admin
 * @param accessTokenTtl lifetime of access JWTs
 * @param refreshTokenTtl lifetime of each refresh token (each use rotates it)
 * @param audience the {@code aud} access tokens carry and must carry
 * @param previousJwtSecrets older signing secrets whose tokens are still accepted (by their {@code kid})
 * @param secureCookies mark the session cookie {@code Secure} (on under {@code prod})
 * @param hsts send {@code Strict-Transport-Security} (on under {@code prod})
 * @param maxBody the largest non-multipart request body {@code /api/**} accepts
 */
@ConfigurationProperties("crosspost.identity")
public record IdentitySettings(
        @NotBlank @Size(min = 8, max = 72) @DefaultValue("crosspost-demo") String demoPassword,
        @Nullable @Email String createAdmin,
        @Nullable @Size(min = 12, max = 72, message = "must be 12 to 72 characters") String createAdminPassword,
        @DefaultValue("true") boolean registration,
        @NotNull @DurationMin(seconds = 30) @DurationMax(hours = 24) @DefaultValue("15m") Duration accessTokenTtl,
        @NotNull @DurationMin(minutes = 1) @DurationMax(days = 90) @DefaultValue("7d") Duration refreshTokenTtl,
        @NotBlank @DefaultValue("crosspost-api") String audience,
        @DefaultValue List<String> previousJwtSecrets,
        @Valid @DefaultValue Lockout lockout,
        @Valid @DefaultValue RateLimits rateLimits,
        @Valid @DefaultValue Cors cors,
        @DefaultValue("false") boolean secureCookies,
        @DefaultValue("false") boolean hsts,
        @NotNull @DefaultValue("1MB") DataSize maxBody) {

    /**
     * Brute-force protection per email: after {@code maxFailures} wrong passwords within {@code window}, sign-in
     * is refused for {@code lockFor}, even with the right password.
     */
    public record Lockout(@Min(1) @Max(100) @DefaultValue("5") int maxFailures,
                          @NotNull @DurationMin(seconds = 1) @DefaultValue("15m") Duration window,
                          @NotNull @DurationMin(seconds = 1) @DefaultValue("15m") Duration lockFor) {
    }

    /**
     * Request limits per caller (user when signed in, else client IP), by route class. A request is in the first
     * class (status for GET/HEAD only, then auth, ai, uploads) whose path patterns match, else in {@code general}.
     * Each field left out keeps the class's default (seed 004: 100 per 15 min general, 10/min AI, 5/min uploads;
     * 10/min sign-in attempts; 300/min status reads).
     */
    public record RateLimits(@DefaultValue("true") boolean enabled, @Valid @Nullable Limit general, @Valid @Nullable Limit ai,
                             @Valid @Nullable Limit uploads, @Valid @Nullable Limit auth, @Valid @Nullable Limit status) {

        static final Limit GENERAL = new Limit(100L, Duration.ofMinutes(15), List.of("/api/**", "/app/**"));
        static final Limit AI = new Limit(10L, Duration.ofMinutes(1), List.of("/api/v1/generat*/**", "/api/v1/captions/**", "/api/v1/ai/**"));
        static final Limit UPLOADS = new Limit(5L, Duration.ofMinutes(1), List.of("/api/v1/uploads/**", "/api/v1/assets/**", "/api/v1/media/**"));
        // only the endpoints that take a password or a refresh token: /auth/me is an ordinary read
        static final Limit AUTH = new Limit(10L, Duration.ofMinutes(1),
                List.of("/api/v1/auth/login", "/api/v1/auth/register", "/api/v1/auth/refresh", "/login"));
        // cheap reads clients repeat: a long job's status, polled as Retry-After tells them (every 2 s through a
        // 10-minute render is 300 reads), and assets, whose thumbnails a dashboard page shows by the dozen; each is a
        // primary-key lookup, so they get a bucket of their own instead of general's or the uploads' writes
        static final Limit STATUS = new Limit(300L, Duration.ofMinutes(1), List.of("/api/v1/render-jobs/*", "/api/v1/assets/**"));

        public RateLimits {
            general = Limit.orDefault(general, GENERAL);
            ai = Limit.orDefault(ai, AI);
            uploads = Limit.orDefault(uploads, UPLOADS);
            auth = Limit.orDefault(auth, AUTH);
            status = Limit.orDefault(status, STATUS);
        }

        @Override
        public Limit general() {
            return java.util.Objects.requireNonNull(general);
        }

        @Override
        public Limit ai() {
            return java.util.Objects.requireNonNull(ai);
        }

        @Override
        public Limit uploads() {
            return java.util.Objects.requireNonNull(uploads);
        }

        @Override
        public Limit auth() {
            return java.util.Objects.requireNonNull(auth);
        }

        @Override
        public Limit status() {
            return java.util.Objects.requireNonNull(status);
        }
    }

    /** {@code limit} requests per {@code period} (the whole window refills at once), for these path patterns. */
    public record Limit(@Nullable @Min(1) Long limit,
                        @Nullable @DurationMin(seconds = 1) @DurationMax(days = 1) Duration period,
                        @Nullable List<@Pattern(regexp = "/\\S*", message = "must be a path pattern starting with /") String> paths) {

        static Limit orDefault(@Nullable Limit given, Limit fallback) {
            if (given == null) {
                return fallback;
            }
            return new Limit(given.limit() != null ? given.limit() : fallback.limit(),
                    given.period() != null ? given.period() : fallback.period(),
                    given.paths() != null ? List.copyOf(given.paths()) : fallback.paths());
        }

        long max() {
            return java.util.Objects.requireNonNull(limit);
        }

        Duration window() {
            return java.util.Objects.requireNonNull(period);
        }

        List<String> patterns() {
            return java.util.Objects.requireNonNull(paths);
        }
    }

    /**
     * Cross-origin browser access to {@code /api/**}: exact origins ({@code https://app.example.com}) or one
     * wildcard for any subdomain depth ({@code https://*.example.com}).
     */
    public record Cors(@DefaultValue List<@Pattern(regexp = "https?://(\\*\\.)?[A-Za-z0-9.-]+(:\\d{1,5})?",
                               message = "must be scheme://host[:port] or scheme://*.domain[:port]") String> allowedOrigins,
                       @NotNull @DurationMin(seconds = 0) @DefaultValue("24h") Duration maxAge) {
    }

    @Override
    public String toString() {
        return "IdentitySettings[secrets hidden]";
    }
}
