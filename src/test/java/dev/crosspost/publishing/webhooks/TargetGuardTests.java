package dev.crosspost.publishing.webhooks;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which webhook URLs are stored and which addresses a delivery may reach. */
class TargetGuardTests {

    /** A fake DNS: names map to fixed addresses, others do not resolve. */
    private static final TargetGuard.Resolver DNS = host -> {
        Map<String, String> zone = Map.of(
                "hooks.example.com", "93.184.215.14",
                "rebind.example.com", "10.1.2.3",
                "mixed.example.com", "93.184.215.14,127.0.0.1",
                "metadata.example.com", "169.254.169.254",
                "v6.example.com", "2606:4700::6810:84e5");
        String answer = zone.get(host);
        if (answer == null) {
            // literals resolve to themselves, as InetAddress does, without a lookup
            if (host.matches("[0-9.]+") || host.startsWith("[")) {
                return InetAddress.getAllByName(host);
            }
            throw new UnknownHostException(host);
        }
        String[] parts = answer.split(",");
        InetAddress[] out = new InetAddress[parts.length];
        for (int i = 0; i < parts.length; i++) {
            out[i] = InetAddress.getByName(parts[i]);
        }
        return out;
    };

    private final TargetGuard strict = new TargetGuard(false, false, DNS);
    private final TargetGuard dev = new TargetGuard(true, true, DNS);

    @Test
    void aPublicHttpsUrlIsFine() {
        assertThat(strict.problems("https://hooks.example.com/crosspost?team=7")).isEmpty();
        assertThat(strict.problems("https://v6.example.com:8443/in")).isEmpty();
    }

    @Test
    void httpIsRefusedUnlessAllowed() {
        assertThat(strict.problems("http://hooks.example.com/in")).containsExactly("must be an https:// URL");
        assertThat(dev.problems("http://hooks.example.com/in")).isEmpty();
        assertThat(dev.problems("ftp://hooks.example.com/in")).containsExactly("must be an http:// or https:// URL");
        assertThat(dev.problems("hooks.example.com/in")).contains("must be an http:// or https:// URL");
    }

    @Test
    void credentialsFragmentsAndLongUrlsAreRefused() {
        assertThat(strict.problems("https://user:pw@hooks.example.com/in"))
                .containsExactly("must not contain credentials; verify requests with the signing secret instead");
        assertThat(strict.problems("https://hooks.example.com/in#part")).containsExactly("must not contain a #fragment");
        assertThat(strict.problems("https://hooks.example.com/" + "a".repeat(2048))).containsExactly("must be at most 2048 characters");
        assertThat(strict.problems("https:///nohost")).contains("must name a host");
        assertThat(strict.problems("https://exa mple.com/")).containsExactly("must be an absolute URL like https://example.com/hooks/crosspost");
    }

    @Test
    void hostsResolvingToNonPublicAddressesAreRefused() {
        assertThat(strict.problems("https://rebind.example.com/in")).singleElement().asString()
                .contains("resolves to 10.1.2.3 (private)");
        // every address counts, not just the first
        assertThat(strict.problems("https://mixed.example.com/in")).singleElement().asString().contains("127.0.0.1 (loopback)");
        assertThat(strict.problems("https://metadata.example.com/latest")).singleElement().asString().contains("169.254.169.254");
        assertThat(strict.problems("https://127.0.0.1/in")).singleElement().asString().contains("loopback");
        assertThat(strict.problems("https://2130706433/in")).singleElement().asString().contains("127.0.0.1");
        assertThat(strict.problems("https://[::1]/in")).singleElement().asString().contains("loopback");
        assertThat(strict.problems("https://nowhere.example.com/in")).containsExactly("host nowhere.example.com does not resolve");
        assertThat(dev.problems("http://127.0.0.1:8080/in")).isEmpty();
    }

    @Test
    void theCheckRunsAgainBeforeEachDelivery() {
        assertThatThrownBy(() -> strict.check(URI.create("https://rebind.example.com/in")))
                .isInstanceOf(TargetGuard.RefusedTarget.class).hasMessageContaining("10.1.2.3");
        assertThatThrownBy(() -> strict.check(URI.create("http://hooks.example.com/in")))
                .isInstanceOf(TargetGuard.RefusedTarget.class).hasMessageContaining("allow-http");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0", "0.1.2.3", "10.0.0.1", "100.64.0.1", "100.127.255.254", "100.100.100.200", "127.0.0.1",
            "169.254.169.254", "172.16.0.1", "172.31.255.255", "192.0.0.8", "192.0.2.1", "192.168.1.1", "198.18.0.1", "198.51.100.7",
            "203.0.113.9", "224.0.0.1", "240.0.0.1", "255.255.255.255",
            "::", "::1", "fe80::1", "fc00::1", "fd00:ec2::254", "::ffff:10.0.0.1", "::ffff:127.0.0.1", "::127.0.0.1",
            "64:ff9b::a00:1", "64:ff9b:1::1", "2002:a00:1::1", "2001:db8::1", "ff02::1", "100::1"})
    void nonPublicAddressesAreNamed(String address) throws Exception {
        assertThat(TargetGuard.refusal(InetAddress.getByName(address))).as(address).isNotNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"93.184.215.14", "1.1.1.1", "8.8.8.8", "100.63.255.255", "100.128.0.1", "172.32.0.1", "192.0.1.1",
            "2606:4700::6810:84e5", "2a00:1450:4001:80b::200e", "64:ff9b::808:808", "2002:808:808::1"})
    void publicAddressesPass(String address) throws Exception {
        assertThat(TargetGuard.refusal(InetAddress.getByName(address))).as(address).isNull();
    }
}
