package dev.crosspost.system;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Profile;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * Test-only endpoints and a slow task, active under the {@code drill} profile: they give the error and shutdown
 * tests something real to call. The slow parts wait inside PostgreSQL (pg_sleep), like real slow work would.
 */
@Profile("drill")
@RestController
class DrillEndpoints {

    private static final Logger log = LoggerFactory.getLogger(DrillEndpoints.class);
    private final JdbcClient jdbc;
    private final SchedulerClient scheduler;
    private final OneTimeTask<Void> slowTask;

    DrillEndpoints(JdbcClient jdbc, SchedulerClient scheduler, OneTimeTask<Void> drillSlowTask) {
        this.jdbc = jdbc;
        this.scheduler = scheduler;
        this.slowTask = drillSlowTask;
    }

    record Signup(@NotBlank String name, @Email @NotBlank String email, @Min(1) int seats) {
    }

    @PostMapping("/drill/echo")
    Map<String, Object> echo(@Valid @RequestBody Signup body) {
        log.info("drill echo for {} password=hunter2-drill", body.name());
        return Map.of("name", body.name(), "seats", body.seats());
    }

    @GetMapping("/drill/fail")
    String fail() {
        throw new IllegalStateException("internal detail: table secret_stuff at dev.crosspost.Internal");
    }

    @GetMapping("/drill/slow")
    String slow() {
        log.info("drill request started");
        jdbc.sql("SELECT pg_sleep(2)").query().singleRow();
        log.info("drill request finished");
        return "done";
    }

    @PostMapping("/drill/task")
    String task() {
        scheduler.schedule(slowTask.instance(UUID.randomUUID().toString()), Instant.now());
        return "scheduled";
    }

    /** A task that takes four seconds of database time. */
    @Profile("drill")
    @org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
    static class DrillTask {
        @Bean
        OneTimeTask<Void> drillSlowTask(JdbcClient jdbc) {
            return Tasks.oneTime("drill-slow-task").execute((instance, ctx) -> {
                log.info("drill task started");
                jdbc.sql("SELECT pg_sleep(4)").query().singleRow();
                log.info("drill task finished");
            });
        }
    }
}
