package dev.crosspost.intake.internal;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;

/** Webhook nonces are only needed while their timestamp is inside the window; older ones are swept every minute. */
@Configuration(proxyBeanMethods = false)
class NonceSweep {

    @Bean
    RecurringTask<Void> inboundNonceSweep(IntakeStore store, Clock clock) {
        return Tasks.recurring("intake-nonce-sweep", FixedDelay.ofMinutes(1)).execute((instance, ctx) -> store.sweepNonces(clock.instant()));
    }
}
