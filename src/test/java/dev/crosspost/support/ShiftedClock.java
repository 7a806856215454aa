package dev.crosspost.support;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/** System time plus an offset that only grows: register it as the app's {@code @Primary} clock and move it forward. */
public final class ShiftedClock extends Clock {

    private final AtomicReference<Duration> offset = new AtomicReference<>(Duration.ZERO);

    public void advance(Duration by) {
        offset.accumulateAndGet(by, Duration::plus);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Instant instant() {
        return Instant.now().plus(offset.get());
    }

    /** Makes a ShiftedClock the app's clock: {@code @Import(ShiftedClock.AppClock.class)} on a test class. */
    @org.springframework.boot.test.context.TestConfiguration(proxyBeanMethods = false)
    public static class AppClock {
        @org.springframework.context.annotation.Bean
        @org.springframework.context.annotation.Primary
        ShiftedClock shiftedClock() {
            return new ShiftedClock();
        }
    }
}
