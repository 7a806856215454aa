package dev.crosspost.system;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerClient;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Starts a job scheduled for now at once rather than at db-scheduler's next poll: its own wake-up fires inside the
 * caller's uncommitted transaction and finds nothing, so it is woken again after the commit.
 */
public final class SchedulerWake {

    private SchedulerWake() {
    }

    public static void afterCommit(SchedulerClient scheduler) {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    if (scheduler instanceof Scheduler s) {
                        s.triggerCheckForDueExecutions();
                    }
                }
            });
        }
    }
}
