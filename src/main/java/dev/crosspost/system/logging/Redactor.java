package dev.crosspost.system.logging;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks secrets in any text bound for a log: bearer tokens, JWTs, our API keys, {@code name=value} pairs with
 * secret-looking names, and the exact values of configured secret properties.
 */
public final class Redactor {

    public static final String MASK = "****";
    private static final int MIN_KNOWN_SECRET = 6;
    private static final Set<String> KNOWN = ConcurrentHashMap.newKeySet();

    private static final List<Pattern> PATTERNS = List.of(
            // Authorization: Bearer/Basic <token>
            Pattern.compile("(?i)(\\b(?:bearer|basic)\\s+)[A-Za-z0-9._~+/=-]{6,}"),
            // three-part JWTs wherever they appear
            Pattern.compile("()eyJ[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]*"),
            // our own API keys and refresh tokens
            Pattern.compile("()\\bcp_(?:live|test|rt)_[A-Za-z0-9_-]{8,}"),
            // webhook signing secrets
            Pattern.compile("()\\bwhsec_[A-Za-z0-9_-]{20,}"),
            // name=value (forms, query strings, toString output)
            Pattern.compile("(?i)(\\b" + Names.SECRET + "\\s*=\\s*)" + Names.VALUE),
            // "name":"value", also JSON-escaped inside a JSON log line
            Pattern.compile("(?i)(\\b" + Names.SECRET + "\\\\?\"\\s*:\\s*\\\\?\"?)" + Names.VALUE),
            // header and YAML style: Authorization: ..., X-Api-Key: ..., password: ...
            Pattern.compile("(?i)(\\b(?:authorization|proxy-authorization|x-api-key|api-key|cookie|set-cookie|password|passwd)\\s*:\\s*)"
                    + "(?!(?:bearer|basic)\\s)" + Names.VALUE));

    /** Property and field names whose values are secrets, and what a value looks like. */
    private static final class Names {
        static final String SECRET = "(?:password|passwd|pwd|client_secret|clientsecret|client-secret|secret|refresh_token|refreshtoken"
                + "|access_token|accesstoken|id_token|api[_-]?key|x-api-key|apikey|token|authorization|app_password|assertion"
                + "|private_key|encryption[_-]?key|jwt[_-]?secret|code_verifier)";
        static final String VALUE = "(?!\\*\\*\\*\\*)[^\\s\"\\\\,&;}\\]]+";
    }

    private Redactor() {
    }

    /** Adds an exact secret value (from configuration) to mask wherever it appears. */
    public static void registerSecret(String value) {
        if (value != null && value.length() >= MIN_KNOWN_SECRET) {
            KNOWN.add(value);
        }
    }

    public static String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String out = text;
        for (String secret : KNOWN) {
            if (out.contains(secret)) {
                out = out.replace(secret, MASK);
            }
        }
        for (Pattern p : PATTERNS) {
            Matcher m = p.matcher(out);
            if (m.find()) {
                out = m.replaceAll(r -> Matcher.quoteReplacement(r.group(1) + MASK));
            }
        }
        return out;
    }
}
