package dev.crosspost.publishing.adapter;

/**
 * One step of a publication. {@link Kind#EFFECT} steps change the platform and are never blindly repeated;
 * {@link Kind#QUERY} steps (status polls, lookups) are safe to repeat.
 *
 * @param consumesQuota whether the platform counts this step against the publishing quota
 */
public record Step(String name, Kind kind, boolean consumesQuota) {

    /** Whether a step changes the platform. */
    public enum Kind { EFFECT, QUERY }

    public static Step effect(String name) {
        return new Step(name, Kind.EFFECT, false);
    }

    public static Step publish(String name) {
        return new Step(name, Kind.EFFECT, true);
    }

    public static Step query(String name) {
        return new Step(name, Kind.QUERY, false);
    }

    public boolean isEffect() {
        return kind == Kind.EFFECT;
    }
}
