package dev.crosspost.accounts.internal;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Turns a platform's error body into its own words, whatever its envelope: OAuth ({@code error}, {@code
 * error_description}), TikTok ({@code error:{code,message}}), Meta ({@code error:{message,type,code}} or legacy
 * {@code error_type, error_message}), Google APIs, Pinterest ({@code code, message}), XRPC ({@code error, message}) and X
 * problems ({@code title, detail}). Anything else is quoted, never shown as "[object Object]".
 */
final class PlatformErrors {

    private static final int MAX_TEXT = 300;

    private PlatformErrors() {
    }

    /** A platform error: a machine code (or {@code http_<status>}) and a sentence. */
    record PlatformError(String code, String text) {
        String describe() {
            return text.isEmpty() || text.equals(code) ? code : code + ": " + text;
        }
    }

    /** Whether a 2xx body still carries an error (TikTok and some OAuth servers answer errors with 200). */
    static boolean isError(@Nullable JsonNode body) {
        if (body == null || !body.isObject()) {
            return false;
        }
        JsonNode error = body.path("error");
        if (error.isString()) {
            return !error.asString().isBlank();
        }
        if (error.isObject()) {
            String code = error.path("code").asString("");
            return !"ok".equalsIgnoreCase(code) && !(code.isEmpty() && error.path("message").asString("").isEmpty());
        }
        return body.hasNonNull("error_message");
    }

    static PlatformError of(int status, @Nullable JsonNode body, String raw) {
        if (body != null && body.isObject()) {
            PlatformError found = fromObject(body);
            if (found != null) {
                return found;
            }
            return new PlatformError("http_" + status, truncate(body.toString()));
        }
        String text = raw.strip();
        return new PlatformError("http_" + status, text.isEmpty() ? "HTTP " + status + " with an empty body" : truncate(text));
    }

    private static @Nullable PlatformError fromObject(JsonNode body) {
        JsonNode error = body.path("error");
        if (error.isString() && !error.asString().isBlank()) {
            // OAuth 2.0 (RFC 6749 5.2) and XRPC
            return new PlatformError(error.asString(), first(body, "error_description", "message", "error_message"));
        }
        if (error.isObject()) {
            // TikTok envelope, Meta Graph, Google APIs
            String code = first(error, "code", "type", "status");
            String type = error.path("type").asString("");
            String message = first(error, "message", "error_user_msg", "description");
            if (!type.isEmpty() && !type.equals(code)) {
                code = type + " " + code;
            }
            if (message.isEmpty()) {
                // an envelope we do not know: quote it rather than lose it
                message = truncate(error.toString());
            }
            if (error.path("error_subcode").isNumber()) {
                message = message + " (subcode " + error.path("error_subcode").asString() + ")";
            }
            return new PlatformError(code.isEmpty() ? "error" : code, message);
        }
        if (body.hasNonNull("error_message")) {
            // Instagram's legacy api.instagram.com shape
            return new PlatformError(first(body, "error_type", "code"), body.path("error_message").asString());
        }
        if (body.hasNonNull("message") && body.has("code")) {
            // Pinterest {code, message}
            return new PlatformError("code " + body.path("code").asString(), body.path("message").asString());
        }
        if (body.hasNonNull("detail") || body.hasNonNull("title")) {
            // X problem objects
            return new PlatformError(first(body, "title", "type"), first(body, "detail"));
        }
        JsonNode errors = body.path("errors");
        if (errors.isArray() && !errors.isEmpty()) {
            JsonNode e = errors.get(0);
            return new PlatformError(first(e, "code", "reason", "title"), first(e, "message", "detail"));
        }
        return null;
    }

    private static String first(JsonNode node, String... names) {
        for (String name : names) {
            JsonNode value = node.path(name);
            if (value.isValueNode() && !value.isNull() && !value.asString().isBlank()) {
                return truncate(value.asString());
            }
        }
        return "";
    }

    private static String truncate(String text) {
        return text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT - 3) + "...";
    }
}
