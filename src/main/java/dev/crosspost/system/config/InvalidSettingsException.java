package dev.crosspost.system.config;

import java.util.List;
import java.util.stream.Collectors;

/** Startup refused: one or more settings are invalid. Lists every one of them. */
public class InvalidSettingsException extends RuntimeException {

    private final List<Violation> violations;

    public InvalidSettingsException(List<Violation> violations) {
        super(violations.size() + " invalid setting(s): " + violations.stream()
                .map(Violation::toString).collect(Collectors.joining("; ")));
        this.violations = List.copyOf(violations);
    }

    public List<Violation> violations() {
        return violations;
    }

    /** One invalid property: its full name, why, and the offending value unless it is a secret. */
    public record Violation(String property, String reason, String shownValue) {
        @Override
        public String toString() {
            return property + " " + reason + (shownValue.isEmpty() ? "" : " (was " + shownValue + ")");
        }
    }
}
