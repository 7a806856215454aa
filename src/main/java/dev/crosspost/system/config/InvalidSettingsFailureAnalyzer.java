package dev.crosspost.system.config;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

import java.util.stream.Collectors;

/** Prints every invalid setting in one message. */
class InvalidSettingsFailureAnalyzer extends AbstractFailureAnalyzer<InvalidSettingsException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidSettingsException cause) {
        String list = cause.violations().stream()
                .map(v -> "  - " + v)
                .collect(Collectors.joining("\n"));
        return new FailureAnalysis(
                "Crosspost refused to start: " + cause.violations().size() + " invalid setting(s):\n" + list,
                "Fix the settings above (application.yaml, CROSSPOST_* environment variables or --crosspost.* arguments). "
                        + "README.md lists every property.",
                cause);
    }
}
