package dev.crosspost.publishing;

import dev.crosspost.CrosspostApplication;
import dev.crosspost.sandbox.SandboxRecords;
import dev.crosspost.support.ExternalDatabases;
import dev.crosspost.system.Workspaces;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Two nodes on one external PostgreSQL share the publications: both work, nothing is published twice. */
@EnabledIfEnvironmentVariable(named = "CROSSPOST_TEST_PG_URL", matches = "jdbc:postgresql:.+")
class MultiNodeTests {

    // generic-protocol platforms: their simulator counts duplicates by the idempotency key each post carries
    private static final List<String> PLATFORMS = List.of("acme", "globex", "initech");

    @Test
    void twoNodesShareTheWorkWithoutDuplicates() throws Exception {
        String admin = System.getenv("CROSSPOST_TEST_PG_URL");
        String db = "crosspost_nodes_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (var c = DriverManager.getConnection(admin); var s = c.createStatement()) {
            s.execute("CREATE DATABASE " + db);
        }
        String url = ExternalDatabases.withDatabase(admin, db);
        try (ConfigurableApplicationContext a = node(url, "node-a", List.of());
             ConfigurableApplicationContext b = node(url, "node-b", baseUrls(a))) {
            Posts posts = a.getBean(Posts.class);
            List<UUID> created = new ArrayList<>();
            for (int i = 0; i < 150; i++) {
                var targets = PLATFORMS.stream().map(p -> new NewPost.Target(p, "acct-" + p)).toList();
                created.add(posts.create(new NewPost(Workspaces.SANDBOX, null, "multi-node post " + i, List.of(), targets, null, Priority.NOW)).id());
            }
            JdbcClient jdbc = a.getBean(JdbcClient.class);
            try {
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() ->
                        jdbc.sql("SELECT count(*) FROM publications WHERE state = 'PUBLISHED'").query(Long.class).single() == 450L);
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                throw new AssertionError("not all published; states: " + jdbc.sql("""
                        SELECT state || ' ' || platform || ' ' || coalesce(waiting_reason, error_message, '') || ' x' || count(*)
                        FROM publications GROUP BY state, platform, waiting_reason, error_message""").query(String.class).list(), e);
            }

            SandboxRecords records = a.getBean(SandboxRecords.class);
            for (String p : PLATFORMS) {
                assertThat(records.duplicates(p)).as(p).isZero();
                assertThat(records.accepted(p)).as(p).hasSize(150);
            }
            assertThat(published(a)).as("node a published").isPositive();
            assertThat(published(b)).as("node b published").isPositive();
            assertThat(published(a) + published(b)).isEqualTo(450);
        } finally {
            try (var c = DriverManager.getConnection(admin); var s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
            }
        }
    }

    private static ConfigurableApplicationContext node(String url, String name, List<String> extra) {
        List<String> args = new ArrayList<>(List.of("--crosspost.database.url=" + url, "--server.port=0",
                "--crosspost.data-dir=" + Path.of("target", "test-data", name + "-" + UUID.randomUUID()).toAbsolutePath(),
                "--db-scheduler.scheduler-name=" + name, "--db-scheduler.polling-interval=100ms",
                "--spring.jmx.enabled=false", "--management.endpoints.jmx.exposure.exclude=*"));
        PLATFORMS.forEach(p -> args.add("--crosspost.platforms." + p + ".quota.limit=100000"));
        args.addAll(extra);
        return new SpringApplicationBuilder(CrosspostApplication.class).run(args.toArray(String[]::new));
    }

    /** Node b publishes to node a's simulators, so one set of records sees both nodes' posts. */
    private static List<String> baseUrls(ConfigurableApplicationContext a) {
        String port = a.getEnvironment().getProperty("local.server.port");
        return PLATFORMS.stream().map(p -> "--crosspost.platforms." + p + ".base-url=http://127.0.0.1:" + port + "/sandbox/platforms/" + p).toList();
    }

    private static long published(ConfigurableApplicationContext node) {
        MeterRegistry meters = node.getBean(MeterRegistry.class);
        return (long) Stream.of(meters.find("crosspost_publication_transitions_total").tag("to", "published").counters())
                .flatMap(java.util.Collection::stream).mapToDouble(c -> c.count()).sum();
    }
}
