package dev.crosspost.system.config;

import dev.crosspost.system.SystemSettings;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;
import jakarta.validation.groups.Default;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.logging.LoggingApplicationListener;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.AbstractBindHandler;
import org.springframework.boot.context.properties.bind.BindContext;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import org.springframework.util.ClassUtils;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Binds and validates every {@code @ConfigurationProperties} record under {@code dev.crosspost} before the context
 * starts, so that one failure lists every bad property at once (Boot alone stops at the first bean).
 */
public class SettingsValidator implements ApplicationListener<ApplicationEnvironmentPreparedEvent>, Ordered {

    public static final String PROD_PROFILE = "prod";
    private static final Pattern SECRET_NAME = Pattern.compile("(?i).*(password|secret|key|token|credential).*");

    @Override
    public int getOrder() {
        return LoggingApplicationListener.DEFAULT_ORDER + 1;
    }

    @Override
    public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
        List<InvalidSettingsException.Violation> violations = validate(event.getEnvironment());
        if (!violations.isEmpty()) {
            throw new InvalidSettingsException(violations);
        }
    }

    /** Every violation across all settings records, sorted by property name. */
    public static List<InvalidSettingsException.Violation> validate(ConfigurableEnvironment environment) {
        boolean prod = Arrays.asList(environment.getActiveProfiles()).contains(PROD_PROFILE);
        Class<?>[] groups = prod ? new Class<?>[] {Default.class, SystemSettings.ProdChecks.class} : new Class<?>[] {Default.class};
        Binder binder = Binder.get(environment);
        List<InvalidSettingsException.Violation> violations = new ArrayList<>();
        try (ValidatorFactory factory = Validation.byDefaultProvider().configure()
                .messageInterpolator(new ParameterMessageInterpolator()).buildValidatorFactory()) {
            Validator validator = factory.getValidator();
            for (Class<?> type : settingsTypes()) {
                String prefix = prefixOf(type);
                CollectingHandler handler = new CollectingHandler(violations);
                Object bound = binder.bindOrCreate(prefix, Bindable.of(type), handler);
                for (ConstraintViolation<Object> v : validator.validate(bound, groups)) {
                    String property = prefix + "." + kebab(v.getPropertyPath().toString());
                    violations.add(new InvalidSettingsException.Violation(property, v.getMessage(), shown(property, v.getInvalidValue())));
                }
            }
        }
        violations.sort(Comparator.comparing(InvalidSettingsException.Violation::property));
        return violations;
    }

    static List<Class<?>> settingsTypes() {
        var scanner = new ClassPathScanningCandidateComponentProvider(false);
        scanner.addIncludeFilter(new AnnotationTypeFilter(ConfigurationProperties.class));
        ClassLoader loader = SettingsValidator.class.getClassLoader();
        return scanner.findCandidateComponents("dev.crosspost").stream()
                .<Class<?>>map(bd -> ClassUtils.resolveClassName(bd.getBeanClassName(), loader))
                .filter(Class::isRecord)
                .sorted(Comparator.comparing(Class::getName))
                .toList();
    }

    private static String prefixOf(Class<?> type) {
        ConfigurationProperties cp = type.getAnnotation(ConfigurationProperties.class);
        return cp.prefix().isEmpty() ? cp.value() : cp.prefix();
    }

    static String kebab(String path) {
        return path.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }

    private static String shown(String property, Object value) {
        if (value == null) {
            return "";
        }
        return SECRET_NAME.matcher(property).matches() ? "'****'" : "'" + value + "'";
    }

    /** Records conversion failures per property and lets binding carry on with the default. */
    private static final class CollectingHandler extends AbstractBindHandler {
        private final List<InvalidSettingsException.Violation> violations;
        private final Set<String> seen = new java.util.HashSet<>();

        CollectingHandler(List<InvalidSettingsException.Violation> violations) {
            this.violations = violations;
        }

        @Override
        public Object onFailure(ConfigurationPropertyName name, Bindable<?> target, BindContext context, Exception error) {
            String property = name.toString();
            if (seen.add(property)) {
                ConfigurationProperty source = context.getConfigurationProperty();
                Object value = source != null ? source.getValue() : null;
                String type = ClassUtils.getShortName(target.getType().resolve(Object.class));
                violations.add(new InvalidSettingsException.Violation(property, "cannot be read as " + type, shown(property, value)));
            }
            return null;
        }
    }
}
