package dev.crosspost.sandbox.oauth;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.Map;

/**
 * The simulated authorization servers over HTTP. Per platform: {@code GET authorize} (302 back at once),
 * {@code POST token}, {@code POST revoke} (X, TikTok, Google), {@code GET me} (the platform's identity lookup), and
 * Instagram's {@code GET access_token} / {@code GET refresh_access_token}. Controls: {@code POST revoke-grant},
 * {@code PUT controls}, {@code DELETE /sandbox/oauth}.
 */
@RestController
@OAuthSandboxEnabled
@Validated
@RequestMapping("/sandbox/oauth")
class OAuthServerController {

    private final AuthorizationServer server;

    OAuthServerController(AuthorizationServer server) {
        this.server = server;
    }

    /** Runtime switches of one platform's server. */
    record Controls(@Nullable Boolean deny, @Nullable @Min(0) @Max(1000) Integer failNextTokenRequests) {
    }

    @GetMapping("/{platform}/authorize")
    ResponseEntity<Void> authorize(@PathVariable String platform, @RequestParam Map<String, String> query) {
        return ResponseEntity.status(HttpStatus.FOUND).location(server.authorize(flavor(platform), query)).build();
    }

    @PostMapping(path = "/{platform}/token", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
    Map<String, Object> token(@PathVariable String platform, @RequestParam Map<String, String> form,
                              @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) @Nullable String authorization) {
        return server.token(flavor(platform), form, authorization);
    }

    @PostMapping(path = "/{platform}/revoke", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
    Map<String, Object> revoke(@PathVariable String platform, @RequestParam Map<String, String> form,
                               @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) @Nullable String authorization) {
        Flavor f = flavor(platform);
        if (f == Flavor.PINTEREST || f == Flavor.INSTAGRAM) {
            throw f.error(HttpStatus.NOT_FOUND, "not_found", platform + " has no token revocation endpoint");
        }
        return server.revoke(f, form, authorization);
    }

    @GetMapping("/{platform}/me")
    Map<String, Object> me(@PathVariable String platform, @RequestParam Map<String, String> query,
                           @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) @Nullable String authorization) {
        Flavor f = flavor(platform);
        if (f == Flavor.YOUTUBE && !"true".equals(query.get("mine"))) {
            throw f.apiError(HttpStatus.BAD_REQUEST, "No filter selected. Expected one of: mine, id, forHandle");
        }
        // Instagram reads the token from the query, the others from the bearer header
        String token = f == Flavor.INSTAGRAM ? query.get("access_token")
                : authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7) ? authorization.substring(7).trim() : null;
        return server.identity(f, token);
    }

    @GetMapping("/instagram/access_token")
    Map<String, Object> instagramExchange(@RequestParam Map<String, String> query) {
        return server.instagramExchange(query);
    }

    @GetMapping("/instagram/refresh_access_token")
    Map<String, Object> instagramRefresh(@RequestParam Map<String, String> query) {
        return server.instagramRefresh(query);
    }

    @PostMapping("/{platform}/revoke-grant")
    Map<String, Object> revokeGrant(@PathVariable String platform, @RequestParam(required = false) @Nullable String user) {
        if (!"bluesky".equals(platform)) {
            flavor(platform);
        }
        return Map.of("revoked", server.revokeGrant(platform, user));
    }

    @PutMapping("/{platform}/controls")
    Map<String, Object> controls(@PathVariable String platform, @RequestBody @Validated Controls controls) {
        if (controls.deny() != null) {
            server.deny(flavor(platform).platform, controls.deny());
        }
        if (controls.failNextTokenRequests() != null) {
            server.failNextTokenRequests(platform, controls.failNextTokenRequests());
        }
        return server.controls(platform);
    }

    @DeleteMapping
    ResponseEntity<Void> reset() {
        server.reset();
        return ResponseEntity.noContent().build();
    }

    @ExceptionHandler(OAuthError.class)
    ResponseEntity<Map<String, Object>> error(OAuthError e) {
        var response = ResponseEntity.status(e.status()).contentType(MediaType.APPLICATION_JSON);
        if (e.status() == HttpStatus.UNAUTHORIZED) {
            response.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        }
        return response.body(e.body());
    }

    private static Flavor flavor(String platform) {
        return Flavor.of(platform).orElseThrow(() -> new OAuthError(HttpStatus.NOT_FOUND,
                Map.of("error", "not_found", "error_description", "no simulated authorization server for '" + platform
                        + "'; there are x, tiktok, pinterest, youtube, instagram and bluesky")));
    }
}
