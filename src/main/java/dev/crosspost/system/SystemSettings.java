package dev.crosspost.system;

import dev.crosspost.system.config.HttpsUrl;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.convert.DurationUnit;

import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;

/**
 * Process-wide settings under {@code crosspost.*}.
 *
 * @param dataDir where embedded PostgreSQL, stored media and temp files live; survives restarts
 * @param publicBaseUrl the externally reachable base URL, used for OAuth callbacks and webhook links
 * @param database which PostgreSQL to use
 * @param shutdown graceful shutdown limits
 * @param log log output format
 * @param requests how many HTTP requests run at once
 */
@ConfigurationProperties("crosspost")
public record SystemSettings(
        @NotNull @DefaultValue("./data") Path dataDir,
        @NotBlank @HttpsUrl(groups = ProdChecks.class) @DefaultValue("http://localhost:8080") String publicBaseUrl,
        @Valid @DefaultValue Database database,
        @Valid @DefaultValue Shutdown shutdown,
        @Valid @DefaultValue Log log,
        @Valid @DefaultValue Requests requests) {

    /**
     * Which PostgreSQL to use. With no {@code url}, an embedded PostgreSQL 18 runs under {@code data-dir/postgres}.
     *
     * @param url external server, e.g. {@code jdbc:postgresql://db:5432/crosspost}
     * @param poolSize Hikari connections; every node needs scheduler threads + request headroom
     * @param embeddedPort port of the embedded server; 0 picks a free one
     */
    public record Database(
            @Nullable @Pattern(regexp = "jdbc:postgresql://.+", message = "must be a jdbc:postgresql:// URL") String url,
            @Nullable String username,
            @Nullable String password,
            @Min(2) @Max(200) @DefaultValue("20") int poolSize,
            @Min(0) @Max(65535) @DefaultValue("0") int embeddedPort) {

        public boolean embedded() {
            return url == null || url.isBlank();
        }
    }

    /** How long the scheduler waits for running work when the process is asked to stop. */
    public record Shutdown(
            @NotNull @DurationMin(seconds = 0) @DurationMax(minutes = 10) @DurationUnit(ChronoUnit.SECONDS)
            @DefaultValue("30s") Duration grace) {
    }

    /** {@code json} (structured, one object per line) or {@code text} (for people at a terminal). */
    public record Log(@NotNull @Pattern(regexp = "json|text", message = "must be 'json' or 'text'") @DefaultValue("json") String format) {
    }

    /**
     * A bound on the HTTP requests the app works on at once; the rest wait their turn, in order. Without it every
     * waiting request holds its memory while the cores are busy, and a burst (or a GC pause) can tip the server into
     * collecting garbage more than it serves. Actuator endpoints (probes, metrics) and the sandbox's simulated platforms
     * are not counted.
     *
     * @param maxConcurrent requests running at once, per node; 0 means 8 per core
     * @param queueTimeout how long a request may wait for its turn before it is answered 503 with Retry-After
     */
    public record Requests(
            @Min(0) @Max(10_000) @DefaultValue("0") int maxConcurrent,
            @NotNull @DurationMin(millis = 1) @DurationMax(minutes = 5) @DefaultValue("10s") Duration queueTimeout) {

        /** The bound in force: the setting, or 8 per core (16 on 2 cores held 3,500 req/s where 32 and 64 held 3,000). */
        public int effectiveMaxConcurrent() {
            return maxConcurrent > 0 ? maxConcurrent : 8 * Runtime.getRuntime().availableProcessors();
        }
    }

    /** Validation group for rules that apply only under the {@code prod} profile. */
    public interface ProdChecks {
    }
}
