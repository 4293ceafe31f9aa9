package io.github.reactivekoyeb.snapshots.autoconfigure;

import io.github.reactivekoyeb.snapshots.RateLimitSettings;
import io.github.reactivekoyeb.snapshots.redis.RedisRateLimiter;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

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

    /**
     * Whether the replicas that use the token share one rate limit: {@code none} (each client
     * limits on its own) or {@code redis} (a RedisRateLimiter on the application's Redis).
     */
    private Shared shared = Shared.NONE;

    /** The shared rate limit in Redis, with {@code shared=redis}. */
    private final Redis redis = new Redis();

    /** Where a shared rate limit lives. */
    public enum Shared {
        /** Nowhere: each client limits on its own. */
        NONE,
        /** In the application's Redis (Lettuce), shared by every replica with the same token. */
        REDIS
    }

    /** {@code koyeb.snapshots.rate-limit.redis.*}. */
    public static class Redis {

        /** The prefix of the budget's Redis key. */
        private String keyPrefix = RedisRateLimiter.DEFAULT_KEY_PREFIX;

        /**
         * A name for the budget instead of a hash of the token: required with a TokenProvider bean
         * (a token fetched at run time), or to share one limit between several tokens.
         */
        private @Nullable String budget;

        /** The longest wait for one Redis command before the client paces on its own. */
        private Duration commandTimeout = Duration.ofMillis(RedisRateLimiter.DEFAULT_COMMAND_TIMEOUT_MILLIS);

        /** Creates the Redis properties with the defaults. */
        public Redis() {
        }

        /**
         * The key prefix.
         *
         * @return the prefix
         */
        public String getKeyPrefix() {
            return keyPrefix;
        }

        /**
         * Sets the key prefix.
         *
         * @param keyPrefix the prefix
         */
        public void setKeyPrefix(String keyPrefix) {
            this.keyPrefix = keyPrefix;
        }

        /**
         * The budget's name.
         *
         * @return the name, or null for a hash of the token
         */
        public @Nullable String getBudget() {
            return budget;
        }

        /**
         * Names the budget.
         *
         * @param budget the name
         */
        public void setBudget(@Nullable String budget) {
            this.budget = budget;
        }

        /**
         * The command timeout.
         *
         * @return the timeout
         */
        public Duration getCommandTimeout() {
            return commandTimeout;
        }

        /**
         * Sets the command timeout.
         *
         * @param commandTimeout the timeout
         */
        public void setCommandTimeout(Duration commandTimeout) {
            this.commandTimeout = commandTimeout;
        }
    }

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
     * Where the rate limit is shared.
     *
     * @return {@link Shared#NONE} by default
     */
    public Shared getShared() {
        return shared;
    }

    /**
     * Shares the rate limit.
     *
     * @param shared where
     */
    public void setShared(Shared shared) {
        this.shared = shared;
    }

    /**
     * The Redis settings of a shared limit.
     *
     * @return the settings
     */
    public Redis getRedis() {
        return redis;
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
