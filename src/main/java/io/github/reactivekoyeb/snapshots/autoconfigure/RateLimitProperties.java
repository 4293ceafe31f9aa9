package io.github.reactivekoyeb.snapshots.autoconfigure;

import io.github.reactivekoyeb.snapshots.RateLimitSettings;
import java.time.Duration;

/**
 * {@code koyeb.snapshots.rate-limit.*}: the client's adaptive rate limiter
 * ({@link io.github.reactivekoyeb.snapshots.RateLimiter#adaptive(RateLimitSettings)}), on by default.
 * Each value is checked by {@link RateLimitSettings.Builder} at bind time.
 */
public class RateLimitProperties {

    /**
     * Whether the client adapts its sending rate to the API's 429s. Off: every request is sent at
     * once, and each 429 is only retried.
     */
    private boolean enabled = true;

    /**
     * The longest a request waits for the rate limiter; one that would wait longer fails at once
     * with KoyebRateLimitException.
     */
    private Duration maxWait = Duration.ofSeconds(RateLimitSettings.DEFAULT_MAX_WAIT_SECONDS);

    /** The lowest rate the limiter goes down to, in requests per second. */
    private double minRate = RateLimitSettings.DEFAULT_MIN_RATE;

    /** After a 429, the new rate is this share (more than 0, less than 1) of the rate the API admitted. */
    private double decrease = RateLimitSettings.DEFAULT_DECREASE;

    /** Creates the rate-limit properties with the defaults. */
    public RateLimitProperties() {
    }

    /**
     * Whether the limiter is on.
     *
     * @return true by default
     */
    public boolean isEnabled() {
        return enabled;
    }

    /**
     * Turns the limiter on or off.
     *
     * @param enabled false to send every request at once
     */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /**
     * The longest wait for a permit.
     *
     * @return the wait
     */
    public Duration getMaxWait() {
        return maxWait;
    }

    /**
     * Sets the longest wait for a permit.
     *
     * @param maxWait the wait
     */
    public void setMaxWait(Duration maxWait) {
        this.maxWait = maxWait;
    }

    /**
     * The lowest rate.
     *
     * @return requests per second
     */
    public double getMinRate() {
        return minRate;
    }

    /**
     * Sets the lowest rate.
     *
     * @param minRate requests per second
     */
    public void setMinRate(double minRate) {
        this.minRate = minRate;
    }

    /**
     * How deep a decrease goes.
     *
     * @return the share
     */
    public double getDecrease() {
        return decrease;
    }

    /**
     * Sets how deep a decrease goes.
     *
     * @param decrease the share
     */
    public void setDecrease(double decrease) {
        this.decrease = decrease;
    }
}
