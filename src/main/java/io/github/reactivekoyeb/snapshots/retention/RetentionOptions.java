package io.github.reactivekoyeb.snapshots.retention;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * How {@link SnapshotRetention#apply(RetentionPlan, RetentionOptions)} deletes: how many deletes at
 * once, how many at most, and whether each snapshot is read again first. Immutable.
 *
 * <p>Two caps, for two needs. {@link Builder#deleteAtMost(int)} makes progress: a run deletes at most
 * that many, the oldest first, and reports the rest as {@link RetentionOutcome.Result#DEFERRED}
 * for the next runs (a backlog of 2,000 with {@code deleteAtMost(100)} is gone in 20 runs).
 * {@link Builder#maxDeletions(int)} is a hard stop: a plan that would delete more is refused whole,
 * before any request ({@code maxDeletions(0)} is a kill switch: any plan that deletes is refused).
 */
public final class RetentionOptions {

    /** The default number of deletes in flight at once: {@value}. */
    public static final int DEFAULT_CONCURRENCY = 4;

    private static final RetentionOptions DEFAULTS = builder().build();

    private final int concurrency;
    private final int maxDeletions;
    private final int deleteAtMost;
    private final boolean recheck;

    private RetentionOptions(Builder b) {
        this.concurrency = b.concurrency;
        this.maxDeletions = b.maxDeletions;
        this.deleteAtMost = b.deleteAtMost;
        this.recheck = b.recheck;
    }

    /**
     * The defaults: {@value #DEFAULT_CONCURRENCY} deletes at once, no maximum, each snapshot read
     * again just before its delete.
     *
     * @return the default options
     */
    public static RetentionOptions defaults() {
        return DEFAULTS;
    }

    /**
     * A builder with the defaults.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The most deletes (with their reads) in flight at once.
     *
     * @return 1 or more
     */
    public int concurrency() {
        return concurrency;
    }

    /**
     * The most deletions a plan may ask for: a plan that would delete more fails before any request.
     *
     * @return the maximum, or empty for none
     */
    public OptionalInt maxDeletions() {
        return maxDeletions == Integer.MAX_VALUE ? OptionalInt.empty() : OptionalInt.of(maxDeletions);
    }

    /**
     * The most deletions one run sends, the oldest first; the plan's others are
     * {@link RetentionOutcome.Result#DEFERRED}, left for the next runs.
     *
     * @return the cap, or empty for none
     */
    public OptionalInt deleteAtMost() {
        return deleteAtMost == Integer.MAX_VALUE ? OptionalInt.empty() : OptionalInt.of(deleteAtMost);
    }

    /**
     * Whether each snapshot is read just before its delete, and left alone unless it is still
     * {@code AVAILABLE}, still managed by the policy and unchanged since the plan.
     *
     * @return true by default
     */
    public boolean recheck() {
        return recheck;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RetentionOptions other && concurrency == other.concurrency
                && maxDeletions == other.maxDeletions && deleteAtMost == other.deleteAtMost && recheck == other.recheck;
    }

    @Override
    public int hashCode() {
        return Objects.hash(concurrency, maxDeletions, deleteAtMost, recheck);
    }

    @Override
    public String toString() {
        return "RetentionOptions{concurrency=" + concurrency + ", maxDeletions="
                + (maxDeletions == Integer.MAX_VALUE ? "none" : String.valueOf(maxDeletions)) + ", deleteAtMost="
                + (deleteAtMost == Integer.MAX_VALUE ? "none" : String.valueOf(deleteAtMost)) + ", recheck=" + recheck + '}';
    }

    /** Builds {@link RetentionOptions}. Not thread-safe. */
    public static final class Builder {
        private int concurrency = DEFAULT_CONCURRENCY;
        private int maxDeletions = Integer.MAX_VALUE;
        private int deleteAtMost = Integer.MAX_VALUE;
        private boolean recheck = true;

        private Builder() {
        }

        /**
         * How many deletes (with their reads) are in flight at once; default {@value #DEFAULT_CONCURRENCY}.
         * All of them go through the client's rate limiter, retry policy and retry budget.
         *
         * @param concurrency 1 to 256
         * @return this builder
         * @throws IllegalArgumentException if outside that range
         */
        public Builder concurrency(int concurrency) {
            if (concurrency < 1 || concurrency > 256) {
                throw new IllegalArgumentException("concurrency must be between 1 and 256, was " + concurrency);
            }
            this.concurrency = concurrency;
            return this;
        }

        /**
         * The most deletions a plan may ask for; a plan that would delete more fails with
         * {@link RetentionLimitExceededException} before any request is sent. Default none. A hard
         * stop, for a policy that might be wrong; {@code 0} is a kill switch (a plan that deletes
         * anything is refused, one that deletes nothing passes). To make progress through a backlog
         * instead, see {@link #deleteAtMost(int)}; with both, this one counts the whole plan.
         *
         * @param maxDeletions 0 or more
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder maxDeletions(int maxDeletions) {
            if (maxDeletions < 0) {
                throw new IllegalArgumentException("maxDeletions must be 0 or more, was " + maxDeletions);
            }
            this.maxDeletions = maxDeletions;
            return this;
        }

        /**
         * The most deletions one run sends, the oldest first; the plan's other deletions end as
         * {@link RetentionOutcome.Result#DEFERRED} outcomes, unsent, for the next runs. Default none.
         *
         * @param n 1 or more
         * @return this builder
         * @throws IllegalArgumentException if less than 1 (to delete nothing, use a dry run, or
         *     {@link #maxDeletions(int) maxDeletions(0)} to refuse any plan that deletes)
         */
        public Builder deleteAtMost(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("deleteAtMost must be 1 or more, was " + n + " (to delete nothing,"
                        + " plan without applying, or refuse every deleting plan with maxDeletions(0))");
            }
            this.deleteAtMost = n;
            return this;
        }

        /**
         * Whether each snapshot is read just before its delete (one more request each) and left
         * alone, as {@link RetentionOutcome.Result#CHANGED}, unless it is still {@code AVAILABLE},
         * still managed and unchanged ({@code updatedAt}); default true.
         *
         * @param recheck false to delete without reading first
         * @return this builder
         */
        public Builder recheck(boolean recheck) {
            this.recheck = recheck;
            return this;
        }

        /**
         * Builds the options.
         *
         * @return new, immutable options
         */
        public RetentionOptions build() {
            return new RetentionOptions(this);
        }
    }
}
