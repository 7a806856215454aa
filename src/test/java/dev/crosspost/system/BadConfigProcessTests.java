package dev.crosspost.system;

import dev.crosspost.support.AppProcess;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** A bad configuration stops the real process with a non-zero exit and one message naming every property. */
class BadConfigProcessTests {

    private static Path dataDir() {
        return Path.of("target", "test-data", "badconfig-" + UUID.randomUUID()).toAbsolutePath();
    }

    @Test
    void invalidValuesStopStartupNamingEveryProperty() throws Exception {
        Path dir = dataDir();
        try (AppProcess app = AppProcess.start(dir.resolve("app.log"), "--crosspost.data-dir=" + dir,
                "--crosspost.log.format=xml", "--crosspost.database.pool-size=0", "--crosspost.shutdown.grace=forever")) {
            int exit = app.waitForExit(Duration.ofSeconds(90));
            String out = app.output();
            assertThat(exit).as(out).isNotZero();
            assertThat(out).contains("Crosspost refused to start: 3 invalid setting(s)",
                    "crosspost.log.format", "crosspost.database.pool-size", "crosspost.shutdown.grace");
            assertThat(AppProcess.postgresProcessesFor(dir)).isEmpty();
        }
    }

    @Test
    void prodRefusesWeakSecrets() throws Exception {
        Path dir = dataDir();
        try (AppProcess app = AppProcess.start(dir.resolve("app.log"), "--crosspost.data-dir=" + dir,
                "--spring.profiles.active=prod", "--crosspost.security.jwt-secret=changeme",
                "--crosspost.public-base-url=http://crosspost.example.com")) {
            int exit = app.waitForExit(Duration.ofSeconds(90));
            String out = app.output();
            assertThat(exit).as(out).isNotZero();
            assertThat(out).contains("crosspost.security.jwt-secret", "crosspost.security.encryption-key", "crosspost.public-base-url");
            assertThat(out).doesNotContain("=changeme", "'changeme'");
        }
    }
}
