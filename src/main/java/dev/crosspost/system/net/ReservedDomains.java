package dev.crosspost.system.net;

import java.net.URI;
import java.util.Locale;

/**
 * Answers {@link SafeFetcher} fetches of the RFC 2606 example names ({@code example.com}, {@code example.org},
 * {@code example.net} and their subdomains), which can never be real hosts, without any network. The sandbox
 * registers one so sample data linking such URLs works offline; with none registered (production) such a URL is
 * fetched like any other and fails to resolve. Only these names are ever answered here.
 */
@FunctionalInterface
public interface ReservedDomains {

    /**
     * The answer to a GET of {@code uri}, whose host is reserved.
     *
     * @return {@code status} 200 with the body, or another status (the fetch then fails with it)
     */
    Answer answer(URI uri);

    /** An HTTP-like answer; only a 200's body is used, and its type is sniffed by the fetcher like any other. */
    record Answer(int status, byte[] body) {
    }

    /** Whether {@code host} is one of the reserved example names or below one. */
    static boolean isReserved(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        for (String name : new String[] {"example.com", "example.org", "example.net"}) {
            if (h.equals(name) || h.endsWith("." + name)) {
                return true;
            }
        }
        return false;
    }
}
