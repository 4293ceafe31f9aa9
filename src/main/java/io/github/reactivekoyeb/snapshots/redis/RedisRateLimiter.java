package io.github.reactivekoyeb.snapshots.redis;

import io.github.reactivekoyeb.snapshots.RateLimitSettings;
import io.github.reactivekoyeb.snapshots.RateLimiter;
import io.github.reactivekoyeb.snapshots.internal.SharedRateLimiter;
import io.lettuce.core.RedisClient;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * A {@link RateLimiter} shared by every client, in any process, that uses the same API token (or
 * the same named budget) over the same Redis: the replicas of a service share one budget of the
 * API's rate limit instead of splitting it by chance.
 *
 * <pre>{@code
 * RedisClient redis = RedisClient.create("redis://redis.internal:6379");
 * RedisRateLimiter limiter = RedisRateLimiter.builder(redis).token(token).build();
 * ReactiveSnapshotsClient client = ReactiveSnapshotsClient.builder().token(token).rateLimiter(limiter).build();
 * }</pre>
 *
 * <p>The model is the {@linkplain RateLimiter#adaptive() adaptive limiter}'s, fleet-wide: free (no
 * Redis round trip on a call) until a replica meets a 429; then every replica's requests take
 * their slots from one budget in Redis, at one rate that any replica's 429 lowers (at most once
 * per second for the whole fleet: to what the API admitted the fleet between its last two 429s,
 * once that is measured) and that grows back along CUBIC's curve, every replica pauses for the
 * latest {@code Retry-After}, and ten seconds without a 429 make the budget free again.
 * Each change is one atomic Lua script on Redis's own clock ({@code TIME}: the replicas' clocks
 * never enter), and the budget's one key expires a minute after its last change. The key is the
 * prefix and a SHA-256 hash of the token (never the token), or the budget's name. A replica
 * takes slots in small leases (at most 0.1 s of the fleet's rate, and only what its waiting
 * requests need): at most one Redis command per request it sends while the fleet is limited,
 * fewer under load. {@code docs/rate-limiting.md} has the model and its figures.
 *
 * <p><b>When Redis fails</b> (absent, killed, restarted empty, or slower than the
 * {@linkplain Builder#commandTimeout(Duration) command timeout}, 100 ms by default), no call
 * waits longer than that timeout on a Redis command, nor longer than one second for a connection
 * when there is none (at start, and after a failure): the client falls back to an adaptive limiter of its own
 * (which heard every reply meanwhile), logs one WARN line, and {@link #mode()} says
 * {@link Mode#LOCAL}; it asks Redis again every second and returns to the shared budget at its
 * first answer (one INFO line). Redis is never called on an event loop in a way that blocks it:
 * commands go through Lettuce's reactive API, and the connection, opened in the background when
 * the limiter is built (and again after a failure), is opened on Reactor's bounded-elastic
 * scheduler.
 *
 * <p>Thread-safe and immutable in its settings; give one instance to every client of a process
 * that uses the token. {@link #close()} closes its Redis connection (not the {@code RedisClient}).
 */
public final class RedisRateLimiter implements RateLimiter, AutoCloseable {

    /** The default prefix of the budget's key: {@value}. */
    public static final String DEFAULT_KEY_PREFIX = "koyeb:snapshots:rate-limit:";
    /** The default longest wait for Redis's answer, in milliseconds: {@value}. */
    public static final long DEFAULT_COMMAND_TIMEOUT_MILLIS = 100;

    /** How long without a 429 in the fleet before the budget is free again, as the adaptive limiter. */
    static final Duration QUIET = Duration.ofSeconds(10);

    /** Where a limiter's permits come from. */
    public enum Mode {
        /** From the budget in Redis, shared with the other replicas. */
        SHARED,
        /** From the client's own adaptive limiter, while Redis fails or is slow. */
        LOCAL
    }

    private final SharedRateLimiter shared;
    private final LettuceBudget budget;

    private RedisRateLimiter(Builder builder, String key, String description) {
        this.budget = new LettuceBudget(builder.client, key, description, builder.settings, builder.quiet,
                builder.commandTimeout);
        this.shared = new SharedRateLimiter(builder.settings, budget, builder.commandTimeout);
        budget.onLost(shared::budgetLost);
        budget.connectSoon();
    }

    /**
     * A builder over this Redis client (its URI, TLS, credentials and timeouts are the
     * application's); the limiter opens one connection of its own through it.
     *
     * @param client the Lettuce client, standalone Redis
     * @return a builder
     * @throws NullPointerException if {@code client} is null
     */
    public static Builder builder(RedisClient client) {
        return new Builder(Objects.requireNonNull(client, "client"));
    }

    /**
     * Where the permits come from now: the metric of which mode the limiter is in.
     *
     * @return {@link Mode#SHARED}, or {@link Mode#LOCAL} while Redis fails
     */
    public Mode mode() {
        return shared.pacesOnItsOwn() ? Mode.LOCAL : Mode.SHARED;
    }

    /**
     * The Redis key of the budget: the prefix and a hash of the token, or the budget's name.
     *
     * @return the key
     */
    public String key() {
        return budget.key();
    }

    /**
     * How many times this limiter fell back to the client's own limiter (Redis failed or was
     * slower than the command timeout): a counter for the application's monitoring.
     *
     * @return the count
     */
    public long fallbacks() {
        return shared.fallbacks();
    }

    /**
     * How many Redis commands this limiter has sent (slot leases, 429 reports, background reads
     * and probes): what the benchmarks divide by the requests sent.
     *
     * @return the count
     */
    public long redisCommands() {
        return shared.budgetCalls();
    }

    /**
     * {@inheritDoc}
     *
     * <p>Emits at once while the fleet is free; while it is limited, when this request's slot
     * comes (after one Redis round trip for a lease, or none); completes empty when no slot
     * comes within {@link #maxWait()} (a pause longer than it, say).
     */
    @Override
    public Mono<Duration> permit() {
        return shared.permit();
    }

    @Override
    public boolean tryPermitNow() {
        return shared.tryPermitNow();
    }

    /**
     * {@inheritDoc}
     *
     * <p>Pauses this client at once, and reports the 429 to the fleet's budget.
     */
    @Override
    public void onThrottled(@Nullable Duration retryAfter) {
        shared.onThrottled(retryAfter);
    }

    @Override
    public void onAdmitted() {
        shared.onAdmitted();
    }

    /**
     * {@inheritDoc}
     *
     * <p>The fleet's rate while it is limited, as this replica last heard it; this client's own
     * while it is in {@link Mode#LOCAL}.
     */
    @Override
    public double rate() {
        return shared.rate();
    }

    @Override
    public Duration maxWait() {
        return shared.maxWait();
    }

    /** Closes the limiter's Redis connection; the {@code RedisClient} stays the application's. */
    @Override
    public void close() {
        budget.close();
    }

    /**
     * Never the token: the key's hash is all it shows of it.
     *
     * @return a description
     */
    @Override
    public String toString() {
        return "RedisRateLimiter{" + budget.describe() + ", " + mode() + '}';
    }

    /**
     * Builds a {@link RedisRateLimiter}; not thread-safe. Either {@link #token(String)} or
     * {@link #budget(String)} is required.
     */
    public static final class Builder {

        private final RedisClient client;
        private @Nullable String tokenHash;
        private @Nullable String budget;
        private String keyPrefix = DEFAULT_KEY_PREFIX;
        private RateLimitSettings settings = RateLimitSettings.defaults();
        private Duration commandTimeout = Duration.ofMillis(DEFAULT_COMMAND_TIMEOUT_MILLIS);
        private Duration quiet = QUIET;

        private Builder(RedisClient client) {
            this.client = client;
        }

        /**
         * The API token whose budget this is: only a SHA-256 hash of it is kept (and becomes the
         * key); clients with the same token share the budget.
         *
         * @param token the API token the clients send
         * @return this builder
         * @throws IllegalArgumentException if blank
         */
        public Builder token(String token) {
            Objects.requireNonNull(token, "token");
            if (token.isBlank()) {
                throw new IllegalArgumentException("token must not be blank");
            }
            this.tokenHash = sha256(token);
            return this;
        }

        /**
         * A budget named by the application instead of the token's hash: for a token the clients
         * fetch at run time, or several tokens that share one limit.
         *
         * @param name letters, digits, {@code -}, {@code _}, {@code .} or {@code :}, at most 100
         * @return this builder
         * @throws IllegalArgumentException if blank, too long or with other characters
         */
        public Builder budget(String name) {
            Objects.requireNonNull(name, "name");
            if (!name.matches("[A-Za-z0-9._:-]{1,100}")) {
                throw new IllegalArgumentException("budget must be 1 to 100 letters, digits, '-', '_', '.' or ':'");
            }
            this.budget = name;
            return this;
        }

        /**
         * The prefix of the budget's key, {@value RedisRateLimiter#DEFAULT_KEY_PREFIX} by default.
         *
         * @param prefix the prefix, at most 200 characters, no whitespace
         * @return this builder
         * @throws IllegalArgumentException if it has whitespace or is too long
         */
        public Builder keyPrefix(String prefix) {
            Objects.requireNonNull(prefix, "prefix");
            if (prefix.length() > 200 || prefix.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("keyPrefix must be at most 200 characters, without whitespace");
            }
            this.keyPrefix = prefix;
            return this;
        }

        /**
         * The maximum wait, lowest rate and decrease, of the shared budget and of the local
         * fallback; {@link RateLimitSettings#defaults()} by default.
         *
         * @param settings the settings
         * @return this builder
         */
        public Builder settings(RateLimitSettings settings) {
            this.settings = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /**
         * The longest wait for one Redis command before the client paces on its own; 100 ms by
         * default.
         *
         * @param timeout between 1 ms and 10 s
         * @return this builder
         * @throws IllegalArgumentException if out of range
         */
        public Builder commandTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.compareTo(Duration.ofMillis(1)) < 0 || timeout.compareTo(Duration.ofSeconds(10)) > 0) {
                throw new IllegalArgumentException("commandTimeout must be between 1 ms and 10 s: " + timeout);
            }
            this.commandTimeout = timeout;
            return this;
        }

        /** How long without a 429 frees the budget again: tests shorten it. */
        Builder quiet(Duration quiet) {
            this.quiet = quiet;
            return this;
        }

        /**
         * The limiter; it starts opening its Redis connection in the background (a Redis absent
         * now is no error: the limiter paces on its own until it answers).
         *
         * @return a new limiter
         * @throws IllegalStateException when neither a token nor a budget name was given
         */
        public RedisRateLimiter build() {
            String name = budget;
            String hash = tokenHash;
            if (name != null) {
                return new RedisRateLimiter(this, keyPrefix + "budget:" + name, "'" + keyPrefix + "budget:" + name + "'");
            }
            if (hash == null) {
                throw new IllegalStateException("a RedisRateLimiter needs token(...) or budget(...): the budget it shares");
            }
            return new RedisRateLimiter(this, keyPrefix + "token:" + hash, "'" + keyPrefix + "token:" + hash + "'");
        }

        private static String sha256(String token) {
            try {
                byte[] hash = MessageDigest.getInstance("SHA-256")
                        .digest(("koyeb-snapshots-rate-limit:" + token).getBytes(StandardCharsets.UTF_8));
                return HexFormat.of().formatHex(hash, 0, 16);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

}
