package io.github.reactivekoyeb.snapshots.retention;

import io.github.reactivekoyeb.snapshots.KoyebErrorDetails;
import io.github.reactivekoyeb.snapshots.KoyebException;

/**
 * A plan would delete more snapshots than {@link RetentionOptions#maxDeletions()} allows: nothing
 * was sent. Plan with a narrower policy, or raise the maximum after reading the plan.
 */
public final class RetentionLimitExceededException extends KoyebException {

    private static final long serialVersionUID = 1L;

    /** How many deletions the plan asked for. */
    private final int planned;
    /** The maximum the options allowed. */
    private final int maxDeletions;

    RetentionLimitExceededException(int planned, int maxDeletions) {
        super("the retention plan would delete " + planned + " snapshots, more than maxDeletions " + maxDeletions
                + ": nothing was deleted", KoyebErrorDetails.builder("DELETE", "/v1/snapshots").attempts(0).build(),
                null);
        this.planned = planned;
        this.maxDeletions = maxDeletions;
    }

    /**
     * How many deletions the plan asked for.
     *
     * @return more than {@link #maxDeletions()}
     */
    public int planned() {
        return planned;
    }

    /**
     * The maximum the options allowed.
     *
     * @return 0 or more
     */
    public int maxDeletions() {
        return maxDeletions;
    }
}
