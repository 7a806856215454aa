package dev.crosspost.dashboard.web;

import org.jspecify.annotations.Nullable;

/** Where to go after a form: back to the dashboard page the form was on, never anywhere else (no open redirect). */
final class Redirects {

    private Redirects() {
    }

    static String back(@Nullable String target, String fallback) {
        boolean local = target != null && (target.equals("/app") || target.startsWith("/app/") || target.startsWith("/app?"))
                && target.length() <= 500
                && !target.contains("//") && !target.contains("\\") && target.chars().noneMatch(Character::isISOControl);
        return "redirect:" + (local ? target : fallback);
    }
}
