package dev.crosspost.publishing.adapter;

import java.io.IOException;
import java.io.InputStream;

/** Opens media for streaming uploads. */
public interface MediaSource {

    InputStream open(MediaRef media) throws IOException;

    /** The media from byte {@code offset} on, for chunked and resumed uploads; implementations seek, not read. */
    default InputStream open(MediaRef media, long offset) throws IOException {
        InputStream in = open(media);
        in.skipNBytes(offset);
        return in;
    }
}
