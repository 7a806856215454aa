package dev.crosspost.system;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** Logs the readiness flips and the start of shutdown, so operators (and the shutdown test) can see the order. */
@Component
class ShutdownSequence {

    private static final Logger log = LoggerFactory.getLogger(ShutdownSequence.class);

    @EventListener
    void readiness(AvailabilityChangeEvent<ReadinessState> event) {
        log.info("Readiness is now {}", event.getState());
    }

    @EventListener
    void closing(ContextClosedEvent event) {
        log.info("Shutdown started: refusing new work, letting running work finish");
    }
}
