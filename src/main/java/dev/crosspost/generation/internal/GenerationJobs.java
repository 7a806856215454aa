package dev.crosspost.generation.internal;

import dev.crosspost.intake.ContentPrepared;
import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.CompletionHandler;
import com.github.kagkarlsson.scheduler.task.FailureHandler;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import dev.crosspost.intake.ContentAccepted;
import dev.crosspost.system.SchedulerWake;
import org.slf4j.MDC;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.util.UUID;

/**
 * Each accepted content row gets one db-scheduler execution, named by the content id and written in the same
 * transaction as its job row. It runs a step, reschedules itself for the next one (a rate-limit wait, a retry, the
 * next HeyGen status check) and removes itself once {@code ContentPrepared} is published.
 */
@Component
class GenerationJobs {

    static final String TASK = "content-generation";

    private final Generator generator;
    private final ObjectProvider<SchedulerClient> scheduler;
    private final ObjectProvider<CustomTask<Void>> task;
    private final Clock clock;

    GenerationJobs(Generator generator, ObjectProvider<SchedulerClient> scheduler,
                   @Qualifier("contentGenerationTask") ObjectProvider<CustomTask<Void>> task, Clock clock) {
        this.generator = generator;
        this.scheduler = scheduler;
        this.task = task;
        this.clock = clock;
    }

    @ApplicationModuleListener
    void on(ContentAccepted content) {
        if (generator.accept(content)) {
            scheduler.getObject().scheduleIfNotExists(task.getObject().instanceBuilder(content.contentId().toString()).scheduledTo(clock.instant()));
            SchedulerWake.afterCommit(scheduler.getObject());
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class TaskDefinition {
        @Bean
        CustomTask<Void> contentGenerationTask(Generator generator) {
            return Tasks.custom(TASK, Void.class)
                    .onDeadExecutionRevive()
                    // an unexpected failure (database down, a bug) retries the step; the job row is unchanged
                    .onFailure(new FailureHandler.ExponentialBackoffFailureHandler<>(Duration.ofSeconds(5), 2.0))
                    .execute((instance, context) -> {
                        UUID id = UUID.fromString(instance.getId());
                        try (var ignored = MDC.putCloseable("contentId", id.toString())) {
                            return complete(generator.advance(id));
                        }
                    });
        }

        private static CompletionHandler<Void> complete(Generator.Next next) {
            if (next instanceof Generator.Next.At(java.time.Instant when)) {
                return (done, ops) -> ops.reschedule(done, when);
            }
            return (done, ops) -> ops.remove();
        }
    }
}
