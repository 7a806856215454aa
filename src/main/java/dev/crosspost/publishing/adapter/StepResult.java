package dev.crosspost.publishing.adapter;

import org.jspecify.annotations.Nullable;

import java.time.Duration;
import java.util.Map;

/** The closed set of step outcomes. */
public sealed interface StepResult {

    /** Output keys a final step sets. */
    String PLATFORM_POST_ID = "platform_post_id";
    String PLATFORM_URL = "platform_url";

    /** The step finished; its outputs are kept for later steps and retries. */
    record Done(Map<String, String> outputs) implements StepResult {
    }

    /** Try again later; {@code retryAfter} from the platform is honoured exactly, else policy backoff applies. */
    record RetryLater(ErrorClass errorClass, @Nullable Duration retryAfter, String reason, @Nullable Integer responseCode)
            implements StepResult {
    }

    /** Permanent: the platform refused this content. {@code reason} is the platform's own words. */
    record Rejected(String code, String reason, @Nullable Integer responseCode) implements StepResult {
    }

    /** The account's authorization is gone (revoked, expired refresh). */
    record NeedsReconnect(String reason) implements StepResult {
    }

    /** An effect was sent but its result never arrived (timeout, reset). Never re-sent blindly. */
    record OutcomeUnknown(String reason) implements StepResult {
    }

    static Done done(Map<String, String> outputs) {
        return new Done(outputs);
    }
}
