package dev.crosspost.identity.internal;

import org.springframework.security.web.firewall.StrictHttpFirewall;

/**
 * Spring Security's strict firewall with its header check written as a loop instead of its regex
 * ({@code [\p{IsAssigned}&&[^\p{IsControl}]]*}): the same rule, but the regex ran on every header read through the
 * firewalled request, which was 5% of the CPU of an authenticated API call with a bearer token.
 */
final class HeaderFirewall {
    private HeaderFirewall() {
    }

    static StrictHttpFirewall strict() {
        StrictHttpFirewall firewall = new StrictHttpFirewall();
        firewall.setAllowedHeaderNames(HeaderFirewall::assignedAndNotControl);
        firewall.setAllowedHeaderValues(HeaderFirewall::assignedAndNotControl);
        return firewall;
    }

    /** True when every code point is assigned in Unicode and is not a control character (what the firewall's regex says). */
    static boolean assignedAndNotControl(String s) {
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            if (cp < 0x20 || cp >= 0x7f) { // printable ASCII needs no lookup
                int type = Character.getType(cp);
                if (type == Character.UNASSIGNED || type == Character.CONTROL) {
                    return false;
                }
            }
            i += Character.charCount(cp);
        }
        return true;
    }
}
