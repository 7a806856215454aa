package dev.crosspost.publishing.engine;

import dev.crosspost.publishing.adapter.MediaRef;
import dev.crosspost.publishing.adapter.MediaSource;
import dev.crosspost.system.SystemSettings;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/** Streams {@code file:} media from inside the data dir; anything outside it is refused. */
@Component
class LocalMediaSource implements MediaSource {

    private final Path root;

    LocalMediaSource(SystemSettings settings) {
        this.root = settings.dataDir().toAbsolutePath().normalize();
    }

    @Override
    public InputStream open(MediaRef media) throws IOException {
        return Files.newInputStream(resolve(media));
    }

    @Override
    public InputStream open(MediaRef media, long offset) throws IOException {
        SeekableByteChannel channel = Files.newByteChannel(resolve(media));
        channel.position(offset);
        return Channels.newInputStream(channel);
    }

    private Path resolve(MediaRef media) throws IOException {
        URI uri = URI.create(media.location());
        if (!"file".equals(uri.getScheme())) {
            throw new IOException("unsupported media location scheme: " + uri.getScheme());
        }
        Path path = Path.of(uri).toAbsolutePath().normalize();
        if (!path.startsWith(root)) {
            throw new IOException("media outside the data dir is refused");
        }
        return path;
    }
}
