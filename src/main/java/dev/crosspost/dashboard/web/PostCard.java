package dev.crosspost.dashboard.web;

import dev.crosspost.publishing.PostView;
import dev.crosspost.publishing.PublicationState;

import java.util.Locale;

/**
 * A post as pages show it.
 *
 * @param done publications that reached an end (published, failed, dead, cancelled), out of {@code total}
 * @param movable whether any publication still waits for its scheduled time, so the post can be rescheduled
 */
public record PostCard(PostView post, int done, int total, boolean movable) {

    static PostCard of(PostView post) {
        int done = (int) post.publications().stream()
                .filter(p -> PublicationState.valueOf(p.state().toUpperCase(Locale.ROOT)).terminal()).count();
        boolean movable = post.publications().stream().anyMatch(p -> p.state().equals(PublicationState.SCHEDULED.wireName()));
        return new PostCard(post, done, post.publications().size(), movable);
    }

    /** A one-line excerpt of the text for lists. */
    public String excerpt() {
        String text = post.text().strip().replaceAll("\\s+", " ");
        return text.length() <= 80 ? text : text.substring(0, 77) + "...";
    }
}
