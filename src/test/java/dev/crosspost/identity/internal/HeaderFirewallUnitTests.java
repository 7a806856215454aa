package dev.crosspost.identity.internal;

import org.junit.jupiter.api.Test;

import java.util.Random;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class HeaderFirewallUnitTests {

    /** Spring Security's own rule for header names and values, which the loop replaces. */
    private static final Pattern FIREWALL_RULE = Pattern.compile("[\\p{IsAssigned}&&[^\\p{IsControl}]]*");

    @Test
    void agreesWithTheFirewallsRegexOnEveryCodePointAndOnMixedStrings() {
        for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp++) {
            String s = new String(Character.toChars(cp));
            assertThat(HeaderFirewall.assignedAndNotControl(s)).as("U+%04X", cp).isEqualTo(FIREWALL_RULE.matcher(s).matches());
        }
        Random random = new Random(7);
        int[] interesting = {'a', 'Z', ' ', '\t', 0x7f, 0x85, 0xe9, 0x378, 0xd800, 0xdc00, 0x1f600, 0xe0001, 0x10ffff};
        for (int i = 0; i < 20_000; i++) {
            StringBuilder b = new StringBuilder();
            for (int n = random.nextInt(6); n > 0; n--) {
                int cp = interesting[random.nextInt(interesting.length)];
                if (cp >= 0xd800 && cp <= 0xdfff) {
                    b.append((char) cp); // a lone surrogate, as a broken client could send
                } else {
                    b.appendCodePoint(cp);
                }
            }
            String s = b.toString();
            assertThat(HeaderFirewall.assignedAndNotControl(s)).as(s).isEqualTo(FIREWALL_RULE.matcher(s).matches());
        }
        assertThat(HeaderFirewall.assignedAndNotControl("Bearer eyJhbGciOiJIUzI1NiJ9.e30.x")).isTrue();
        assertThat(HeaderFirewall.assignedAndNotControl("a\u0085b")).isFalse();
    }
}
