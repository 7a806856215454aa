package dev.crosspost.system;

import dev.crosspost.CrosspostApplication;
import dev.crosspost.support.ExternalDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** With crosspost.database.url set, the app migrates and runs on that server instead of starting its own. */
@EnabledIfEnvironmentVariable(named = "CROSSPOST_TEST_PG_URL", matches = "jdbc:postgresql:.+")
class ExternalPostgresTests {

    @Test
    void runsOnTheConfiguredServer() throws Exception {
        String admin = System.getenv("CROSSPOST_TEST_PG_URL");
        String db = "crosspost_ext_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (var c = DriverManager.getConnection(admin); var s = c.createStatement()) {
            s.execute("CREATE DATABASE " + db);
        }
        String url = ExternalDatabases.withDatabase(admin, db);
        Path dir = Path.of("target", "test-data", "ext-" + db).toAbsolutePath();
        try (var context = new SpringApplicationBuilder(CrosspostApplication.class)
                .run("--crosspost.database.url=" + url, "--crosspost.data-dir=" + dir, "--server.port=0")) {
            JdbcClient jdbc = context.getBean(JdbcClient.class);
            assertThat(jdbc.sql("SELECT current_database()").query(String.class).single()).isEqualTo(db);
            assertThat(jdbc.sql("SELECT count(*) FROM flyway_schema_history WHERE success").query(Integer.class).single()).isGreaterThanOrEqualTo(3);
            assertThat(dir.resolve("postgres")).doesNotExist();
        } finally {
            try (var c = DriverManager.getConnection(admin); var s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
            }
        }
    }
}
