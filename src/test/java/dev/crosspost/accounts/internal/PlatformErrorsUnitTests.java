package dev.crosspost.accounts.internal;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/** Every envelope the platforms use reads as the platform's own words. */
class PlatformErrorsUnitTests {

    private final JsonMapper json = JsonMapper.builder().build();

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "oauth    | {\"error\":\"invalid_grant\",\"error_description\":\"Token has been expired or revoked.\"} | invalid_grant: Token has been expired or revoked.",
            "tiktok   | {\"data\":{},\"error\":{\"code\":\"access_token_invalid\",\"message\":\"The access token is invalid\",\"log_id\":\"1\"}} | access_token_invalid: The access token is invalid",
            "meta     | {\"error\":{\"message\":\"Error validating access token\",\"type\":\"OAuthException\",\"code\":190,\"error_subcode\":463}} | OAuthException 190: Error validating access token (subcode 463)",
            "ig-legacy| {\"error_type\":\"OAuthException\",\"code\":400,\"error_message\":\"Invalid authorization code\"} | OAuthException: Invalid authorization code",
            "pinterest| {\"code\":1,\"message\":\"Invalid refresh token.\"} | code 1: Invalid refresh token.",
            "xrpc     | {\"error\":\"ExpiredToken\",\"message\":\"Token has expired\"} | ExpiredToken: Token has expired",
            "x-problem| {\"title\":\"Unauthorized\",\"type\":\"about:blank\",\"status\":401,\"detail\":\"Unauthorized\"} | Unauthorized",
            "google   | {\"error\":{\"code\":403,\"message\":\"Request had insufficient authentication scopes.\",\"status\":\"PERMISSION_DENIED\"}} | 403: Request had insufficient authentication scopes.",
            "unknown  | {\"error\":{\"nested\":{\"deep\":true}}} | error: {\"nested\":{\"deep\":true}}",
            "other    | {\"foo\":{\"bar\":1}} | http_400: {\"foo\":{\"bar\":1}}"})
    void envelopes(String name, String body, String expected) {
        String described = PlatformErrors.of(400, json.readTree(body), body).describe();
        assertThat(described).isEqualTo(expected.strip()).doesNotContain("[object Object]");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"data\":{\"user\":{}},\"error\":{\"code\":\"ok\",\"message\":\"\"}} | false",
            "{\"access_token\":\"a\"} | false",
            "{\"error\":\"invalid_request\"} | true",
            "{\"error\":{\"code\":\"scope_not_authorized\",\"message\":\"no\"}} | true",
            "{\"error_message\":\"bad code\"} | true"})
    void errorsInsideA200AreSeen(String body, boolean error) {
        assertThat(PlatformErrors.isError(json.readTree(body))).isEqualTo(error);
    }

    @org.junit.jupiter.api.Test
    void nonJsonBodiesAreQuotedAndEmptyOnesSaidSo() {
        assertThat(PlatformErrors.of(502, null, "<html>Bad gateway</html>").describe()).isEqualTo("http_502: <html>Bad gateway</html>");
        assertThat(PlatformErrors.of(500, null, "").describe()).isEqualTo("http_500: HTTP 500 with an empty body");
    }
}
