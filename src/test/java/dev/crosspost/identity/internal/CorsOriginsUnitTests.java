package dev.crosspost.identity.internal;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The CORS allowlist: exact origins and {@code *.domain} wildcards, against the usual tricks. */
class CorsOriginsUnitTests {

    private final CorsOrigins origins = new CorsOrigins(List.of("https://app.example.com", "https://*.example.org", "http://localhost:5173",
            "https://*.ports.example.net:8443"));

    @Test
    void exactOriginsMatchExactly() {
        assertThat(origins.allows("https://app.example.com")).isTrue();
        assertThat(origins.allows("https://APP.Example.com")).as("hosts are case-insensitive").isTrue();
        assertThat(origins.allows("https://app.example.com:443")).as("the default port is the same origin").isTrue();
        assertThat(origins.allows("http://localhost:5173")).isTrue();

        assertThat(origins.allows("http://app.example.com")).as("scheme").isFalse();
        assertThat(origins.allows("https://app.example.com:8443")).as("port").isFalse();
        assertThat(origins.allows("https://xapp.example.com")).isFalse();
        assertThat(origins.allows("https://app.example.com.evil.net")).isFalse();
        assertThat(origins.allows("https://evil.app.example.com")).as("an exact entry has no subdomains").isFalse();
        assertThat(origins.allows("http://localhost:5174")).isFalse();
    }

    @Test
    void aWildcardMatchesOneOrMoreLabelsAndNeverTheBareDomainOrALookAlike() {
        assertThat(origins.allows("https://a.example.org")).isTrue();
        assertThat(origins.allows("https://a.b.example.org")).isTrue();
        assertThat(origins.allows("https://a.ports.example.net:8443")).isTrue();

        assertThat(origins.allows("https://example.org")).as("the bare domain").isFalse();
        assertThat(origins.allows("https://evil-example.org")).as("a suffix without the dot").isFalse();
        assertThat(origins.allows("https://evilexample.org")).isFalse();
        assertThat(origins.allows("https://example.org.evil.net")).isFalse();
        assertThat(origins.allows("https://a.example.org.evil.net")).isFalse();
        assertThat(origins.allows("http://a.example.org")).as("scheme").isFalse();
        assertThat(origins.allows("https://a.example.org:444")).as("port").isFalse();
        assertThat(origins.allows("https://a.ports.example.net")).as("port missing").isFalse();
        assertThat(origins.allows("https://.example.org")).as("empty label").isFalse();
        assertThat(origins.allows("https://a..example.org")).isFalse();
        assertThat(origins.allows("https://a_b.example.org")).as("not a hostname").isFalse();
        assertThat(origins.allows("https://-a.example.org")).isFalse();
    }

    @Test
    void thingsThatAreNotOriginsAreRefused() {
        assertThat(origins.allows(null)).isFalse();
        assertThat(origins.allows("null")).isFalse();
        assertThat(origins.allows("")).isFalse();
        assertThat(origins.allows("https://a.example.org/")).as("a path").isFalse();
        assertThat(origins.allows("https://user@a.example.org")).as("userinfo").isFalse();
        assertThat(origins.allows("https://evil.net#.example.org")).isFalse();
        assertThat(origins.allows("https://evil.net?.example.org")).isFalse();
        assertThat(origins.allows("https://a.example.org\r\nX-Injected: 1")).isFalse();
        assertThat(origins.allows("https://" + "a.".repeat(200) + "example.org")).as("too long").isFalse();
    }
}
