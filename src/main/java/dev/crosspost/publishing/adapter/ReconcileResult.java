package dev.crosspost.publishing.adapter;

import java.util.Map;

/** What reconciling an unknown effect found out. */
public sealed interface ReconcileResult {

    /** The effect happened; these are its outputs (e.g. the post id and URL). */
    record Found(Map<String, String> outputs) implements ReconcileResult {
    }

    /** The platform proves the effect did not happen: it may be sent again. */
    record Absent() implements ReconcileResult {
    }

    /** Could not tell this time (lookup failed); ask again later. */
    record Unknown(String reason) implements ReconcileResult {
    }
}
