package dev.crosspost.publishing.adapter;

import dev.crosspost.support.CrosspostIntegrationTest;
import dev.crosspost.support.ShiftedClock;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.TestPropertySource;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The app with its platform simulators on a shifted clock, shared by the simulator contract tests and the
 * end-to-end tests of the dedicated adapters: media processing takes ten minutes of that clock.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@CrosspostIntegrationTest
@TestPropertySource(properties = {
        "crosspost.sandbox.platforms.instagram.processing-time=10m",
        "crosspost.sandbox.platforms.pinterest.processing-time=10m"})
@Import(ShiftedClock.AppClock.class)
public @interface SimulatorContractTest {
}
