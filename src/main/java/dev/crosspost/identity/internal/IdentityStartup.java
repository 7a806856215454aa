package dev.crosspost.identity.internal;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import dev.crosspost.sandbox.SandboxSettings;
import dev.crosspost.system.Workspaces;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.sql.Timestamp;
import java.time.Clock;

/**
 * Users that exist by configuration: the demo user while the sandbox is on (owning the sandbox workspace, admin),
 * and an operator's admin from {@code crosspost.identity.create-admin}. Also sweeps spent identity rows hourly.
 */
@Configuration(proxyBeanMethods = false)
class IdentityStartup {

    private static final Logger log = LoggerFactory.getLogger(IdentityStartup.class);

    @Bean
    ApplicationRunner identityUsers(IdentityService identity, IdentitySettings settings, SandboxSettings sandbox) {
        return (ApplicationArguments args) -> {
            if (sandbox.enabled()) {
                identity.ensureUser(IdentityService.DEMO_EMAIL, settings.demoPassword(), Workspaces.SANDBOX, true);
                log.info("Sandbox on: sign in as {} (password from crosspost.identity.demo-password)", IdentityService.DEMO_EMAIL);
            } else {
                identity.disableDemoUser();
            }
            if (settings.createAdmin() != null) {
                if (settings.createAdminPassword() == null) {
                    throw new IllegalStateException("crosspost.identity.create-admin needs crosspost.identity.create-admin-password "
                            + "(e.g. the CROSSPOST_IDENTITY_CREATE_ADMIN_PASSWORD environment variable)");
                }
                identity.ensureUser(IdentityService.normalize(settings.createAdmin()), settings.createAdminPassword(), null, true);
                log.info("Admin {} is ready", IdentityService.normalize(settings.createAdmin()));
            }
        };
    }

    @Bean
    RecurringTask<Void> identitySweep(JdbcClient jdbc, RateLimiter limiter, Clock clock) {
        return Tasks.recurring("identity-sweep", FixedDelay.ofHours(1)).execute((instance, ctx) -> {
            Timestamp now = Timestamp.from(clock.instant());
            jdbc.sql("DELETE FROM refresh_tokens WHERE expires_at <= :now").param("now", now).update();
            jdbc.sql("DELETE FROM login_failures WHERE COALESCE(locked_until, first_at) <= CAST(:now AS timestamptz) - INTERVAL '1 day'").param("now", now).update();
            limiter.sweep();
        });
    }
}
