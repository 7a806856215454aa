package dev.crosspost.media.internal;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.time.Instant;
import java.util.function.BiConsumer;

/**
 * Stored files in an S3-compatible bucket. Files above the part size go up as a multipart upload, streamed from disk
 * one part at a time; an upload that fails is aborted so no parts are left behind.
 */
class S3Storage implements Storage {

    private final S3Client s3;
    private final S3Presigner presigner;
    private final String bucket;
    private final long partSize;

    S3Storage(S3Client s3, S3Presigner presigner, String bucket, long partSize) {
        this.s3 = s3;
        this.presigner = presigner;
        this.bucket = bucket;
        this.partSize = partSize;
    }

    @Override
    public void put(String key, Path file, String contentType) throws IOException {
        Storage.checked(key);
        if (exists(key)) {
            return;
        }
        long size = Files.size(file);
        try {
            if (size <= partSize) {
                s3.putObject(b -> b.bucket(bucket).key(key).contentType(contentType), RequestBody.fromFile(file));
            } else {
                multipart(key, file, contentType, size);
            }
        } catch (S3Exception e) {
            throw new IOException("storing " + key + " failed: " + e.awsErrorDetails().errorCode(), e);
        }
    }

    private void multipart(String key, Path file, String contentType, long size) throws IOException {
        String uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(key).contentType(contentType)).uploadId();
        try (InputStream in = Files.newInputStream(file)) {
            List<CompletedPart> parts = new ArrayList<>();
            int number = 1;
            for (long offset = 0; offset < size; offset += partSize, number++) {
                long length = Math.min(partSize, size - offset);
                int partNumber = number;
                String etag = s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(partNumber).contentLength(length),
                        RequestBody.fromInputStream(new BoundedInputStream(in, length), length)).eTag();
                parts.add(CompletedPart.builder().partNumber(partNumber).eTag(etag).build());
            }
            s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId)
                    .multipartUpload(CompletedMultipartUpload.builder().parts(parts).build()));
        } catch (IOException | RuntimeException e) {
            s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
            throw e;
        }
    }

    @Override
    public InputStream open(String key, long offset) throws IOException {
        Storage.checked(key);
        try {
            return s3.getObject(b -> {
                b.bucket(bucket).key(key);
                if (offset > 0) {
                    b.range("bytes=" + offset + "-");
                }
            });
        } catch (NoSuchKeyException e) {
            throw new java.io.FileNotFoundException(key);
        }
    }

    @Override
    public boolean exists(String key) throws IOException {
        try {
            s3.headObject(b -> b.bucket(bucket).key(Storage.checked(key)));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw new IOException("checking " + key + " failed", e);
        }
    }

    @Override
    public void delete(String key) {
        s3.deleteObject(b -> b.bucket(bucket).key(Storage.checked(key)));
    }

    @Override
    public void forEachKey(BiConsumer<String, Instant> action) {
        s3.listObjectsV2Paginator(b -> b.bucket(bucket)).contents()
                .forEach(o -> {
                    if (Storage.KEY.matcher(o.key()).matches()) {
                        action.accept(o.key(), o.lastModified());
                    }
                });
    }

    @Override
    public Optional<URI> presignGet(String key, Duration ttl) {
        Storage.checked(key);
        var request = presigner.presignGetObject(b -> b.signatureDuration(ttl).getObjectRequest(g -> g.bucket(bucket).key(key)));
        return Optional.of(URI.create(request.url().toString()));
    }

    @Override
    public Optional<URI> presignPut(String key, String contentType, Duration ttl) {
        Storage.checked(key);
        var request = presigner.presignPutObject(b -> b.signatureDuration(ttl)
                .putObjectRequest(p -> p.bucket(bucket).key(key).contentType(contentType)));
        return Optional.of(URI.create(request.url().toString()));
    }

    /** At most {@code remaining} bytes of a shared stream, leaving the rest for the next part. */
    private static final class BoundedInputStream extends InputStream {
        private final InputStream in;
        private long remaining;

        BoundedInputStream(InputStream in, long remaining) {
            this.in = in;
            this.remaining = remaining;
        }

        @Override
        public int read() throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int b = in.read();
            if (b >= 0) {
                remaining--;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int off, int len) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int n = in.read(buffer, off, (int) Math.min(len, remaining));
            if (n > 0) {
                remaining -= n;
            }
            return n;
        }

        @Override
        public void close() {
            // the shared stream is closed by its owner
        }
    }
}
