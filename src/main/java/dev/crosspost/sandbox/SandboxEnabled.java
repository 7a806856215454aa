package dev.crosspost.sandbox;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Registers a simulator bean only while {@code crosspost.sandbox.enabled} is true (the default). */
@Documented
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ConditionalOnBooleanProperty(name = "crosspost.sandbox.enabled", matchIfMissing = true)
public @interface SandboxEnabled {
}
