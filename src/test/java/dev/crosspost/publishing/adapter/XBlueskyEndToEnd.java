package dev.crosspost.publishing.adapter;

import org.springframework.test.context.TestPropertySource;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** The short waits the X and Bluesky end-to-end tests share (one application context for both). */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@TestPropertySource(properties = {
        "db-scheduler.polling-interval=100ms",
        "crosspost.platforms.x.step-timeout=1500ms",
        "crosspost.platforms.x.retry.base-delay=50ms",
        "crosspost.platforms.x.retry.max-delay=200ms",
        "crosspost.platforms.x.retry.reconcile-delay=100ms",
        "crosspost.platforms.bluesky.step-timeout=1500ms",
        "crosspost.platforms.bluesky.retry.base-delay=50ms",
        "crosspost.platforms.bluesky.retry.max-delay=200ms",
        "crosspost.platforms.bluesky.retry.reconcile-delay=100ms"})
public @interface XBlueskyEndToEnd {
}
