package dev.crosspost.accounts.internal;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.CompletionHandler;
import com.github.kagkarlsson.scheduler.task.FailureHandler;
import com.github.kagkarlsson.scheduler.task.TaskInstanceId;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * Each connected account with a refreshable token has one db-scheduler execution, named by the account id, due at
 * its {@code refresh_at}. Its data is the count of consecutive refreshes the platform could not answer, which sets
 * the backoff; it reschedules itself after each run and removes itself when there is nothing left to refresh.
 */
@Component
class RefreshJobs {

    static final String TASK = "account-refresh";
    private static final Logger log = LoggerFactory.getLogger(RefreshJobs.class);

    private final ObjectProvider<SchedulerClient> scheduler;
    private final ObjectProvider<CustomTask<Integer>> task;

    RefreshJobs(ObjectProvider<SchedulerClient> scheduler, ObjectProvider<CustomTask<Integer>> task) {
        this.scheduler = scheduler;
        this.task = task;
    }

    /** Plans the account's refresh at {@code at}, or drops it when null; joins the caller's transaction. */
    void plan(UUID accountId, @Nullable Instant at) {
        if (at == null) {
            cancel(accountId);
            return;
        }
        var instance = task.getObject().instanceBuilder(accountId.toString()).data(0).scheduledTo(at);
        if (!scheduler.getObject().scheduleIfNotExists(instance)) {
            try {
                scheduler.getObject().reschedule(TaskInstanceId.of(TASK, accountId.toString()), at, 0);
            } catch (RuntimeException e) {
                // running right now: it re-reads refresh_at under the row lock and reschedules itself
                log.debug("Refresh of {} is running; it will plan its own next run ({})", accountId, e.getClass().getSimpleName());
            }
        }
    }

    void cancel(UUID accountId) {
        try {
            scheduler.getObject().cancel(TaskInstanceId.of(TASK, accountId.toString()));
        } catch (RuntimeException e) {
            // none planned, or it is running and will find the account ended
            log.debug("No refresh of {} to cancel ({})", accountId, e.getClass().getSimpleName());
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class TaskDefinition {
        @Bean
        CustomTask<Integer> accountRefreshTask(TokenRefresher refresher, Clock clock) {
            return Tasks.custom(TASK, Integer.class)
                    .onDeadExecutionRevive()
                    // an unexpected failure (database down, a bug) retries the run; the account row is unchanged
                    .onFailure(new FailureHandler.ExponentialBackoffFailureHandler<>(Duration.ofSeconds(30), 2.0))
                    .execute((instance, context) -> {
                        UUID id = UUID.fromString(instance.getId());
                        int failures = instance.getData() == null ? 0 : instance.getData();
                        return complete(refresher.refresh(id, TokenRefresher.Mode.WHEN_PLANNED), failures, refresher.plan(), clock);
                    });
        }

        /** Reschedules for the next refresh or the backoff, or removes the execution when the account ended. */
        static CompletionHandler<Integer> complete(TokenRefresher.Outcome outcome, int failures, RefreshPlan plan, Clock clock) {
            return switch (outcome) {
                case TokenRefresher.Outcome.Refreshed(Instant next) when next != null -> (done, ops) -> ops.reschedule(done, next, 0);
                case TokenRefresher.Outcome.NotDue(Instant at) -> (done, ops) -> ops.reschedule(done, at, failures);
                case TokenRefresher.Outcome.RetryLater r ->
                        (done, ops) -> ops.reschedule(done, clock.instant().plus(plan.retryDelay(failures + 1)), failures + 1);
                default -> (done, ops) -> ops.remove();
            };
        }
    }
}
