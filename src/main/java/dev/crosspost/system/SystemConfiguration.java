package dev.crosspost.system;

import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Configuration;

/** Binds every module's settings record under {@code dev.crosspost}. */
@Configuration(proxyBeanMethods = false)
@ConfigurationPropertiesScan("dev.crosspost")
class SystemConfiguration {
}
