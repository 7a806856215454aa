package dev.crosspost.publishing.adapter;

import java.io.IOException;
import java.io.InputStream;

/** Opens media for streaming uploads. */
public interface MediaSource {
    InputStream open(MediaRef media) throws IOException;
}
