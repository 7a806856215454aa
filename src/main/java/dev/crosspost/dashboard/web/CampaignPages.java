package dev.crosspost.dashboard.web;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;

import java.util.UUID;

/**
 * {@code /app/campaigns} and {@code /app/credits}: pages whose data the browser reads from intake's and generation's
 * REST APIs ({@code /api/v1/campaigns}, {@code /api/v1/credits}) with the session cookie, so the upload can show its
 * progress and the report, rows and ledger page without a reload. Those APIs check the workspace; another
 * workspace's campaign reads as not found there.
 */
@Controller
class CampaignPages {

    @GetMapping("/app/campaigns")
    String list() {
        return "dashboard/campaigns";
    }

    @GetMapping("/app/campaigns/{id}")
    String campaign(@PathVariable UUID id, Model model) {
        model.addAttribute("campaignId", id);
        return "dashboard/campaign";
    }

    @GetMapping("/app/credits")
    String credits() {
        return "dashboard/credits";
    }
}
