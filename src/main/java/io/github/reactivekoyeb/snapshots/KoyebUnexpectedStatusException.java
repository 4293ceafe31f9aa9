package io.github.reactivekoyeb.snapshots;

/**
 * While waiting for a snapshot to become {@code AVAILABLE}, it was found {@code DELETING} or
 * {@code DELETED}: it never will be, so the wait fails at once instead of at its timeout.
 * Its {@link #details()} name the snapshot's path and count the requests the wait sent. Unchecked.
 */
public class KoyebUnexpectedStatusException extends KoyebException {

    private static final long serialVersionUID = 1L;

    private final transient Snapshot snapshot;
    /** The status the wait was for. */
    private final SnapshotStatus expected;

    /**
     * Creates the exception; the client does this.
     *
     * @param snapshot the snapshot as last read
     * @param expected the status waited for
     * @param details the poll that read it, and the requests the wait sent
     */
    public KoyebUnexpectedStatusException(Snapshot snapshot, SnapshotStatus expected, KoyebErrorDetails details) {
        super("snapshot " + snapshot.id() + " is " + snapshot.status() + " and will not become " + expected, details,
                null);
        this.snapshot = snapshot;
        this.expected = expected;
    }

    /**
     * The snapshot in its unexpected state.
     *
     * @return the snapshot
     */
    public Snapshot snapshot() {
        return snapshot;
    }

    /**
     * The status that was waited for.
     *
     * @return e.g. {@link SnapshotStatus#AVAILABLE}
     */
    public SnapshotStatus expected() {
        return expected;
    }
}
