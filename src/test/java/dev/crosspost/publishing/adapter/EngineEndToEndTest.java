package dev.crosspost.publishing.adapter;

import dev.crosspost.support.CrosspostIntegrationTest;
import org.springframework.test.context.TestPropertySource;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The app on the real clock, publishing through the engine to its own simulators, shared by the end-to-end tests
 * of the dedicated adapters, with short waits and a step timeout below the simulators' hang. (The engine's jobs run on
 * db-scheduler's wall clock, so a shifted clock would stall them.)
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@CrosspostIntegrationTest
@TestPropertySource(properties = {
        "crosspost.sandbox.platforms.instagram.processing-time=1s",
        "crosspost.sandbox.platforms.pinterest.processing-time=1s",
        "db-scheduler.polling-interval=200ms",
        "crosspost.platforms.instagram.step-timeout=2s",
        "crosspost.platforms.instagram.retry.base-delay=100ms",
        "crosspost.platforms.instagram.retry.max-delay=500ms",
        "crosspost.platforms.instagram.retry.reconcile-delay=100ms",
        "crosspost.platforms.instagram.retry.max-attempts=20",
        "crosspost.platforms.pinterest.step-timeout=2s",
        "crosspost.platforms.pinterest.retry.base-delay=100ms",
        "crosspost.platforms.pinterest.retry.max-delay=500ms",
        "crosspost.platforms.pinterest.retry.reconcile-delay=100ms",
        "crosspost.platforms.pinterest.retry.max-attempts=20"})
public @interface EngineEndToEndTest {
}
