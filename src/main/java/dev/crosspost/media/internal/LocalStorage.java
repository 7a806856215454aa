package dev.crosspost.media.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Optional;
import java.time.Instant;
import java.util.function.BiConsumer;

/** Stored files on local disk under {@code data-dir/media/objects}. */
class LocalStorage implements Storage {

    private final Path root;

    LocalStorage(Path root) throws IOException {
        this.root = root.toAbsolutePath().normalize();
        Files.createDirectories(this.root);
    }

    Path path(String key) {
        Path path = root.resolve(Storage.checked(key)).normalize();
        if (!path.startsWith(root)) {
            throw new IllegalArgumentException("not a storage key");
        }
        return path;
    }

    @Override
    public void put(String key, Path file, String contentType) throws IOException {
        Path target = path(key);
        if (Files.exists(target)) {
            // equal content is stored once; a fresh time keeps the sweeper from taking it for an old orphan
            Files.setLastModifiedTime(target, java.nio.file.attribute.FileTime.from(java.time.Instant.now()));
            return;
        }
        Files.createDirectories(target.getParent());
        try {
            Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Path part = target.resolveSibling(target.getFileName() + ".part");
            Files.copy(file, part, StandardCopyOption.REPLACE_EXISTING);
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    @Override
    public InputStream open(String key, long offset) throws IOException {
        SeekableByteChannel channel = Files.newByteChannel(path(key));
        channel.position(offset);
        return Channels.newInputStream(channel);
    }

    @Override
    public boolean exists(String key) {
        return Files.exists(path(key));
    }

    @Override
    public void delete(String key) throws IOException {
        Files.deleteIfExists(path(key));
    }

    @Override
    public void forEachKey(BiConsumer<String, Instant> action) throws IOException {
        if (!Files.isDirectory(root)) {
            return;
        }
        try (var files = Files.walk(root)) {
            files.filter(Files::isRegularFile).forEach(p -> {
                String key = root.relativize(p).toString().replace('\\', '/');
                if (Storage.KEY.matcher(key).matches()) {
                    try {
                        action.accept(key, Files.getLastModifiedTime(p).toInstant());
                    } catch (IOException e) {
                        // deleted meanwhile
                    }
                }
            });
        }
    }

    @Override
    public Optional<URI> presignGet(String key, Duration ttl) {
        return Optional.empty();
    }

    @Override
    public Optional<URI> presignPut(String key, String contentType, Duration ttl) {
        return Optional.empty();
    }
}
