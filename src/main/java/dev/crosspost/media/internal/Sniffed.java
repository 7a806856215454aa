package dev.crosspost.media.internal;

/** A type recognised from a file's leading bytes. */
enum Sniffed {
    MP4("video", "video/mp4", "mp4"),
    MOV("video", "video/quicktime", "mov"),
    WEBM("video", "video/webm", "webm"),
    JPEG("image", "image/jpeg", "jpg"),
    PNG("image", "image/png", "png"),
    WEBP("image", "image/webp", "webp"),
    GIF("image", "image/gif", "gif");

    final String kind;
    final String contentType;
    final String extension;

    Sniffed(String kind, String contentType, String extension) {
        this.kind = kind;
        this.contentType = contentType;
        this.extension = extension;
    }

    boolean video() {
        return kind.equals("video");
    }

    static Sniffed fromContentType(String contentType) {
        for (Sniffed s : values()) {
            if (s.contentType.equals(contentType)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown content type " + contentType);
    }
}
