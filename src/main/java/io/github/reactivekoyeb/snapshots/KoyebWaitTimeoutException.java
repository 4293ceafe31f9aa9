package io.github.reactivekoyeb.snapshots;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * A wait for a snapshot ran out of time ({@link WaitOptions#timeout()}): the snapshot never met the
 * condition. Carries the last state seen, if any; its {@link #details()} name the
 * snapshot's path and count the requests the wait sent. Unchecked.
 */
public class KoyebWaitTimeoutException extends KoyebException {

    private static final long serialVersionUID = 1L;

    /** The id of the snapshot waited for. */
    private final String snapshotId;
    private final transient @Nullable Snapshot lastSnapshot;
    /** How long the wait lasted. */
    private final Duration waited;

    /**
     * Creates the exception; the client does this.
     *
     * @param snapshotId the id waited for (empty when the create itself timed out)
     * @param lastSnapshot the last state seen, or null when none was seen
     * @param waited how long it waited
     * @param goal what it waited for, e.g. {@code status AVAILABLE}
     * @param details the request the wait was making (the poll, or the create or delete) and the
     *     requests it sent
     */
    public KoyebWaitTimeoutException(String snapshotId, @Nullable Snapshot lastSnapshot, Duration waited, String goal,
            KoyebErrorDetails details) {
        super("gave up waiting for snapshot " + (snapshotId.isEmpty() ? "(not created yet)" : snapshotId) + " to reach "
                + goal + " after " + waited.toMillis() + " ms; last status seen: "
                + (lastSnapshot == null ? "none" : String.valueOf(lastSnapshot.status())), details, null);
        this.snapshotId = snapshotId;
        this.lastSnapshot = lastSnapshot;
        this.waited = waited;
    }

    /**
     * The id of the snapshot waited for.
     *
     * @return the id, empty when the create request itself timed out
     */
    public String snapshotId() {
        return snapshotId;
    }

    /**
     * The last state of the snapshot seen before the timeout.
     *
     * @return the snapshot, or null when none was seen
     */
    public @Nullable Snapshot lastSnapshot() {
        return lastSnapshot;
    }

    /**
     * How long the operation waited before giving up.
     *
     * @return about the timeout
     */
    public Duration waited() {
        return waited;
    }
}
