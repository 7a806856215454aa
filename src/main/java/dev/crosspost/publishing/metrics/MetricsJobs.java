package dev.crosspost.publishing.metrics;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code metrics-sync} db-scheduler task: every {@code poll-interval} one node finds new publications and syncs
 * those due. Claims use {@code SKIP LOCKED} and a lease, so overlapping runs on several nodes share the work.
 */
@Configuration(proxyBeanMethods = false)
class MetricsJobs {

    static final String TASK = "metrics-sync";

    @Bean
    @ConditionalOnProperty(name = "crosspost.metrics.enabled", havingValue = "true", matchIfMissing = true)
    RecurringTask<Void> metricsSyncTask(MetricsSync sync, MetricsSettings settings) {
        return Tasks.recurring(TASK, FixedDelay.of(settings.pollInterval())).execute((instance, context) -> sync.run());
    }
}
