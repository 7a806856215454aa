package dev.crosspost.system.logging;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;

import java.util.regex.Pattern;

/** Registers the values of secret-looking properties with the {@link Redactor} before logging starts. */
public class SecretCollector implements EnvironmentPostProcessor {

    private static final Pattern SECRET_NAME =
            Pattern.compile("(?i).*(password|secret|api[-_.]?key|token|private[-_.]?key|encryption[-_.]?key|credential).*");

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        for (PropertySource<?> source : environment.getPropertySources()) {
            if (source instanceof EnumerablePropertySource<?> enumerable) {
                for (String name : enumerable.getPropertyNames()) {
                    if (SECRET_NAME.matcher(name).matches()) {
                        Object raw = enumerable.getProperty(name);
                        if (raw != null) {
                            Redactor.registerSecret(raw.toString());
                        }
                    }
                }
            }
        }
    }
}
