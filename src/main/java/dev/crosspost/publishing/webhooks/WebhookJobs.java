package dev.crosspost.publishing.webhooks;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code webhook-dispatch} db-scheduler task: every {@code dispatch-interval} one node fans new history out
 * into deliveries, then sends the due ones. db-scheduler runs a recurring task on one node at a time; the cursor
 * lock and {@code SKIP LOCKED} keep it correct even if two runs overlap.
 */
@Configuration(proxyBeanMethods = false)
class WebhookJobs {

    static final String TASK = "webhook-dispatch";

    @Bean
    RecurringTask<Void> webhookDispatchTask(WebhookFanout fanout, WebhookDispatcher dispatcher, WebhookSettings settings) {
        return Tasks.recurring(TASK, FixedDelay.of(settings.dispatchInterval()))
                .execute((instance, context) -> {
                    fanout.run();
                    dispatcher.dispatch();
                });
    }
}
