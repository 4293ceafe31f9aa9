package io.github.reactivekoyeb.snapshots.testing;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import javax.net.ssl.KeyManagerFactory;
import org.jspecify.annotations.Nullable;

/**
 * The settings of a {@link FakeKoyebServer}, behind its {@link FakeKoyebServer.Builder}: what the
 * server is told before it starts. Not thread-safe.
 *
 * @param <B> the builder
 */
abstract class FakeServerSettings<B extends FakeServerSettings<B>> {
    @Nullable String token;
    Duration creationDelay = Duration.ofSeconds(1);
    Duration deletionDelay = Duration.ofSeconds(1);
    Duration latency = Duration.ZERO;
    String organizationId = "org-fake";
    String region = "fra";
    boolean int64AsStrings = true;
    int maxLimit = FakeKoyebServer.MAX_LIMIT;
    Clock clock = Clock.systemUTC();
    int port;
    @Nullable KeyManagerFactory tlsKeys;
    boolean recordRequests = true;
    boolean compression = true;
    long seed = System.nanoTime();
    double rateLimit;

    FakeServerSettings() {
    }

    /** This builder, for chaining. */
    abstract B self();

    /** Gives another builder these settings (the extension's to the server's). */
    <T extends FakeServerSettings<T>> T copyTo(T other) {
        other.token = token;
        other.creationDelay = creationDelay;
        other.deletionDelay = deletionDelay;
        other.latency = latency;
        other.organizationId = organizationId;
        other.region = region;
        other.int64AsStrings = int64AsStrings;
        other.maxLimit = maxLimit;
        other.clock = clock;
        other.port = port;
        other.tlsKeys = tlsKeys;
        other.recordRequests = recordRequests;
        other.compression = compression;
        other.seed = seed;
        other.rateLimit = rateLimit;
        return other;
    }

    /**
     * The seed of the random positions that changes draw ({@link FakeChange}); default one of
     * the moment, which {@link FakeKoyebServer#seed()} tells.
     *
     * @param seed the seed
     * @return this builder
     */
    public B seed(long seed) {
        this.seed = seed;
        return self();
    }

    /**
     * Admits at most this many requests per second, as a rate-limited API does: a token bucket of
     * one second's worth, full at the start; a request over the limit is answered 429 with
     * {@code Retry-After: 1}. Default none; {@link FakeKoyebServer#rateLimit(double)} changes it later.
     *
     * @param requestsPerSecond the limit, positive, or 0 for none
     * @return this builder
     * @throws IllegalArgumentException if it is negative or not finite
     */
    public B rateLimit(double requestsPerSecond) {
        this.rateLimit = FakeKoyebServer.checkedRateLimit(requestsPerSecond);
        return self();
    }

    /**
     * Requires {@code Authorization: Bearer <token>} on every request (else 401).
     *
     * @param token the token, or null to accept any request
     * @return this builder
     */
    public B token(@Nullable String token) {
        this.token = token;
        return self();
    }

    /**
     * How long a created snapshot stays {@code CREATING}; default 1 s.
     *
     * @param delay the delay
     * @return this builder
     */
    public B creationDelay(Duration delay) {
        this.creationDelay = Objects.requireNonNull(delay, "delay");
        return self();
    }

    /**
     * How long a deleted snapshot stays {@code DELETING}; default 1 s.
     *
     * @param delay the delay
     * @return this builder
     */
    public B deletionDelay(Duration delay) {
        this.deletionDelay = Objects.requireNonNull(delay, "delay");
        return self();
    }

    /**
     * Added to every answer; default none.
     *
     * @param latency the latency
     * @return this builder
     */
    public B latency(Duration latency) {
        this.latency = Objects.requireNonNull(latency, "latency");
        return self();
    }

    /**
     * The organization of created and seeded snapshots; default {@code org-fake}.
     *
     * @param organizationId the id
     * @return this builder
     */
    public B organizationId(String organizationId) {
        this.organizationId = Objects.requireNonNull(organizationId, "organizationId");
        return self();
    }

    /**
     * The region of created snapshots; default {@code fra}.
     *
     * @param region the region
     * @return this builder
     */
    public B region(String region) {
        this.region = Objects.requireNonNull(region, "region");
        return self();
    }

    /**
     * Whether 64-bit integers ({@code size}, {@code limit}, {@code offset}) are sent as JSON
     * strings, as Koyeb's protobuf JSON does; default true.
     *
     * @param asStrings false to send JSON numbers
     * @return this builder
     */
    public B int64AsStrings(boolean asStrings) {
        this.int64AsStrings = asStrings;
        return self();
    }

    /**
     * The largest page the server returns, whatever {@code limit} asks for; default
     * {@value FakeKoyebServer#MAX_LIMIT}. A smaller one makes a server that pages differently
     * from what the client asked.
     *
     * @param maxLimit 1 or more
     * @return this builder
     */
    public B maxLimit(int maxLimit) {
        if (maxLimit < 1) {
            throw new IllegalArgumentException("maxLimit must be positive");
        }
        this.maxLimit = maxLimit;
        return self();
    }

    /**
     * The server's one clock: of the life-cycle transitions, storms and the time requests
     * arrived; default the system clock.
     *
     * @param clock the clock
     * @return this builder
     */
    public B clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return self();
    }

    /**
     * Serves HTTPS with this key and certificate (for instance a self-signed one, to test how a
     * client handles trust); default plain HTTP.
     *
     * @param keys the server's key material
     * @return this builder
     */
    public B https(KeyManagerFactory keys) {
        this.tlsKeys = Objects.requireNonNull(keys, "keys");
        return self();
    }

    /**
     * Whether the store's answers are gzip-compressed for a request that accepts gzip, as
     * Koyeb's are; default true.
     *
     * @param enabled false to answer plain whatever the request accepts
     * @return this builder
     */
    public B compression(boolean enabled) {
        this.compression = enabled;
        return self();
    }

    /**
     * Whether every request is kept for {@link FakeKoyebServer#requests()}; default true. A
     * long soak turns it off so that the record does not grow without bound;
     * {@link FakeKoyebServer#requestCount()} counts either way.
     *
     * @param record false to keep none
     * @return this builder
     */
    public B recordRequests(boolean record) {
        this.recordRequests = record;
        return self();
    }

    /**
     * The port to listen on; default 0, a free port.
     *
     * @param port the port
     * @return this builder
     */
    public B port(int port) {
        this.port = port;
        return self();
    }

}
