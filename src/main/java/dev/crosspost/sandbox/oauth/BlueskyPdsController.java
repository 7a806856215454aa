package dev.crosspost.sandbox.oauth;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.Map;

/**
 * The session procedures of a simulated Bluesky PDS at {@code /sandbox/oauth/bluesky}: {@code createSession} with an
 * app password, {@code refreshSession} (refreshJwt as bearer, no body; both JWTs rotate), {@code deleteSession} and
 * {@code getSession}. Errors are XRPC's {@code {"error","message"}}.
 */
@RestController
@OAuthSandboxEnabled
@RequestMapping("/sandbox/oauth/bluesky/xrpc")
class BlueskyPdsController {

    private final AuthorizationServer server;

    BlueskyPdsController(AuthorizationServer server) {
        this.server = server;
    }

    /** The createSession input; the password is only checked, never kept. */
    record CreateSession(@Nullable String identifier, @Nullable String password, @Nullable String authFactorToken) {
        @Override
        public String toString() {
            return "CreateSession[identifier=" + identifier + ", password=****]";
        }
    }

    @PostMapping(path = "/com.atproto.server.createSession", consumes = MediaType.APPLICATION_JSON_VALUE)
    Map<String, Object> createSession(@RequestBody CreateSession body) {
        return server.createSession(body.identifier(), body.password());
    }

    @PostMapping("/com.atproto.server.refreshSession")
    Map<String, Object> refreshSession(@RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) @Nullable String authorization) {
        return server.refreshSession(authorization);
    }

    @PostMapping("/com.atproto.server.deleteSession")
    ResponseEntity<Void> deleteSession(@RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) @Nullable String authorization) {
        server.deleteSession(authorization);
        return ResponseEntity.ok().build();
    }

    @GetMapping("/com.atproto.server.getSession")
    Map<String, Object> getSession(@RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) @Nullable String authorization) {
        return server.getSession(authorization);
    }

    @ExceptionHandler(OAuthError.class)
    ResponseEntity<Map<String, Object>> error(OAuthError e) {
        return ResponseEntity.status(e.status()).contentType(MediaType.APPLICATION_JSON).body(e.body());
    }
}
