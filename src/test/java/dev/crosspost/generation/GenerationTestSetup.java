package dev.crosspost.generation;

import dev.crosspost.intake.ContentPrepared;
import dev.crosspost.support.CrosspostIntegrationTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.context.event.EventListener;
import org.springframework.test.context.TestPropertySource;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one context of the generation integration tests: the caption model and HeyGen pointed at their sandbox
 * simulators, a payment secret, short waits, and a recorder of every {@link ContentPrepared}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@CrosspostIntegrationTest
@Import(GenerationTestSetup.Prepared.class)
@TestPropertySource(properties = {
        "db-scheduler.polling-interval=100ms",
        "crosspost.generation.captions.model=sandbox-model",
        "crosspost.generation.captions.api-key=sk-sandbox-test",
        "crosspost.generation.captions.rate-limit.limit=1000",
        // tests script failures on purpose; the breaker must not open across them
        "crosspost.generation.captions.breaker.window=1000",
        "crosspost.generation.captions.breaker.minimum-calls=1000",
        "crosspost.generation.heygen.api-key=heygen-sandbox-test",
        "crosspost.generation.heygen.poll-interval=200ms",
        "crosspost.generation.heygen.rate-limit.limit=1000",
        "crosspost.generation.retry-delay=100ms",
        "crosspost.generation.max-attempts=3",
        "crosspost.generation.payments.secret=" + GenerationTestSetup.PAYMENT_SECRET})
public @interface GenerationTestSetup {

    String PAYMENT_SECRET = "whsec_generation_tests_0123456789abcdef";

    /** Every ContentPrepared published, by content id. */
    @TestConfiguration(proxyBeanMethods = false)
    class Prepared {
        public final Map<UUID, ContentPrepared> byContent = new ConcurrentHashMap<>();

        @EventListener
        void on(ContentPrepared event) {
            byContent.put(event.contentId(), event);
        }
    }
}
