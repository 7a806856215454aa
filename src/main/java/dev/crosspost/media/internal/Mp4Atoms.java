package dev.crosspost.media.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Walks an MP4/MOV's top-level boxes to tell whether the index ({@code moov}) comes before the media ({@code mdat}). */
final class Mp4Atoms {

    private Mp4Atoms() {
    }

    static boolean faststart(Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long position = 0;
            long size = channel.size();
            ByteBuffer header = ByteBuffer.allocate(16);
            while (position + 8 <= size) {
                header.clear();
                channel.read(header, position);
                header.flip();
                if (header.remaining() < 8) {
                    return false;
                }
                long boxSize = Integer.toUnsignedLong(header.getInt());
                String type = new String(new byte[] {header.get(), header.get(), header.get(), header.get()}, java.nio.charset.StandardCharsets.ISO_8859_1);
                if (type.equals("moov")) {
                    return true;
                }
                if (type.equals("mdat")) {
                    return false;
                }
                if (boxSize == 1 && header.remaining() >= 8) {
                    boxSize = header.getLong();
                } else if (boxSize == 0) {
                    return false;
                }
                if (boxSize < 8) {
                    return false;
                }
                position += boxSize;
            }
            return false;
        } catch (IOException e) {
            return false;
        }
    }
}
