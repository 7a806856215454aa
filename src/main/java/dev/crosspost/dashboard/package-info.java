/**
 * The web app creators run their work from: server-rendered pages under {@code /app} (posts, calendar, live post
 * status, dead letters, accounts, system), reading only through the other modules' public APIs.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Dashboard")
@org.jspecify.annotations.NullMarked
package dev.crosspost.dashboard;
