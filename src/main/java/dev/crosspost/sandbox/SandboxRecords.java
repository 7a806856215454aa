package dev.crosspost.sandbox;

import java.util.List;

/** What the simulated platforms saw, for in-process tests: accepted posts, duplicates and 429s per platform. */
public interface SandboxRecords {

    /** Posts accepted on the platform, oldest first. */
    List<RecordedPost> accepted(String platform);

    /** Over every (account, client_ref) of the platform's accepted posts: the count minus one, summed. */
    long duplicates(String platform);

    /** Posts refused because the account's quota window was full. */
    long quota429(String platform);

    /** 429s injected by the rate-limit fault. */
    long injected429(String platform);

    /** Forgets posts, uploads, quota windows and counters of every platform (not the fault settings). */
    void reset();
}
