package dev.crosspost.media.internal;

import dev.crosspost.publishing.adapter.MediaRef;
import dev.crosspost.publishing.adapter.MediaSource;
import dev.crosspost.system.SystemSettings;
import org.springframework.stereotype.Component;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * What the engine streams: {@code asset:<id>} from the media store (local or S3, seeking with a ranged read), and
 * {@code file:} URIs inside the data dir; anything else, or outside it, is refused.
 */
@Component
class StoredMediaSource implements MediaSource {

    private final AssetStore assets;
    private final Storage storage;
    private final Path root;

    StoredMediaSource(AssetStore assets, Storage storage, SystemSettings system) {
        this.assets = assets;
        this.storage = storage;
        this.root = system.dataDir().toAbsolutePath().normalize();
    }

    @Override
    public InputStream open(MediaRef media) throws IOException {
        return open(media, 0);
    }

    @Override
    public InputStream open(MediaRef media, long offset) throws IOException {
        String location = media.location();
        if (location.startsWith("asset:")) {
            UUID id;
            try {
                id = UUID.fromString(location.substring("asset:".length()));
            } catch (IllegalArgumentException e) {
                throw new IOException("malformed asset location");
            }
            var stored = assets.find(id).orElseThrow(() -> new FileNotFoundException("asset " + id + " does not exist"));
            return storage.open(stored.storageKey(), offset);
        }
        SeekableByteChannel channel = Files.newByteChannel(file(location));
        channel.position(offset);
        return Channels.newInputStream(channel);
    }

    private Path file(String location) throws IOException {
        URI uri;
        try {
            uri = URI.create(location);
        } catch (IllegalArgumentException e) {
            throw new IOException("malformed media location");
        }
        if (!"file".equals(uri.getScheme())) {
            throw new IOException("unsupported media location scheme: " + uri.getScheme());
        }
        // the real path, so a symlink inside the data dir cannot point outside it
        Path path = Path.of(uri).toAbsolutePath().normalize().toRealPath();
        if (!path.startsWith(root.toRealPath())) {
            throw new IOException("media outside the data dir is refused");
        }
        return path;
    }
}
