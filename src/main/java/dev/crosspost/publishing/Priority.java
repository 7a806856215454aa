package dev.crosspost.publishing;

/** Which due work runs first: "publish now" before scheduled posts before backfill. */
public enum Priority {
    NOW(30), SCHEDULED(20), BACKFILL(10);

    private final int schedulerPriority;

    Priority(int schedulerPriority) {
        this.schedulerPriority = schedulerPriority;
    }

    public int schedulerPriority() {
        return schedulerPriority;
    }
}
