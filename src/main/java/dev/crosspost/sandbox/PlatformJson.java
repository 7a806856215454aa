package dev.crosspost.sandbox;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

import java.util.List;

/** The JSON bodies of the platform protocol, in its snake_case field names. */
final class PlatformJson {

    private PlatformJson() {
    }

    /** The body of {@code POST /posts}. */
    record PostBody(@Nullable String account, @Nullable String text,
                    @JsonProperty("upload_id") @Nullable String uploadId,
                    @JsonProperty("client_ref") @Nullable String clientRef) {

        SimulatedPlatforms.NewPost toNewPost() {
            return new SimulatedPlatforms.NewPost(account, text, uploadId, clientRef);
        }
    }

    /** The answer to {@code POST /uploads}. */
    record UploadCreated(@JsonProperty("upload_id") String uploadId, long size, String sha256) {
    }

    /** The answer to {@code GET /uploads/{id}}. */
    record UploadStatus(@JsonProperty("upload_id") String uploadId, String status, int progress) {
    }

    /** The answer to {@code POST /posts}. */
    record PostCreated(String id, String url, @JsonProperty("created_at") String createdAt) {
        static PostCreated of(RecordedPost post) {
            return new PostCreated(post.id(), post.url(), post.createdAt().toString());
        }
    }

    /** A post as the lookup, {@code GET /p/{id}} and the records show it. */
    record PostView(String id, String url, String account, String text,
                    @JsonProperty("client_ref") @Nullable String clientRef,
                    @JsonProperty("upload_id") @Nullable String uploadId,
                    @JsonProperty("created_at") String createdAt) {
        static PostView of(RecordedPost post) {
            return new PostView(post.id(), post.url(), post.account(), post.text(), post.clientRef(), post.uploadId(),
                    post.createdAt().toString());
        }
    }

    /** A page of posts. */
    record PostList(List<PostView> data) {
    }

    /** The error envelope. */
    record ErrorBody(ErrorDetail error) {
        static ErrorBody of(SandboxException e) {
            RecordedPost existing = e.existing();
            return new ErrorBody(new ErrorDetail(e.code(), e.getMessage() == null ? e.code() : e.getMessage(),
                    existing == null ? null : existing.id(), existing == null ? null : existing.url()));
        }
    }

    /** What went wrong; {@code existing_*} only on {@code duplicate}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ErrorDetail(String code, String message,
                       @JsonProperty("existing_id") @Nullable String existingId,
                       @JsonProperty("existing_url") @Nullable String existingUrl) {
    }

    /** The answer to {@code GET /sandbox/records}. */
    record RecordsView(String platform, int accepted, long duplicates, long quota429, long injected429, List<PostView> posts) {
    }
}
