package dev.crosspost.system;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.stereotype.Component;

import java.util.UUID;

/** Every request acts for the sandbox workspace (single-user mode). */
@Component
class SandboxWorkspaces implements Workspaces {
    @Override
    public UUID current(HttpServletRequest request) {
        return SANDBOX;
    }
}
