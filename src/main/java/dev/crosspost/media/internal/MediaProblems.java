package dev.crosspost.media.internal;

import dev.crosspost.system.CrosspostException;

import java.util.List;
import java.util.Map;

/** The problems uploads and renders answer with; each names the field at fault. */
final class MediaProblems {

    private MediaProblems() {
    }

    static CrosspostException invalid(String code, String field, String message) {
        return new CrosspostException(CrosspostException.Kind.INVALID, code, message, errors(field, message));
    }

    static CrosspostException unprocessable(String code, String field, String message) {
        return new CrosspostException(CrosspostException.Kind.UNPROCESSABLE, code, message, errors(field, message));
    }

    static CrosspostException tooLarge(String field, String message) {
        return new CrosspostException(CrosspostException.Kind.TOO_LARGE, "media_too_large", message, errors(field, message));
    }

    private static Map<String, Object> errors(String field, String message) {
        return Map.of("errors", List.of(Map.of("field", field, "message", message)));
    }
}
