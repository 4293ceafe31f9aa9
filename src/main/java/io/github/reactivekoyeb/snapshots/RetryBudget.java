package io.github.reactivekoyeb.snapshots;

import java.util.Objects;

/**
 * A client-wide limit on retries: a token bucket shared by every call, listing and waiter of one
 * client, so that a client never multiplies the load on a service that is down.
 *
 * <p>The bucket starts full with {@link #maxTokens()} tokens. A retry takes {@link #retryCost()}
 * tokens (a 503, a 429, a refused connection), or {@link #timeoutCost()} after a response timeout
 * or a broken connection, whose request may have cost the server work. A call that succeeds at
 * its first try puts {@link #successRefill()} token back; one that succeeds after retries puts
 * back what its last retry took. The bucket never holds more than {@code maxTokens}. When a
 * failure that the {@link RetryPolicy} would retry finds too few tokens, it is not retried: the
 * call ends at once with that failure's own typed exception, whose
 * {@link KoyebException#retryBudgetExhausted()} is true and whose message says so, and
 * {@link ClientEventListener#onRetryBudgetExhausted} hears of it.
 *
 * <p>The model is AWS SDK v2's retry quota (standard mode). With the defaults: in a full outage
 * at most 100 retries are sent in all, so 2,000 concurrent calls send at most 2,100 requests
 * (1.05 per call, where a policy of 3 retries alone would send 4); when 10% of requests fail at
 * random, each failure (5 tokens) is paid back by the retry that succeeds (5) and the other
 * successes keep the bucket full (+1 each), so every retry the policy allows is sent; after an
 * outage, each 5 successful calls buy one retry again.
 *
 * <p>Immutable and thread-safe; it holds the settings, and each client its own bucket.
 */
public final class RetryBudget {

    /** The default {@link #maxTokens()}: {@value}. */
    public static final int DEFAULT_MAX_TOKENS = 500;
    /** The default {@link #retryCost()}: {@value}. */
    public static final int DEFAULT_RETRY_COST = 5;
    /** The default {@link #timeoutCost()}: {@value}. */
    public static final int DEFAULT_TIMEOUT_COST = 10;
    /** The default {@link #successRefill()}: {@value}. */
    public static final int DEFAULT_SUCCESS_REFILL = 1;

    private static final RetryBudget DEFAULTS = builder().build();
    private static final RetryBudget UNLIMITED = new RetryBudget(0, 0, 0, 0, true);

    private final int maxTokens;
    private final int retryCost;
    private final int timeoutCost;
    private final int successRefill;
    private final boolean unlimited;

    private RetryBudget(int maxTokens, int retryCost, int timeoutCost, int successRefill, boolean unlimited) {
        this.maxTokens = maxTokens;
        this.retryCost = retryCost;
        this.timeoutCost = timeoutCost;
        this.successRefill = successRefill;
        this.unlimited = unlimited;
    }

    /**
     * The default budget: 500 tokens, 5 a retry, 10 a retry after a timeout or a broken
     * connection, 1 back for each success at the first try.
     *
     * @return the default budget
     */
    public static RetryBudget defaults() {
        return DEFAULTS;
    }

    /**
     * No client-wide limit: every retry that the policy allows is sent (each call on its own).
     *
     * @return the unlimited budget
     */
    public static RetryBudget unlimited() {
        return UNLIMITED;
    }

    /**
     * A builder starting from the defaults.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The bucket's capacity, and its content when the client is built.
     *
     * @return the tokens; 0 for the unlimited budget
     */
    public int maxTokens() {
        return maxTokens;
    }

    /**
     * The tokens a retry takes after a 503, a 429 or a refused connection.
     *
     * @return the cost
     */
    public int retryCost() {
        return retryCost;
    }

    /**
     * The tokens a retry takes after a response timeout or a connection that broke after sending.
     *
     * @return the cost
     */
    public int timeoutCost() {
        return timeoutCost;
    }

    /**
     * The tokens a call that succeeds at its first try puts back.
     *
     * @return the refill
     */
    public int successRefill() {
        return successRefill;
    }

    /**
     * Whether this is {@link #unlimited()}.
     *
     * @return true when no client-wide limit applies
     */
    public boolean isUnlimited() {
        return unlimited;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RetryBudget other && maxTokens == other.maxTokens && retryCost == other.retryCost
                && timeoutCost == other.timeoutCost && successRefill == other.successRefill
                && unlimited == other.unlimited;
    }

    @Override
    public int hashCode() {
        return Objects.hash(maxTokens, retryCost, timeoutCost, successRefill, unlimited);
    }

    @Override
    public String toString() {
        return unlimited ? "RetryBudget{unlimited}" : "RetryBudget{maxTokens=" + maxTokens + ", retryCost=" + retryCost
                + ", timeoutCost=" + timeoutCost + ", successRefill=" + successRefill + '}';
    }

    /** Settings of a {@link RetryBudget}; each is checked when set. Not thread-safe. */
    public static final class Builder {
        private int maxTokens = DEFAULT_MAX_TOKENS;
        private int retryCost = DEFAULT_RETRY_COST;
        private int timeoutCost = DEFAULT_TIMEOUT_COST;
        private int successRefill = DEFAULT_SUCCESS_REFILL;

        private Builder() {
        }

        /**
         * The bucket's capacity; default {@value RetryBudget#DEFAULT_MAX_TOKENS}.
         *
         * @param maxTokens 1 or more
         * @return this builder
         * @throws IllegalArgumentException if below 1
         */
        public Builder maxTokens(int maxTokens) {
            this.maxTokens = atLeast(maxTokens, 1, "maxTokens");
            return this;
        }

        /**
         * The tokens a retry takes; default {@value RetryBudget#DEFAULT_RETRY_COST}.
         *
         * @param cost 1 or more
         * @return this builder
         * @throws IllegalArgumentException if below 1
         */
        public Builder retryCost(int cost) {
            this.retryCost = atLeast(cost, 1, "retryCost");
            return this;
        }

        /**
         * The tokens a retry after a timeout or a broken connection takes; default
         * {@value RetryBudget#DEFAULT_TIMEOUT_COST}.
         *
         * @param cost 1 or more
         * @return this builder
         * @throws IllegalArgumentException if below 1
         */
        public Builder timeoutCost(int cost) {
            this.timeoutCost = atLeast(cost, 1, "timeoutCost");
            return this;
        }

        /**
         * The tokens a success at the first try puts back; default
         * {@value RetryBudget#DEFAULT_SUCCESS_REFILL}.
         *
         * @param tokens 0 or more
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder successRefill(int tokens) {
            this.successRefill = atLeast(tokens, 0, "successRefill");
            return this;
        }

        /**
         * The budget.
         *
         * @return a new budget
         */
        public RetryBudget build() {
            return new RetryBudget(maxTokens, retryCost, timeoutCost, successRefill, false);
        }

        private static int atLeast(int value, int min, String name) {
            if (value < min) {
                throw new IllegalArgumentException(name + (min == 0 ? " must not be negative" : " must be at least " + min)
                        + ", was " + value);
            }
            return value;
        }
    }
}
