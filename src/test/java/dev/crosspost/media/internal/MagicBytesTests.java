package dev.crosspost.media.internal;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class MagicBytesTests {

    static final byte[] PNG_HEAD = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
    static final byte[] PNG_END = {0, 0, 0, 0, 'I', 'E', 'N', 'D', (byte) 0xAE, 0x42, 0x60, (byte) 0x82};

    @Test
    void recognisesEveryAcceptedFormatByItsBytes() {
        assertThat(sniff(bytes(0, 0, 0, 0x20, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm'))).isEqualTo(Sniffed.MP4);
        assertThat(sniff(bytes(0, 0, 0, 0x14, 'f', 't', 'y', 'p', 'q', 't', ' ', ' '))).isEqualTo(Sniffed.MOV);
        assertThat(sniff(concat(bytes(0x1A, 0x45, 0xDF, 0xA3, 0x9F, 0x42, 0x82, 0x84), "webm".getBytes(StandardCharsets.US_ASCII)))).isEqualTo(Sniffed.WEBM);
        assertThat(sniff(bytes(0xFF, 0xD8, 0xFF, 0xE0))).isEqualTo(Sniffed.JPEG);
        assertThat(sniff(PNG_HEAD)).isEqualTo(Sniffed.PNG);
        assertThat(sniff(concat("RIFF\0\0\0\0WEBPVP8 ".getBytes(StandardCharsets.ISO_8859_1)))).isEqualTo(Sniffed.WEBP);
        assertThat(sniff("GIF89a..".getBytes(StandardCharsets.US_ASCII))).isEqualTo(Sniffed.GIF);
        assertThat(MagicBytes.sniff("%PDF-1.7".getBytes(StandardCharsets.US_ASCII), 8)).isEmpty();
        assertThat(MagicBytes.sniff(concat(bytes(0x1A, 0x45, 0xDF, 0xA3), "matroska".getBytes(StandardCharsets.US_ASCII)), 12)).isEmpty();
    }

    @Test
    void findsForeignFormatsHiddenInAnImage() {
        byte[] gifWithScript = "GIF89a/*<script>alert(1)</script>*/".getBytes(StandardCharsets.US_ASCII);
        assertThat(MagicBytes.foreignHead(gifWithScript, gifWithScript.length)).contains("<script");

        byte[] pngWithZip = concat(PNG_HEAD, PNG_END, bytes('P', 'K', 5, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
        assertThat(MagicBytes.foreignTail(Sniffed.PNG, pngWithZip, pngWithZip.length)).isEqualTo("a ZIP archive");

        byte[] jpegWithTrailer = concat(bytes(0xFF, 0xD8, 0xFF, 0xE0, 0xFF, 0xD9), "<?php echo 1; ?>".getBytes(StandardCharsets.US_ASCII));
        assertThat(MagicBytes.foreignTail(Sniffed.JPEG, jpegWithTrailer, jpegWithTrailer.length)).isEqualTo("data after the JPEG end");

        byte[] cleanPng = concat(PNG_HEAD, PNG_END);
        assertThat(MagicBytes.foreignTail(Sniffed.PNG, cleanPng, cleanPng.length)).isNull();
        assertThat(MagicBytes.foreignHead(cleanPng, cleanPng.length)).isNull();
    }

    private static Sniffed sniff(byte[] head) {
        return MagicBytes.sniff(head, head.length).orElseThrow();
    }

    static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    static byte[] concat(byte[]... parts) {
        var out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
