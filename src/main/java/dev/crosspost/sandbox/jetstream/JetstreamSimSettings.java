package dev.crosspost.sandbox.jetstream;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The Jetstream simulator under {@code crosspost.sandbox.jetstream.*}.
 *
 * @param rate posts per second synthesized for each stream once the sample is replayed (0: none); {@code ?rate=} and
 *        {@code POST /sandbox/jetstream/rate} override it
 * @param seed seed of the synthesized posts
 */
@Validated
@ConfigurationProperties("crosspost.sandbox.jetstream")
record JetstreamSimSettings(@Min(0) @Max(JetstreamSimulator.MAX_RATE) @DefaultValue("2") int rate, @DefaultValue("42") long seed) {
}
