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
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/** A secret of at least 32 bytes that is not a well-known placeholder. Null passes; pair with NotBlank. */
@Documented
@Constraint(validatedBy = StrongSecret.Validator.class)
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT, ElementType.TYPE_USE})
@Retention(RetentionPolicy.RUNTIME)
public @interface StrongSecret {

    String message() default "must be a strong secret: at least 32 bytes and not a placeholder like 'changeme'";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    /** Checks length in bytes and rejects placeholder words. */
    final class Validator implements ConstraintValidator<StrongSecret, String> {

        static final int MIN_BYTES = 32;
        private static final List<String> PLACEHOLDERS =
                List.of("changeme", "change-me", "change_me", "secret", "password", "default", "example", "test", "12345678");

        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            if (value == null) {
                return true;
            }
            if (value.getBytes(StandardCharsets.UTF_8).length < MIN_BYTES) {
                return false;
            }
            String lower = value.toLowerCase(Locale.ROOT);
            if (PLACEHOLDERS.stream().anyMatch(lower::contains)) {
                return false;
            }
            return value.chars().distinct().count() > 4;
        }
    }
}
