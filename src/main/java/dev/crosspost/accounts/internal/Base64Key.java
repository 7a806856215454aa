package dev.crosspost.accounts.internal;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Base64 (standard or URL-safe) of exactly 32 bytes: an AES-256 key. Null passes. */
@Documented
@Constraint(validatedBy = Base64Key.Validator.class)
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT, ElementType.TYPE_USE})
@Retention(RetentionPolicy.RUNTIME)
@interface Base64Key {

    String message() default "must be base64 of 32 random bytes (e.g. openssl rand -base64 32)";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    /** Decodes the value and checks its length. */
    final class Validator implements ConstraintValidator<Base64Key, String> {
        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            return value == null || EncryptionKeys.decodeKey(value) != null;
        }
    }
}
