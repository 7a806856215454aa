package dev.crosspost.identity.web;

import dev.crosspost.identity.Caller;
import dev.crosspost.identity.internal.IdentityService;
import dev.crosspost.system.CrosspostException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirements;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * {@code /api/v1/auth}: register, sign in, rotate the refresh token, sign out, and who am I. Access tokens are
 * JWTs for {@code Authorization: Bearer}; refresh tokens are opaque and single-use.
 */
@RestController
@RequestMapping("/api/v1/auth")
@Tag(name = "auth", description = "Users and tokens")
class AuthController {

    private final IdentityService identity;
    private final Clock clock;

    AuthController(IdentityService identity, Clock clock) {
        this.identity = identity;
        this.clock = clock;
    }

    /** Email and password. bcrypt reads at most 72 bytes, so longer passwords are refused rather than cut. */
    record Credentials(@NotBlank @Email @Size(max = 254) String email, @NotBlank @Size(min = 8, max = 72) String password) {
        @Override
        public String toString() {
            return "Credentials[email=" + email + ", password=****]";
        }
    }

    record RefreshRequest(@NotBlank @Size(max = 200) String refreshToken) {
        @Override
        public String toString() {
            return "RefreshRequest[****]";
        }
    }

    /** A token pair: send {@code accessToken} as a bearer token until {@code expiresAt}, then refresh. */
    record TokenResponse(String tokenType, String accessToken, Instant expiresAt, long expiresIn, String refreshToken,
                         Instant refreshExpiresAt, UserView user) {
        @Override
        public String toString() {
            return "TokenResponse[" + user + ", tokens hidden]";
        }
    }

    record UserView(UUID id, String email, UUID workspaceId, boolean admin) {
        static UserView of(IdentityService.User u) {
            return new UserView(u.id(), u.email(), u.workspaceId(), u.admin());
        }
    }

    @PostMapping("/register")
    @ResponseStatus(HttpStatus.CREATED)
    @SecurityRequirements
    @Operation(summary = "Register with email and password; a new workspace is made for you. Signs you in.")
    @ApiResponse(responseCode = "201", description = "Registered and signed in")
    @ApiResponse(responseCode = "409", description = "email_taken")
    @ApiResponse(responseCode = "403", description = "registration_closed")
    TokenResponse register(@Valid @RequestBody Credentials body) {
        checkBytes(body.password());
        IdentityService.User user = identity.register(body.email(), body.password());
        return tokens(identity.signIn(user));
    }

    @PostMapping("/login")
    @SecurityRequirements
    @Operation(summary = "Sign in: an access token (15 min) and a refresh token (7 days, single use)")
    @ApiResponse(responseCode = "401", description = "invalid_credentials")
    @ApiResponse(responseCode = "429", description = "login_locked (too many failures for this email) or rate_limited")
    TokenResponse login(@Valid @RequestBody Credentials body) {
        IdentityService.User user = identity.authenticate(body.email(), body.password());
        return tokens(identity.signIn(user));
    }

    @PostMapping("/refresh")
    @SecurityRequirements
    @Operation(summary = "Swap a refresh token for a new pair. Each refresh token works once; using one twice revokes the whole sign-in.")
    @ApiResponse(responseCode = "401", description = "invalid_refresh_token, refresh_token_expired, refresh_token_revoked or refresh_token_reused")
    TokenResponse refresh(@Valid @RequestBody RefreshRequest body) {
        return tokens(identity.refresh(body.refreshToken()));
    }

    @PostMapping("/logout")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @SecurityRequirements
    @Operation(summary = "Sign out: revokes the refresh token's sign-in, and with it every access token issued for it")
    void logout(@Valid @RequestBody RefreshRequest body) {
        identity.logout(body.refreshToken());
    }

    @GetMapping("/me")
    @Operation(summary = "The signed-in user")
    UserView me(@AuthenticationPrincipal Caller caller) {
        return new UserView(caller.userId(), caller.email(), caller.workspaceId(), caller.admin());
    }

    private TokenResponse tokens(IdentityService.Tokens t) {
        long expiresIn = Math.max(0, Duration.between(clock.instant(), t.accessExpiresAt()).toSeconds());
        return new TokenResponse("Bearer", t.accessToken(), t.accessExpiresAt(), expiresIn, t.refreshToken(), t.refreshExpiresAt(), UserView.of(t.user()));
    }

    private static void checkBytes(String password) {
        if (password.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 72) {
            throw CrosspostException.invalid("password", "must be at most 72 bytes in UTF-8");
        }
    }
}
