package dev.crosspost.system.net;

import org.jspecify.annotations.Nullable;

import java.net.Inet4Address;
import java.net.InetAddress;

/** Which IP addresses are not on the public internet, and why. */
public final class Addresses {

    private Addresses() {
    }

    /** Why an address is not on the public internet, or null when it is. */
    public static @Nullable String refusal(InetAddress address) {
        if (address.isAnyLocalAddress()) {
            return "unspecified";
        }
        if (address.isLoopbackAddress()) {
            return "loopback";
        }
        if (address.isLinkLocalAddress()) {
            return "link-local";
        }
        if (address.isSiteLocalAddress()) {
            return "private";
        }
        if (address.isMulticastAddress()) {
            return "multicast";
        }
        byte[] b = address.getAddress();
        return address instanceof Inet4Address ? v4(b, 0) : v6(b);
    }

    /** Whether the address is loopback, in any form (127/8, ::1, IPv4-mapped loopback). */
    public static boolean isLoopback(InetAddress address) {
        if (address.isLoopbackAddress()) {
            return true;
        }
        byte[] b = address.getAddress();
        return b.length == 16 && allZero(b, 0, 10) && b[10] == (byte) 0xff && b[11] == (byte) 0xff && (b[12] & 0xff) == 127;
    }

    private static @Nullable String v4(byte[] b, int at) {
        int a = b[at] & 0xff;
        int c = b[at + 1] & 0xff;
        int d = b[at + 2] & 0xff;
        if (a == 0) {
            return "this-network";
        }
        if (a == 10 || (a == 172 && (c & 0xf0) == 16) || (a == 192 && c == 168)) {
            return "private";
        }
        if (a == 127) {
            return "loopback";
        }
        if (a == 100 && (c & 0xc0) == 64) {
            return "carrier-grade NAT"; // 100.64.0.0/10, also some clouds' metadata (100.100.100.200)
        }
        if (a == 169 && c == 254) {
            return "link-local (cloud metadata)";
        }
        if (a == 192 && c == 0 && (d == 0 || d == 2)) {
            return "reserved";
        }
        if ((a == 198 && (c & 0xfe) == 18) || (a == 198 && c == 51 && d == 100) || (a == 203 && c == 0 && d == 113)) {
            return "reserved";
        }
        if (a >= 224) {
            return "multicast or reserved";
        }
        return null;
    }

    private static @Nullable String v6(byte[] b) {
        int b0 = b[0] & 0xff;
        int b1 = b[1] & 0xff;
        if ((b0 & 0xfe) == 0xfc) {
            return "unique-local"; // fc00::/7, also fd00:ec2::254 (metadata)
        }
        if (b0 == 0xfe && (b1 & 0x80) == 0x80) {
            return "link-local";
        }
        if (allZero(b, 0, 10) && ((b[10] == (byte) 0xff && b[11] == (byte) 0xff) || (b[10] == 0 && b[11] == 0))) {
            String inner = v4(b, 12); // IPv4-mapped ::ffff:a.b.c.d and IPv4-compatible ::a.b.c.d
            return inner == null ? null : "IPv4 " + inner;
        }
        if (b0 == 0x00 && b1 == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b) {
            if (allZero(b, 4, 12)) {
                String inner = v4(b, 12); // NAT64 64:ff9b::/96 reaches the embedded IPv4 address
                return inner == null ? null : "NAT64 to " + inner;
            }
            return "local NAT64"; // 64:ff9b:1::/48
        }
        if (b0 == 0x20 && b1 == 0x02) {
            String inner = v4(b, 2); // 6to4 2002::/16 embeds an IPv4 address
            return inner == null ? null : "6to4 to " + inner;
        }
        if (b0 == 0x20 && b1 == 0x01 && (b[2] & 0xff) == 0x0d && (b[3] & 0xff) == 0xb8) {
            return "documentation";
        }
        if (b0 == 0x01 && b1 == 0x00 && allZero(b, 2, 8)) {
            return "discard-only";
        }
        return null;
    }

    private static boolean allZero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
