package dev.crosspost.identity;

import java.io.Serializable;
import java.util.Set;
import java.util.UUID;

/**
 * The signed-in principal of a request, however it signed in. Controllers learn the workspace through
 * {@code Workspaces.current(request)}; pages may take this as {@code @AuthenticationPrincipal Caller}.
 *
 * @param scopes what an API key may do ({@code read}, {@code write}, {@code <resource>:write}, {@code admin});
 *         empty for people, who may do everything their role allows
 */
public record Caller(UUID userId, UUID workspaceId, String email, boolean admin, Via via, Set<String> scopes)
        implements Serializable {

    /** How the caller proved who it is. */
    public enum Via { SESSION, ACCESS_TOKEN, API_KEY }

    public Caller {
        scopes = Set.copyOf(scopes);
    }
}
