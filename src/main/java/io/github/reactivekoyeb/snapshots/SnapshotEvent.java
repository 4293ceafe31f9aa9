package io.github.reactivekoyeb.snapshots;

import java.util.Objects;

/**
 * One change that {@link ReactiveSnapshotsClient#watchSnapshots(ListSnapshotsRequest, java.time.Duration)}
 * saw between two passes of its listing.
 *
 * @param type what happened
 * @param snapshot the snapshot as the pass read it; for {@link Type#REMOVED}, the last state seen
 */
public record SnapshotEvent(Type type, Snapshot snapshot) {

    /** What happened to a snapshot between two passes. */
    public enum Type {
        /** In the listing for the first time (every snapshot of the first pass). */
        ADDED,
        /** Still in the listing, with at least one field changed (its status or its name, say). */
        MODIFIED,
        /** No longer in the listing: removed, or no longer matching its filter. */
        REMOVED
    }

    /**
     * Checks the parts.
     *
     * @param type what happened
     * @param snapshot the snapshot
     */
    public SnapshotEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(snapshot, "snapshot");
    }
}
