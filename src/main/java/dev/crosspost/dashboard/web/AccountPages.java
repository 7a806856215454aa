package dev.crosspost.dashboard.web;

import dev.crosspost.accounts.AccountStatus;
import dev.crosspost.accounts.AccountView;
import dev.crosspost.accounts.Accounts;
import dev.crosspost.accounts.BlueskyLogin;
import dev.crosspost.system.CrosspostException;
import dev.crosspost.system.Workspaces;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import java.util.List;
import java.util.UUID;

/**
 * {@code /app/accounts}: connected accounts with their status, a banner while any needs reconnecting, and the
 * connect/reconnect buttons that send the owner to the platform's authorization page.
 */
@Controller
@Validated
class AccountPages {

    /** Platforms connected through OAuth; Bluesky uses an app password instead. */
    static final List<String> OAUTH_PLATFORMS = List.of("x", "instagram", "youtube", "tiktok", "pinterest");
    private static final String LIST = "/app/accounts";
    private final Accounts accounts;
    private final Workspaces workspaces;

    AccountPages(Accounts accounts, Workspaces workspaces) {
        this.accounts = accounts;
        this.workspaces = workspaces;
    }

    /** {@code connected} and {@code oauth_error} are what the OAuth callback appends when it sends the browser back here. */
    @GetMapping(LIST)
    String list(@RequestParam(required = false) @Nullable @Pattern(regexp = "[a-z]{1,32}", message = "must be a platform name") String connected,
                @RequestParam(name = "oauth_error", required = false) @Nullable @Pattern(regexp = "[a-z_]{1,64}", message = "must be an error code") String oauthError,
                HttpServletRequest request, Model model) {
        if (connected != null) {
            model.addAttribute("notice", "Connected the " + connected + " account.");
        }
        if (oauthError != null) {
            model.addAttribute("alert", "Could not connect the account (" + oauthError.replace('_', ' ')
                    + "). Start again with Connect; an approval page left open too long expires after ten minutes.");
        }
        List<AccountView> all = accounts.list(workspaces.current(request));
        model.addAttribute("accounts", all);
        model.addAttribute("needReconnect", all.stream()
                .filter(a -> a.status().equals(AccountStatus.RECONNECT_REQUIRED.wireName())).toList());
        model.addAttribute("oauthPlatforms", OAUTH_PLATFORMS);
        return "dashboard/accounts";
    }

    @PostMapping(LIST + "/connect/{platform}")
    String connect(@PathVariable @Pattern(regexp = "[a-z]{1,32}", message = "must be a platform name like 'x'") String platform,
                   HttpServletRequest request) {
        return "redirect:" + accounts.connect(workspaces.current(request), platform, LIST).authorizeUrl();
    }

    @PostMapping(LIST + "/{id}/reconnect")
    String reconnect(@PathVariable UUID id, HttpServletRequest request) {
        return "redirect:" + accounts.reconnect(workspaces.current(request), id, LIST).authorizeUrl();
    }

    @PostMapping(LIST + "/{id}/disconnect")
    String disconnect(@PathVariable UUID id, HttpServletRequest request, RedirectAttributes redirect) {
        AccountView account = accounts.disconnect(workspaces.current(request), id);
        redirect.addFlashAttribute("notice", "Disconnected the " + account.platform() + " account " + label(account) + ".");
        return "redirect:" + LIST;
    }

    @PostMapping(LIST + "/bluesky")
    String bluesky(@RequestParam @NotBlank @Size(max = 253) String identifier,
                   @RequestParam @NotBlank @Size(max = 100) String appPassword,
                   @RequestParam(required = false) @Nullable @Size(max = 2048) String pds,
                   HttpServletRequest request, RedirectAttributes redirect) {
        try {
            AccountView account = accounts.connectBluesky(workspaces.current(request),
                    new BlueskyLogin(identifier.strip(), appPassword, pds == null || pds.isBlank() ? null : pds.strip()));
            redirect.addFlashAttribute("notice", "Connected the Bluesky account " + label(account) + ".");
        } catch (CrosspostException e) {
            // a wrong password or an unreachable PDS: say so next to the form, in the words the API uses
            redirect.addFlashAttribute("alert", "Could not connect Bluesky: " + e.getMessage());
        }
        return "redirect:" + LIST;
    }

    private static String label(AccountView account) {
        return account.handle() != null ? account.handle() : account.externalId();
    }
}
