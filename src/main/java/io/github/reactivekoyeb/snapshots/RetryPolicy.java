package io.github.reactivekoyeb.snapshots;

import io.github.reactivekoyeb.snapshots.internal.Checks;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * When and how long the client waits before it sends a failed request again.
 *
 * <p>Immutable. What is retried, for every operation: HTTP 503 and 429, and a connection that
 * could not be opened (nothing reached the server). For {@code getSnapshot}, each page of a
 * listing and {@code deleteSnapshot} only: a connection closed or reset after the request was
 * sent, a body cut short, and a response timeout. {@code createSnapshot} and
 * {@code updateSnapshot} are never sent again once they may have reached the server. Nothing
 * else is retried (other 4xx, 500, a malformed reply).
 *
 * <p>The wait before retry {@code n} (0-based) is drawn uniformly from
 * {@code [b/2, b]} where {@code b = min(maxBackoff, initialBackoff * 2^n)} (exponential backoff
 * with jitter). When the reply carries {@code Retry-After} (seconds or an HTTP date) the client
 * waits that long instead, capped by {@code maxBackoff}.
 *
 * <p>When the retries run out, the error signal is the last failure itself (for example a
 * {@link KoyebServiceUnavailableException}, not a wrapper); its {@link KoyebException#attempts()}
 * says how many requests were sent.
 *
 * <p>Retries also draw from the client's {@link RetryBudget}, one token bucket shared by all
 * calls of one client: {@link #defaults()} has {@link RetryBudget#defaults()}, and
 * {@link Builder#budget(RetryBudget)} sets another, or {@link RetryBudget#unlimited()} for none.
 *
 * <pre>{@code
 * RetryPolicy policy = RetryPolicy.builder()
 *         .maxRetries(5)
 *         .initialBackoff(Duration.ofMillis(100))
 *         .maxBackoff(Duration.ofSeconds(5))
 *         .build();
 * }</pre>
 */
public final class RetryPolicy {

    /** Retries of the default policy: {@value}. */
    public static final int DEFAULT_MAX_RETRIES = 3;
    /** The first backoff of the default policy: 250 ms. */
    public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(250);
    /** The longest wait of the default policy, {@code Retry-After} included: 20 s. */
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(20);

    private static final RetryPolicy DEFAULTS = builder().build();
    private static final RetryPolicy NONE = builder().maxRetries(0).build();

    private final int maxRetries;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final @Nullable Duration maxElapsed;
    private final RetryBudget budget;

    private RetryPolicy(Builder builder) {
        this.maxRetries = builder.maxRetries;
        this.initialBackoff = builder.initialBackoff;
        this.maxBackoff = builder.maxBackoff;
        this.maxElapsed = builder.maxElapsed;
        this.budget = builder.budget;
    }

    /**
     * The default policy: up to {@value #DEFAULT_MAX_RETRIES} retries, backoff from 250 ms
     * doubling up to 20 s, {@code Retry-After} honoured up to 20 s, no overall time budget.
     *
     * @return the default policy
     */
    public static RetryPolicy defaults() {
        return DEFAULTS;
    }

    /**
     * A policy that never retries: every failure is emitted after one request.
     *
     * @return the no-retry policy
     */
    public static RetryPolicy none() {
        return NONE;
    }

    /**
     * A builder starting from the default values.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * How many times a failed request is sent again at most.
     *
     * @return 0 or more
     */
    public int maxRetries() {
        return maxRetries;
    }

    /**
     * The backoff before the first retry, before jitter; it doubles with each retry.
     *
     * @return a positive duration
     */
    public Duration initialBackoff() {
        return initialBackoff;
    }

    /**
     * The longest wait between two tries, also the cap on the server's {@code Retry-After}.
     *
     * @return a positive duration
     */
    public Duration maxBackoff() {
        return maxBackoff;
    }

    /**
     * The overall time budget for retries of one request: no retry starts whose wait would end
     * later than this after the first try.
     *
     * @return the budget, or empty for none (the default)
     */
    public Optional<Duration> maxElapsed() {
        return Optional.ofNullable(maxElapsed);
    }

    /**
     * The client-wide retry budget that these retries draw from.
     *
     * @return the budget; {@link RetryBudget#defaults()} unless set
     */
    public RetryBudget budget() {
        return budget;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RetryPolicy other
                && maxRetries == other.maxRetries
                && initialBackoff.equals(other.initialBackoff)
                && maxBackoff.equals(other.maxBackoff)
                && Objects.equals(maxElapsed, other.maxElapsed)
                && budget.equals(other.budget);
    }

    @Override
    public int hashCode() {
        return Objects.hash(maxRetries, initialBackoff, maxBackoff, maxElapsed, budget);
    }

    @Override
    public String toString() {
        return "RetryPolicy{maxRetries=" + maxRetries + ", initialBackoff=" + initialBackoff
                + ", maxBackoff=" + maxBackoff + ", maxElapsed=" + (maxElapsed == null ? "none" : maxElapsed)
                + ", budget=" + budget + '}';
    }

    /** Builds a {@link RetryPolicy}; each setter checks its value at once. Not thread-safe. */
    public static final class Builder {
        private int maxRetries = DEFAULT_MAX_RETRIES;
        private Duration initialBackoff = DEFAULT_INITIAL_BACKOFF;
        private Duration maxBackoff = DEFAULT_MAX_BACKOFF;
        private @Nullable Duration maxElapsed;
        private RetryBudget budget = RetryBudget.defaults();

        private Builder() {
        }

        /**
         * How many times a failed request is sent again at most.
         *
         * @param maxRetries 0 (never retry) or more
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder maxRetries(int maxRetries) {
            if (maxRetries < 0) {
                throw new IllegalArgumentException("maxRetries must not be negative, was " + maxRetries);
            }
            this.maxRetries = maxRetries;
            return this;
        }

        /**
         * The backoff before the first retry; it doubles with each retry, up to {@code maxBackoff}.
         *
         * @param initialBackoff a positive duration
         * @return this builder
         * @throws IllegalArgumentException if zero or negative
         * @throws NullPointerException if null
         */
        public Builder initialBackoff(Duration initialBackoff) {
            this.initialBackoff = Checks.positive(initialBackoff, "initialBackoff");
            return this;
        }

        /**
         * The longest wait between two tries, also the cap on the server's {@code Retry-After}.
         *
         * @param maxBackoff a positive duration
         * @return this builder
         * @throws IllegalArgumentException if zero or negative
         * @throws NullPointerException if null
         */
        public Builder maxBackoff(Duration maxBackoff) {
            this.maxBackoff = Checks.positive(maxBackoff, "maxBackoff");
            return this;
        }

        /**
         * An overall time budget for the retries of one request (one page, for a listing).
         *
         * @param maxElapsed a positive duration, or null for none
         * @return this builder
         * @throws IllegalArgumentException if zero or negative
         */
        public Builder maxElapsed(@Nullable Duration maxElapsed) {
            this.maxElapsed = maxElapsed == null ? null : Checks.positive(maxElapsed, "maxElapsed");
            return this;
        }

        /**
         * The client-wide retry budget these retries draw from; default
         * {@link RetryBudget#defaults()}.
         *
         * @param budget the budget, or {@link RetryBudget#unlimited()} for none
         * @return this builder
         */
        public Builder budget(RetryBudget budget) {
            this.budget = Objects.requireNonNull(budget, "budget");
            return this;
        }

        /**
         * Builds the immutable policy.
         *
         * An {@code initialBackoff} longer than {@code maxBackoff} is lowered to {@code maxBackoff}.
         *
         * @return a new policy
         */
        public RetryPolicy build() {
            if (initialBackoff.compareTo(maxBackoff) > 0) {
                initialBackoff = maxBackoff;
            }
            return new RetryPolicy(this);
        }

    }
}
