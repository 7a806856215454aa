package dev.crosspost.system.logging;

import java.util.List;
import java.util.Locale;
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

    /**
     * One shape of secret, and words of which every match holds at least one: most log lines hold none, and a
     * {@code contains} check per word costs far less than running the pattern over the line (a one-line log at
     * every publication spent more time here than in writing the line).
     */
    private record Rule(Pattern pattern, boolean ignoreCase, List<String> hints) {

        boolean mayMatch(String text, String lower) {
            String in = ignoreCase ? lower : text;
            for (String hint : hints) {
                if (in.contains(hint)) {
                    return true;
                }
            }
            return false;
        }
    }

    private static final List<Rule> RULES = List.of(
            // Authorization: Bearer/Basic <token>
            new Rule(Pattern.compile("(?i)(\\b(?:bearer|basic)\\s+)[A-Za-z0-9._~+/=-]{6,}"), true, List.of("bearer", "basic")),
            // three-part JWTs wherever they appear
            new Rule(Pattern.compile("()eyJ[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]*"), false, List.of("eyJ")),
            // our own API keys and refresh tokens
            new Rule(Pattern.compile("()\\bcp_(?:live|test|rt)_[A-Za-z0-9_-]{8,}"), false, List.of("cp_")),
            // webhook signing secrets
            new Rule(Pattern.compile("()\\bwhsec_[A-Za-z0-9_-]{20,}"), false, List.of("whsec_")),
            // name=value (forms, query strings, toString output)
            new Rule(Pattern.compile("(?i)(\\b" + Names.SECRET + "\\s*=\\s*)" + Names.VALUE), true, Names.SECRET_HINTS),
            // "name":"value", also JSON-escaped inside a JSON log line
            new Rule(Pattern.compile("(?i)(\\b" + Names.SECRET + "\\\\?\"\\s*:\\s*\\\\?\"?)" + Names.VALUE), true, Names.SECRET_HINTS),
            // header and YAML style: Authorization: ..., X-Api-Key: ..., password: ...
            new Rule(Pattern.compile("(?i)(\\b(?:authorization|proxy-authorization|x-api-key|api-key|cookie|set-cookie|password|passwd)\\s*:\\s*)"
                    + "(?!(?:bearer|basic)\\s)" + Names.VALUE), true, List.of("authorization", "api-key", "cookie", "passw")));

    /** Property and field names whose values are secrets, and what a value looks like. */
    private static final class Names {
        static final String SECRET = "(?:password|passwd|pwd|client_secret|clientsecret|client-secret|secret|refresh_token|refreshtoken"
                + "|access_token|accesstoken|id_token|api[_-]?key|x-api-key|apikey|token|authorization|app_password|assertion"
                + "|private_key|encryption[_-]?key|jwt[_-]?secret|code_verifier)";
        // each name of SECRET holds one of these
        static final List<String> SECRET_HINTS = List.of("pass", "pwd", "secret", "token", "api", "authorization", "assertion",
                "private_key", "encryption", "code_verifier");
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
        String lower = out.toLowerCase(Locale.ROOT);
        for (Rule rule : RULES) {
            if (!rule.mayMatch(out, lower)) {
                continue;
            }
            Matcher m = rule.pattern().matcher(out);
            if (m.find()) {
                out = m.replaceAll(r -> Matcher.quoteReplacement(r.group(1) + MASK));
                lower = out.toLowerCase(Locale.ROOT);
            }
        }
        return out;
    }
}
