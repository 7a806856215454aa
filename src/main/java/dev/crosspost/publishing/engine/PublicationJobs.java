package dev.crosspost.publishing.engine;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.CompletionHandler;
import com.github.kagkarlsson.scheduler.task.FailureHandler;
import com.github.kagkarlsson.scheduler.task.SchedulableInstance;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import dev.crosspost.publishing.Priority;
import org.slf4j.MDC;
import com.github.kagkarlsson.scheduler.Scheduler;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Each publication is one db-scheduler execution named by its id. It runs the engine, then reschedules itself for
 * the next wait or removes itself at the end; a node that dies mid-run has its execution revived by heartbeat.
 */
@Component
public class PublicationJobs {

    static final String TASK = "publication";
    // marks a transaction that already has a wake-up registered
    private static final Object WAKE_PENDING = new Object();
    private final ObjectProvider<SchedulerClient> scheduler;
    private final ObjectProvider<CustomTask<Void>> task;

    PublicationJobs(ObjectProvider<SchedulerClient> scheduler, @Qualifier("publicationTask") ObjectProvider<CustomTask<Void>> task) {
        this.scheduler = scheduler;
        this.task = task;
    }

    /** Schedules the publication's job; joins the caller's transaction, so a rollback means it never runs. */
    public void schedule(UUID publicationId, Instant at, Priority priority) {
        var instance = task.getObject().instanceBuilder(publicationId.toString()).priority(priority.schedulerPriority()).scheduledTo(at);
        if (!scheduler.getObject().scheduleIfNotExists(instance)) {
            scheduler.getObject().reschedule(instance);
        }
        wakeAfterCommit(at);
    }

    /** Schedules the jobs of publications just created (so none has a job yet) in one batch, inside the caller's transaction. */
    void scheduleNew(List<UUID> publicationIds, Instant at, Priority priority) {
        CustomTask<Void> publication = task.getObject();
        List<SchedulableInstance<?>> instances = publicationIds.stream()
                .<SchedulableInstance<?>>map(id -> publication.instanceBuilder(id.toString()).priority(priority.schedulerPriority()).scheduledTo(at))
                .toList();
        scheduler.getObject().scheduleBatch(instances);
        wakeAfterCommit(at);
    }

    /**
     * The scheduler's own wake-up fires inside our uncommitted transaction and finds nothing; wake it again once the
     * jobs are visible, instead of waiting for the next poll. Once per transaction: each wake is a due-scan.
     */
    private void wakeAfterCommit(Instant at) {
        if (at.isAfter(Instant.now()) || !TransactionSynchronizationManager.isSynchronizationActive()
                || TransactionSynchronizationManager.hasResource(WAKE_PENDING)) {
            return;
        }
        TransactionSynchronizationManager.bindResource(WAKE_PENDING, Boolean.TRUE);
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                wake();
            }

            @Override
            public void afterCompletion(int status) {
                TransactionSynchronizationManager.unbindResourceIfPossible(WAKE_PENDING);
            }
        });
    }

    private void wake() {
        if (scheduler.getObject() instanceof Scheduler s) {
            s.triggerCheckForDueExecutions();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class TaskDefinition {
        @Bean
        CustomTask<Void> publicationTask(PublicationEngine engine) {
            return Tasks.custom(TASK, Void.class)
                    .onDeadExecutionRevive()
                    // an unexpected failure (database down, a bug) retries the whole run; state is in the database
                    .onFailure(new FailureHandler.ExponentialBackoffFailureHandler<>(Duration.ofSeconds(1), 2.0))
                    .execute((instance, context) -> {
                        UUID id = UUID.fromString(instance.getId());
                        try (var ignored = MDC.putCloseable("publicationId", id.toString())) {
                            return complete(engine.advance(id));
                        }
                    });
        }

        /** Reschedules the job for the publication's next wait, or removes it when nothing is left to do. */
        private static CompletionHandler<Void> complete(PublicationEngine.Next next) {
            return switch (next) {
                case PublicationEngine.Next.At(Instant when) -> (complete, ops) -> ops.reschedule(complete, when);
                case PublicationEngine.Next.Finished f -> (complete, ops) -> ops.remove();
                // the ending's transaction deleted the job with it (one commit fewer per publication)
                case PublicationEngine.Next.Ended e -> (complete, ops) -> {
                };
            };
        }
    }
}
