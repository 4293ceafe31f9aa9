package io.github.reactivekoyeb.snapshots.retention;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * How {@link SnapshotRetention#apply(RetentionPlan, RetentionOptions)} deletes: how many deletes at
 * once, how many at most, and whether each snapshot is read again first. Immutable.
 */
public final class RetentionOptions {

    /** The default number of deletes in flight at once: {@value}. */
    public static final int DEFAULT_CONCURRENCY = 4;

    private static final RetentionOptions DEFAULTS = builder().build();

    private final int concurrency;
    private final int maxDeletions;
    private final boolean recheck;

    private RetentionOptions(Builder b) {
        this.concurrency = b.concurrency;
        this.maxDeletions = b.maxDeletions;
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
                && maxDeletions == other.maxDeletions && recheck == other.recheck;
    }

    @Override
    public int hashCode() {
        return Objects.hash(concurrency, maxDeletions, recheck);
    }

    @Override
    public String toString() {
        return "RetentionOptions{concurrency=" + concurrency + ", maxDeletions="
                + (maxDeletions == Integer.MAX_VALUE ? "none" : String.valueOf(maxDeletions)) + ", recheck=" + recheck + '}';
    }

    /** Builds {@link RetentionOptions}. Not thread-safe. */
    public static final class Builder {
        private int concurrency = DEFAULT_CONCURRENCY;
        private int maxDeletions = Integer.MAX_VALUE;
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
         * {@link RetentionLimitExceededException} before any request is sent. Default none.
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
