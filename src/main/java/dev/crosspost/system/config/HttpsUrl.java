package dev.crosspost.system.config;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.net.URI;
import java.net.URISyntaxException;

/** An absolute {@code https://} URL with a host. Null passes. */
@Documented
@Constraint(validatedBy = HttpsUrl.Validator.class)
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT, ElementType.TYPE_USE})
@Retention(RetentionPolicy.RUNTIME)
public @interface HttpsUrl {

    String message() default "must be an https:// URL (http:// callbacks are refused in prod)";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    /** Parses the URL and checks scheme and host. */
    final class Validator implements ConstraintValidator<HttpsUrl, String> {
        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            if (value == null) {
                return true;
            }
            try {
                URI uri = new URI(value);
                return "https".equalsIgnoreCase(uri.getScheme()) && uri.getHost() != null;
            } catch (URISyntaxException e) {
                return false;
            }
        }
    }
}
