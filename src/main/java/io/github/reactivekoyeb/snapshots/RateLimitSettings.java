package io.github.reactivekoyeb.snapshots;

import io.github.reactivekoyeb.snapshots.internal.Checks;
import java.time.Duration;
import java.util.Objects;

/**
 * The settings of an {@linkplain RateLimiter#adaptive(RateLimitSettings) adaptive rate limiter}.
 * Immutable.
 *
 * <p>The defaults, and why: a maximum wait of {@value #DEFAULT_MAX_WAIT_SECONDS} s, the client's
 * response timeout, so that a call waits for a permit no longer than for a reply; a lowest rate
 * of {@value #DEFAULT_MIN_RATE} request per second, so that a limiter that was cut hard still
 * probes; a decrease to {@value #DEFAULT_DECREASE} of the rate the API admitted, deep enough to
 * let the API's bucket refill, shallow enough to keep above 90% of its limit on average.
 */
public final class RateLimitSettings {

    /** The default maximum wait, in seconds: {@value}. */
    public static final int DEFAULT_MAX_WAIT_SECONDS = 30;
    /** The default lowest rate, in requests per second: {@value}. */
    public static final double DEFAULT_MIN_RATE = 1.0;
    /** The default decrease: the new rate is this share of the rate the API admitted: {@value}. */
    public static final double DEFAULT_DECREASE = 0.85;

    private static final RateLimitSettings DEFAULTS = builder().build();

    private final Duration maxWait;
    private final double minRate;
    private final double decrease;

    private RateLimitSettings(Builder b) {
        this.maxWait = b.maxWait;
        this.minRate = b.minRate;
        this.decrease = b.decrease;
    }

    /**
     * The defaults.
     *
     * @return the settings
     */
    public static RateLimitSettings defaults() {
        return DEFAULTS;
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
     * The longest a request may wait for a permit; one that would wait longer fails at once with
     * {@link KoyebRateLimitException}.
     *
     * @return the wait
     */
    public Duration maxWait() {
        return maxWait;
    }

    /**
     * The lowest rate the limiter goes down to.
     *
     * @return requests per second
     */
    public double minRate() {
        return minRate;
    }

    /**
     * How deep a decrease goes: after a 429, the rate is this share of the rate the API admitted.
     *
     * @return more than 0, less than 1
     */
    public double decrease() {
        return decrease;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RateLimitSettings s && maxWait.equals(s.maxWait) && minRate == s.minRate
                && decrease == s.decrease;
    }

    @Override
    public int hashCode() {
        return Objects.hash(maxWait, minRate, decrease);
    }

    @Override
    public String toString() {
        return "RateLimitSettings{maxWait=" + maxWait + ", minRate=" + minRate + ", decrease=" + decrease + '}';
    }

    /** Builds {@link RateLimitSettings}. Not thread-safe. */
    public static final class Builder {
        private Duration maxWait = Duration.ofSeconds(DEFAULT_MAX_WAIT_SECONDS);
        private double minRate = DEFAULT_MIN_RATE;
        private double decrease = DEFAULT_DECREASE;

        private Builder() {
        }

        /**
         * The longest a request may wait for a permit; default {@value #DEFAULT_MAX_WAIT_SECONDS} s.
         *
         * @param maxWait positive
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        public Builder maxWait(Duration maxWait) {
            this.maxWait = Checks.positive(maxWait, "maxWait");
            return this;
        }

        /**
         * The lowest rate; default {@value #DEFAULT_MIN_RATE} per second.
         *
         * @param requestsPerSecond positive
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        public Builder minRate(double requestsPerSecond) {
            if (!(requestsPerSecond > 0) || Double.isInfinite(requestsPerSecond)) {
                throw new IllegalArgumentException("minRate must be a positive number, was " + requestsPerSecond);
            }
            this.minRate = requestsPerSecond;
            return this;
        }

        /**
         * How deep a decrease goes; default {@value #DEFAULT_DECREASE}.
         *
         * @param share more than 0, less than 1
         * @return this builder
         * @throws IllegalArgumentException if outside that range
         */
        public Builder decrease(double share) {
            if (!(share > 0 && share < 1)) {
                throw new IllegalArgumentException("decrease must be more than 0 and less than 1, was " + share);
            }
            this.decrease = share;
            return this;
        }

        /**
         * The settings.
         *
         * @return a new immutable value
         */
        public RateLimitSettings build() {
            return new RateLimitSettings(this);
        }
    }
}
