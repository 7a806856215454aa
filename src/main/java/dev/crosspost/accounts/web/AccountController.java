package dev.crosspost.accounts.web;

import dev.crosspost.accounts.AccountView;
import dev.crosspost.accounts.Accounts;
import dev.crosspost.accounts.AuthorizationCallback;
import dev.crosspost.accounts.AuthorizationStart;
import dev.crosspost.accounts.BlueskyLogin;
import dev.crosspost.accounts.KeyRotation;
import dev.crosspost.system.CrosspostException;
import dev.crosspost.system.Page;
import dev.crosspost.system.Workspaces;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code /api/v1/accounts}: connect an account (OAuth redirect or Bluesky app password), list and read accounts,
 * reconnect, disconnect, and rotate the token encryption key. No response ever carries a token.
 */
@RestController
@RequestMapping("/api/v1/accounts")
class AccountController {

    private final Accounts accounts;
    private final Workspaces workspaces;

    AccountController(Accounts accounts, Workspaces workspaces) {
        this.accounts = accounts;
        this.workspaces = workspaces;
    }

    /** A Bluesky login; the app password is used once and never stored. */
    record BlueskyRequest(@NotBlank @Size(max = 320) String identifier, @NotBlank @Size(max = 200) String appPassword,
                          @Nullable @Size(max = 2048) String pds) {
        @Override
        public String toString() {
            return "BlueskyRequest[identifier=" + identifier + ", appPassword=****]";
        }
    }

    @PostMapping("/connect/{platform}")
    @Operation(summary = "Start connecting an x, instagram, youtube, tiktok or pinterest account: send the owner to authorizeUrl")
    AuthorizationStart connect(@PathVariable String platform, HttpServletRequest request) {
        return accounts.connect(workspaces.current(request), platform);
    }

    @GetMapping("/callback/{platform}")
    @Operation(summary = "Where the platform sends the owner back: exchanges the code and stores the account; "
            + "a flow started from the dashboard then goes back to its page (303) with ?connected= or ?oauth_error=")
    ResponseEntity<AccountView> callback(@PathVariable String platform,
                                         @RequestParam(required = false) @Nullable String code,
                                         @RequestParam(required = false) @Nullable String state,
                                         @RequestParam(required = false) @Nullable String error,
                                         @RequestParam(name = "error_description", required = false) @Nullable String errorDescription,
                                         HttpServletRequest request) {
        // read before completing: completing consumes the state, and a failure must still find its way back
        Optional<String> back = accounts.returnPath(state);
        AuthorizationCallback callback = new AuthorizationCallback(code, state, error, errorDescription);
        if (back.isEmpty()) {
            return ResponseEntity.ok(accounts.completeAuthorization(workspaces.signedIn(request).orElse(null), platform, callback));
        }
        String outcome;
        try {
            AccountView account = accounts.completeAuthorization(workspaces.signedIn(request).orElse(null), platform, callback);
            outcome = "connected=" + account.platform();
        } catch (CrosspostException e) {
            // the page says what went wrong in its own words; the code is one of our problem codes, never platform text
            outcome = "oauth_error=" + e.code();
        }
        String path = back.get();
        return ResponseEntity.status(HttpStatus.SEE_OTHER)
                .location(URI.create(path + (path.contains("?") ? "&" : "?") + outcome)).build();
    }

    @PostMapping("/bluesky")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Connect a Bluesky account with an app password (the password is not stored)")
    AccountView bluesky(@Valid @RequestBody BlueskyRequest body, HttpServletRequest request) {
        return accounts.connectBluesky(workspaces.current(request), new BlueskyLogin(body.identifier(), body.appPassword(), body.pds()));
    }

    @GetMapping
    @Operation(summary = "The workspace's accounts with their status, oldest first, with cursor paging; never their tokens")
    Page<AccountView> list(@RequestParam(required = false) @Nullable String cursor,
                           @RequestParam(defaultValue = "20") @Min(1) @Max(100) int limit, HttpServletRequest request) {
        return accounts.list(workspaces.current(request), cursor, limit);
    }

    @GetMapping("/{id}")
    @Operation(summary = "One account")
    AccountView get(@PathVariable UUID id, HttpServletRequest request) {
        return accounts.find(workspaces.current(request), id).orElseThrow(() -> CrosspostException.notFound("account", id));
    }

    @PostMapping("/{id}/reconnect")
    @Operation(summary = "Start a new authorization for this account (after reconnect_required, or to change scopes)")
    AuthorizationStart reconnect(@PathVariable UUID id, HttpServletRequest request) {
        return accounts.reconnect(workspaces.current(request), id);
    }

    @DeleteMapping("/{id}")
    @Operation(summary = "Revoke the account's tokens where the platform allows, forget them, and mark it disconnected")
    AccountView disconnect(@PathVariable UUID id, HttpServletRequest request) {
        return accounts.disconnect(workspaces.current(request), id);
    }

    @PostMapping("/rotate-keys")
    @Operation(summary = "Admin: re-encrypt every stored token under the current encryption key")
    KeyRotation rotateKeys() {
        return accounts.rotateKeys();
    }
}
