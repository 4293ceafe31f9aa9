package io.github.reactivekoyeb.snapshots;

import io.github.reactivekoyeb.snapshots.internal.Checks;
import java.time.Duration;
import java.util.Objects;

/**
 * Limits of the connection pool the client creates for itself (named
 * {@value #POOL_NAME}) when it is not given an application's {@code WebClient.Builder}.
 *
 * <p>Immutable. The defaults suit one remote API: {@value #DEFAULT_MAX_CONNECTIONS} connections,
 * up to {@value #DEFAULT_PENDING_ACQUIRE_MAX_COUNT} calls waiting for one (so a burst of thousands
 * of simultaneous calls queues rather than fails) for at most 60 s, idle connections closed after
 * 20 s (before a load balancer closes them under a request), every connection closed after 5 min
 * (so DNS changes are followed), connect timeout 10 s.
 *
 * <pre>{@code
 * ReactiveSnapshotsClient.builder()
 *         .connectionPool(ConnectionPoolSettings.builder().maxConnections(16).build())
 *         .build();
 * }</pre>
 */
public final class ConnectionPoolSettings {

    /** The pool's name, also the name of its Reactor Netty metrics when enabled: {@value}. */
    public static final String POOL_NAME = "koyeb-snapshots";
    /** Default connections: {@value}. */
    public static final int DEFAULT_MAX_CONNECTIONS = 64;
    /** Default calls that may wait for a connection: {@value}. */
    public static final int DEFAULT_PENDING_ACQUIRE_MAX_COUNT = 16_384;

    private static final ConnectionPoolSettings DEFAULTS = builder().build();

    private final int maxConnections;
    private final int pendingAcquireMaxCount;
    private final Duration pendingAcquireTimeout;
    private final Duration maxIdleTime;
    private final Duration maxLifeTime;
    private final Duration connectTimeout;

    private ConnectionPoolSettings(Builder builder) {
        this.maxConnections = builder.maxConnections;
        this.pendingAcquireMaxCount = builder.pendingAcquireMaxCount;
        this.pendingAcquireTimeout = builder.pendingAcquireTimeout;
        this.maxIdleTime = builder.maxIdleTime;
        this.maxLifeTime = builder.maxLifeTime;
        this.connectTimeout = builder.connectTimeout;
    }

    /**
     * The defaults described above.
     *
     * @return the default settings
     */
    public static ConnectionPoolSettings defaults() {
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
     * The most connections open at once.
     *
     * @return 1 or more
     */
    public int maxConnections() {
        return maxConnections;
    }

    /**
     * The most calls waiting for a connection; one more fails at once.
     *
     * @return 1 or more
     */
    public int pendingAcquireMaxCount() {
        return pendingAcquireMaxCount;
    }

    /**
     * The longest a call waits for a connection.
     *
     * @return a positive duration
     */
    public Duration pendingAcquireTimeout() {
        return pendingAcquireTimeout;
    }

    /**
     * How long a connection may stay idle in the pool.
     *
     * @return a positive duration
     */
    public Duration maxIdleTime() {
        return maxIdleTime;
    }

    /**
     * How long a connection may live, busy or not.
     *
     * @return a positive duration
     */
    public Duration maxLifeTime() {
        return maxLifeTime;
    }

    /**
     * The connect timeout.
     *
     * @return a positive duration
     */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConnectionPoolSettings other
                && maxConnections == other.maxConnections
                && pendingAcquireMaxCount == other.pendingAcquireMaxCount
                && pendingAcquireTimeout.equals(other.pendingAcquireTimeout)
                && maxIdleTime.equals(other.maxIdleTime)
                && maxLifeTime.equals(other.maxLifeTime)
                && connectTimeout.equals(other.connectTimeout);
    }

    @Override
    public int hashCode() {
        return Objects.hash(maxConnections, pendingAcquireMaxCount, pendingAcquireTimeout, maxIdleTime, maxLifeTime,
                connectTimeout);
    }

    @Override
    public String toString() {
        return "ConnectionPoolSettings{maxConnections=" + maxConnections + ", pendingAcquireMaxCount="
                + pendingAcquireMaxCount + ", pendingAcquireTimeout=" + pendingAcquireTimeout + ", maxIdleTime="
                + maxIdleTime + ", maxLifeTime=" + maxLifeTime + ", connectTimeout=" + connectTimeout + '}';
    }

    /** Builds {@link ConnectionPoolSettings}; each setter checks its value at once. Not thread-safe. */
    public static final class Builder {
        private int maxConnections = DEFAULT_MAX_CONNECTIONS;
        private int pendingAcquireMaxCount = DEFAULT_PENDING_ACQUIRE_MAX_COUNT;
        private Duration pendingAcquireTimeout = Duration.ofSeconds(60);
        private Duration maxIdleTime = Duration.ofSeconds(20);
        private Duration maxLifeTime = Duration.ofMinutes(5);
        private Duration connectTimeout = Duration.ofSeconds(10);

        private Builder() {
        }

        /**
         * The most connections open at once.
         *
         * @param maxConnections 1 or more
         * @return this builder
         * @throws IllegalArgumentException if less than 1
         */
        public Builder maxConnections(int maxConnections) {
            this.maxConnections = atLeastOne(maxConnections, "maxConnections");
            return this;
        }

        /**
         * The most calls waiting for a connection.
         *
         * @param pendingAcquireMaxCount 1 or more
         * @return this builder
         * @throws IllegalArgumentException if less than 1
         */
        public Builder pendingAcquireMaxCount(int pendingAcquireMaxCount) {
            this.pendingAcquireMaxCount = atLeastOne(pendingAcquireMaxCount, "pendingAcquireMaxCount");
            return this;
        }

        /**
         * The longest a call waits for a connection.
         *
         * @param timeout a positive duration
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        public Builder pendingAcquireTimeout(Duration timeout) {
            this.pendingAcquireTimeout = Checks.positive(timeout, "pendingAcquireTimeout");
            return this;
        }

        /**
         * How long a connection may stay idle in the pool.
         *
         * @param maxIdleTime a positive duration
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        public Builder maxIdleTime(Duration maxIdleTime) {
            this.maxIdleTime = Checks.positive(maxIdleTime, "maxIdleTime");
            return this;
        }

        /**
         * How long a connection may live.
         *
         * @param maxLifeTime a positive duration
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        public Builder maxLifeTime(Duration maxLifeTime) {
            this.maxLifeTime = Checks.positive(maxLifeTime, "maxLifeTime");
            return this;
        }

        /**
         * The connect timeout.
         *
         * @param connectTimeout a positive duration of at most {@code Integer.MAX_VALUE} ms
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = Checks.positive(connectTimeout, "connectTimeout");
            if (connectTimeout.toMillis() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("connectTimeout is too long");
            }
            return this;
        }

        /**
         * Builds the immutable settings.
         *
         * @return new settings
         */
        public ConnectionPoolSettings build() {
            return new ConnectionPoolSettings(this);
        }

        private static int atLeastOne(int value, String name) {
            if (value < 1) {
                throw new IllegalArgumentException(name + " must be at least 1, was " + value);
            }
            return value;
        }

    }
}
