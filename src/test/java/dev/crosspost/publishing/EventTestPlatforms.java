package dev.crosspost.publishing;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/** The scripted alpha and beta platforms, shared by the event and webhook tests so they share one context. */
@TestConfiguration(proxyBeanMethods = false)
class EventTestPlatforms {

    @Bean
    ScriptedPlatform alpha() {
        return new ScriptedPlatform("alpha");
    }

    @Bean
    ScriptedPlatform beta() {
        return new ScriptedPlatform("beta");
    }
}
