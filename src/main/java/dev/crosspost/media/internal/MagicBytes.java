package dev.crosspost.media.internal;

import org.jspecify.annotations.Nullable;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Recognises the accepted formats by their leading bytes, and polyglots by what readers of other formats look for:
 * markup or a PDF header near the start (browsers and PDF readers sniff the first KB), a ZIP central directory at
 * the end (ZIP readers read from the end: GIFAR/JAR tricks), or bytes after an image's own end marker.
 */
final class MagicBytes {

    /** How many leading bytes {@link #sniff} and {@link #foreignHead} need. */
    static final int HEAD = 1024;
    /** How many trailing bytes {@link #foreignTail} needs: a ZIP end record with the longest comment. */
    static final int TAIL = 65_535 + 22;

    private static final byte[] PNG_END = {0, 0, 0, 0, 'I', 'E', 'N', 'D', (byte) 0xAE, 0x42, 0x60, (byte) 0x82};
    private static final String[] MARKUP = {"<html", "<script", "<?php", "<svg", "<!doctype", "<?xml", "<body", "<iframe"};

    private MagicBytes() {
    }

    static Optional<Sniffed> sniff(byte[] head, int length) {
        if (length >= 12 && ascii(head, 4, 4).equals("ftyp")) {
            String brand = ascii(head, 8, 4);
            return Optional.of(brand.equals("qt  ") ? Sniffed.MOV : Sniffed.MP4);
        }
        if (length >= 8 && (ascii(head, 4, 4).equals("moov") || ascii(head, 4, 4).equals("wide") || ascii(head, 4, 4).equals("mdat"))) {
            return Optional.of(Sniffed.MOV);
        }
        if (length >= 4 && (head[0] & 0xFF) == 0x1A && (head[1] & 0xFF) == 0x45 && (head[2] & 0xFF) == 0xDF && (head[3] & 0xFF) == 0xA3) {
            // EBML: only the WebM doctype, not any Matroska
            return indexOf(head, length, "webm".getBytes(StandardCharsets.US_ASCII)) >= 0 ? Optional.of(Sniffed.WEBM) : Optional.empty();
        }
        if (length >= 3 && (head[0] & 0xFF) == 0xFF && (head[1] & 0xFF) == 0xD8 && (head[2] & 0xFF) == 0xFF) {
            return Optional.of(Sniffed.JPEG);
        }
        if (length >= 8 && Arrays.equals(Arrays.copyOf(head, 8), new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A})) {
            return Optional.of(Sniffed.PNG);
        }
        if (length >= 12 && ascii(head, 0, 4).equals("RIFF") && ascii(head, 8, 4).equals("WEBP")) {
            return Optional.of(Sniffed.WEBP);
        }
        if (length >= 6 && (ascii(head, 0, 6).equals("GIF87a") || ascii(head, 0, 6).equals("GIF89a"))) {
            return Optional.of(Sniffed.GIF);
        }
        return Optional.empty();
    }

    /** Another format's signature near the start, or null. */
    static @Nullable String foreignHead(byte[] head, int length) {
        String text = new String(head, 0, length, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
        for (String marker : MARKUP) {
            if (text.contains(marker)) {
                return "markup (" + marker + ")";
            }
        }
        return text.contains("%pdf-") ? "a PDF header" : null;
    }

    /** Another format's structure at the end, or bytes after the image's end marker, or null. */
    static @Nullable String foreignTail(Sniffed type, byte[] tail, int length) {
        if (indexOf(tail, length, new byte[] {'P', 'K', 5, 6}) >= 0) {
            return "a ZIP archive";
        }
        return switch (type) {
            case PNG -> endsWith(tail, length, PNG_END) ? null : "data after the PNG end";
            case GIF -> length > 0 && tail[length - 1] == 0x3B ? null : "data after the GIF end";
            case JPEG -> length >= 2 && (tail[length - 2] & 0xFF) == 0xFF && (tail[length - 1] & 0xFF) == 0xD9 ? null : "data after the JPEG end";
            default -> null;
        };
    }

    private static boolean endsWith(byte[] data, int length, byte[] suffix) {
        return length >= suffix.length && Arrays.equals(data, length - suffix.length, length, suffix, 0, suffix.length);
    }

    private static String ascii(byte[] data, int from, int length) {
        return new String(data, from, length, StandardCharsets.ISO_8859_1);
    }

    private static int indexOf(byte[] data, int length, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (data[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
