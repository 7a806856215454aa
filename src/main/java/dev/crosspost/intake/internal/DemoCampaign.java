package dev.crosspost.intake.internal;

import dev.crosspost.sandbox.SandboxSettings;
import dev.crosspost.system.Workspaces;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * On the first start with the sandbox on (no campaign exists yet), imports the bundled {@code demo/products.csv}
 * as a running campaign of the sandbox workspace, so a fresh {@code ./mvnw spring-boot:run} shows the whole
 * pipeline. Its {@code cdn.example.com} media are served by the sandbox; its publish times are dropped so every row
 * goes out right away. Never under prod.
 */
@Component
class DemoCampaign {

    private static final Logger log = LoggerFactory.getLogger(DemoCampaign.class);
    /** The publish_at and timezone cells of a scheduled row. */
    private static final Pattern SCHEDULE = Pattern.compile(",\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2},[A-Za-z_/]*,");

    private final ContentIntake intake;
    private final IntakeStore store;
    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final boolean enabled;

    DemoCampaign(ContentIntake intake, IntakeStore store, JdbcClient jdbc, TransactionTemplate tx, IntakeSettings settings,
                 SandboxSettings sandbox, Environment environment) {
        this.intake = intake;
        this.store = store;
        this.jdbc = jdbc;
        this.tx = tx;
        this.enabled = settings.demo().enabled() && sandbox.enabled() && !environment.matchesProfiles("prod");
    }

    @EventListener(ApplicationReadyEvent.class)
    void importOnFirstStart() throws IOException {
        if (!enabled) {
            return;
        }
        String csv = SCHEDULE.matcher(new ClassPathResource("demo/products.csv").getContentAsString(StandardCharsets.UTF_8)).replaceAll(",,,");
        tx.executeWithoutResult(s -> {
            // nodes starting together on one database import it once
            jdbc.sql("SELECT pg_advisory_xact_lock(hashtextextended('intake-demo-campaign', 0))").query().singleValue();
            if (store.anyCampaign()) {
                return;
            }
            UUID campaign = intake.createCampaign(Workspaces.SANDBOX, "Demo: products.csv", null).id();
            var imported = intake.importCsv(Workspaces.SANDBOX, campaign, new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)),
                    null, "csv");
            intake.start(Workspaces.SANDBOX, campaign);
            log.info("Imported the demo campaign {}: {} rows accepted, {} rejected", campaign, imported.report().rowsAccepted(),
                    imported.report().rowsRejected());
        });
    }
}
