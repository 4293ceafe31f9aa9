package io.github.reactivekoyeb.snapshots;

import io.github.reactivekoyeb.snapshots.internal.Checks;
import java.time.Duration;
import java.util.Objects;

/**
 * How {@link ReactiveSnapshotsClient#awaitSnapshot} and {@link ReactiveSnapshotsClient#watchSnapshot}
 * poll: the first poll at subscription, then waits of {@code initialInterval},
 * {@code initialInterval * backoffFactor}, ... up to {@code maxInterval} between polls, for at most
 * {@code timeout} in all.
 *
 * <p>Immutable. {@link #defaults()}: 1 s, x1.5, at most 10 s, timeout 10 min; a creation that takes
 * 30 s is seen after 8 polls (at 0, 1, 2.5, 4.75, 8.1, 13.2, 20.8 and 30.8 s).
 */
public final class WaitOptions {

    private static final WaitOptions DEFAULTS = builder().build();

    private final Duration initialInterval;
    private final double backoffFactor;
    private final Duration maxInterval;
    private final Duration timeout;

    private WaitOptions(Builder builder) {
        this.initialInterval = builder.initialInterval;
        this.backoffFactor = builder.backoffFactor;
        this.maxInterval = builder.maxInterval.compareTo(builder.initialInterval) < 0 ? builder.initialInterval
                : builder.maxInterval;
        this.timeout = builder.timeout;
    }

    /**
     * 1 s, then x1.5 per poll, at most 10 s between polls, 10 min in all.
     *
     * @return the default options
     */
    public static WaitOptions defaults() {
        return DEFAULTS;
    }

    /**
     * The defaults with another overall timeout.
     *
     * @param timeout a positive duration
     * @return new options
     * @throws IllegalArgumentException if not positive
     */
    public static WaitOptions withTimeout(Duration timeout) {
        return builder().timeout(timeout).build();
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
     * The wait before the second poll.
     *
     * @return a positive duration
     */
    public Duration initialInterval() {
        return initialInterval;
    }

    /**
     * What each wait is multiplied by for the next one.
     *
     * @return 1.0 or more
     */
    public double backoffFactor() {
        return backoffFactor;
    }

    /**
     * The longest wait between two polls.
     *
     * @return at least {@link #initialInterval()}
     */
    public Duration maxInterval() {
        return maxInterval;
    }

    /**
     * The longest the whole operation may take, the create or delete request included.
     *
     * @return a positive duration
     */
    public Duration timeout() {
        return timeout;
    }

    /**
     * The wait before poll {@code n} (poll 0 is sent at once).
     *
     * @param n the poll's number, 1 or more
     * @return {@code min(maxInterval, initialInterval * backoffFactor^(n-1))}
     */
    public Duration intervalBefore(long n) {
        double millis = initialInterval.toMillis() * Math.pow(backoffFactor, Math.max(0, n - 1));
        return millis >= maxInterval.toMillis() ? maxInterval : Duration.ofMillis(Math.round(millis));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WaitOptions other && initialInterval.equals(other.initialInterval)
                && Double.compare(backoffFactor, other.backoffFactor) == 0 && maxInterval.equals(other.maxInterval)
                && timeout.equals(other.timeout);
    }

    @Override
    public int hashCode() {
        return Objects.hash(initialInterval, backoffFactor, maxInterval, timeout);
    }

    @Override
    public String toString() {
        return "WaitOptions{initialInterval=" + initialInterval + ", backoffFactor=" + backoffFactor + ", maxInterval="
                + maxInterval + ", timeout=" + timeout + '}';
    }

    /** Builds {@link WaitOptions}; each setter checks its value at once. Not thread-safe. */
    public static final class Builder {
        private Duration initialInterval = Duration.ofSeconds(1);
        private double backoffFactor = 1.5;
        private Duration maxInterval = Duration.ofSeconds(10);
        private Duration timeout = Duration.ofMinutes(10);

        private Builder() {
        }

        /**
         * The wait before the second poll; default 1 s.
         *
         * @param interval a positive duration
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        public Builder initialInterval(Duration interval) {
            this.initialInterval = Checks.positive(interval, "initialInterval");
            return this;
        }

        /**
         * What each wait is multiplied by; default 1.5.
         *
         * @param factor 1.0 (a fixed interval) or more
         * @return this builder
         * @throws IllegalArgumentException if less than 1 or not a number
         */
        public Builder backoffFactor(double factor) {
            if (!(factor >= 1.0) || Double.isInfinite(factor)) {
                throw new IllegalArgumentException("backoffFactor must be a finite number >= 1, was " + factor);
            }
            this.backoffFactor = factor;
            return this;
        }

        /**
         * The longest wait between two polls; default 10 s. A value below the initial interval is
         * raised to it.
         *
         * @param interval a positive duration
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        public Builder maxInterval(Duration interval) {
            this.maxInterval = Checks.positive(interval, "maxInterval");
            return this;
        }

        /**
         * The longest the whole operation may take; default 10 min.
         *
         * @param timeout a positive duration
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        public Builder timeout(Duration timeout) {
            this.timeout = Checks.positive(timeout, "timeout");
            return this;
        }

        /**
         * Builds the immutable options.
         *
         * @return new options
         */
        public WaitOptions build() {
            return new WaitOptions(this);
        }

    }
}
