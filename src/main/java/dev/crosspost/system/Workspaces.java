package dev.crosspost.system;

import jakarta.servlet.http.HttpServletRequest;

import java.util.UUID;

/**
 * Which workspace a request acts for. Until sign-in exists every request acts for the sandbox workspace; the
 * identity module replaces this with the caller's own.
 */
public interface Workspaces {

    UUID SANDBOX = new UUID(0, 1);

    UUID current(HttpServletRequest request);
}
