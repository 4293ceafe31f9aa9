package io.github.reactivekoyeb.snapshots.redis;

import io.github.reactivekoyeb.snapshots.RateLimitSettings;
import io.github.reactivekoyeb.snapshots.internal.SharedBudget;
import io.github.reactivekoyeb.snapshots.internal.SharedBudget.Decision;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.reactive.RedisReactiveCommands;
import io.lettuce.core.codec.StringCodec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The budget in one Redis hash, each decision one {@code EVALSHA} of {@code shared-rate-limit.lua}
 * (loaded again with {@code EVAL} when Redis answers {@code NOSCRIPT}: a Redis restarted empty).
 * Its connection is opened on first use, off the event loops (Lettuce's {@code connect} blocks),
 * and again after it closes.
 */
final class LettuceBudget implements SharedBudget, AutoCloseable {

    static final String SCRIPT = script();
    private static final Duration EXPIRY = Duration.ofMinutes(1);
    /** The longest wait for a connection, when there is none (at start, after a failure). */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);

    private final RedisClient client;
    private final String key;
    private final String description;
    private final RateLimitSettings settings;
    private final Duration quiet;
    private final Duration commandTimeout;
    private final String replica = UUID.randomUUID().toString();
    private final String digest;
    private final AtomicReference<@Nullable Mono<StatefulRedisConnection<String, String>>> connecting =
            new AtomicReference<>();
    private volatile @Nullable StatefulRedisConnection<String, String> connection;
    private volatile boolean closed;
    private volatile Consumer<Throwable> lost = e -> { };
    /** Tells at once when this budget's connection drops (Redis killed, say), not at its next command. */
    private final RedisConnectionStateListener watcher = new RedisConnectionStateListener() {
        @Override
        public void onRedisDisconnected(RedisChannelHandler<?, ?> disconnected) {
            StatefulRedisConnection<String, String> open = connection;
            if (!closed && open != null && open == disconnected) {
                connection = null; // the next command opens a fresh one
                open.closeAsync();
                lost.accept(new RedisConnectionException("the connection to Redis closed"));
            }
        }
    };

    LettuceBudget(RedisClient client, String key, String description, RateLimitSettings settings, Duration quiet,
            Duration commandTimeout) {
        this.client = client;
        this.commandTimeout = commandTimeout;
        this.quiet = quiet;
        this.key = key;
        this.description = description;
        this.settings = settings;
        this.digest = sha1(SCRIPT);
        client.addListener(watcher);
    }

    /** Who hears that the connection dropped. */
    void onLost(Consumer<Throwable> listener) {
        this.lost = listener;
    }

    /** Opens the connection in the background, so that the first decision finds it open. */
    void connectSoon() {
        commands().subscribe(c -> { }, e -> { }); // a failure here is met again, and handled, by the first call
    }

    String key() {
        return key;
    }

    @Override
    public Mono<Decision> reserve(int wanted, Duration maxWait, long admitted) {
        return run("reserve", wanted, maxWait, admitted, null, 0, 0);
    }

    @Override
    public Mono<Decision> throttled(int met, @Nullable Duration retryAfter, long admitted, double replicaRate) {
        return run("throttled", 0, settings.maxWait(), admitted, retryAfter, replicaRate, met);
    }

    @Override
    public String describe() {
        return description;
    }

    private Mono<Decision> run(String op, int wanted, Duration maxWait, long admitted, @Nullable Duration retryAfter,
            double replicaRate, int met) {
        String[] args = {op, Integer.toString(wanted), Long.toString(micros(maxWait)), Long.toString(admitted),
            Long.toString(retryAfter == null ? 0 : micros(retryAfter)), replica, number(replicaRate),
            number(settings.minRate()), number(settings.decrease()), Long.toString(micros(quiet)),
            Long.toString(EXPIRY.toMillis()), Integer.toString(met)};
        String[] keys = {key};
        return commands().timeout(CONNECT_TIMEOUT, Schedulers.parallel())
                .flatMap(redis -> this.<Object>eval(redis, keys, args).collectList()
                        .timeout(commandTimeout, Schedulers.parallel())
                        // a failed or timed-out command: the next opens a fresh connection rather
                        // than wait for this one's reconnection, whose back-off grows to 30 s
                        .doOnError(e -> drop(redis))
                        .doOnCancel(() -> drop(redis)))
                .map(LettuceBudget::decision);
    }

    private <T> Flux<T> eval(RedisReactiveCommands<String, String> redis, String[] keys, String[] args) {
        return redis.<T>evalsha(digest, ScriptOutputType.MULTI, keys, args)
                .onErrorResume(RedisNoScriptException.class, e -> redis.<T>eval(SCRIPT, ScriptOutputType.MULTI, keys, args));
    }

    private static Decision decision(List<Object> reply) {
        List<Long> values = new ArrayList<>(6);
        flatten(reply, values);
        if (values.size() != 6) {
            throw new IllegalStateException("unexpected reply of the shared rate limit's script: " + values);
        }
        return new Decision(values.get(0) == 1, Math.toIntExact(values.get(1)), Duration.ofNanos(values.get(2) * 1000),
                Duration.ofNanos(values.get(3) * 1000), values.get(4) / 1000.0, Duration.ofNanos(values.get(5) * 1000));
    }

    private static void flatten(List<?> reply, List<Long> into) {
        for (Object value : reply) {
            if (value instanceof List<?> inner) {
                flatten(inner, into);
            } else if (value instanceof Long number) {
                into.add(number);
            } else {
                throw new IllegalStateException("unexpected value in the shared rate limit's reply: " + value);
            }
        }
    }

    private void drop(RedisReactiveCommands<String, String> failed) {
        StatefulRedisConnection<String, String> open = connection;
        if (open != null && open.reactive() == failed) {
            connection = null;
            open.closeAsync();
        }
    }

    private Mono<RedisReactiveCommands<String, String>> commands() {
        StatefulRedisConnection<String, String> open = connection;
        if (open != null && open.isOpen()) {
            return Mono.just(open.reactive());
        }
        if (closed) {
            return Mono.error(new IllegalStateException("the Redis rate limiter is closed"));
        }
        Mono<StatefulRedisConnection<String, String>> pending = connecting.get();
        if (pending == null) {
            Mono<StatefulRedisConnection<String, String>> connect = Mono
                    .fromCallable(() -> client.connect(StringCodec.UTF8)) // blocks: on boundedElastic
                    .subscribeOn(Schedulers.boundedElastic())
                    .doOnNext(c -> {
                        StatefulRedisConnection<String, String> previous = connection;
                        connection = c;
                        if (previous != null) {
                            previous.closeAsync();
                        }
                        if (closed) {
                            c.closeAsync();
                        }
                    })
                    .doFinally(s -> connecting.set(null))
                    .cache();
            pending = connecting.compareAndSet(null, connect) ? connect : Objects.requireNonNull(connecting.get(), "connecting");
        }
        return pending.map(StatefulRedisConnection::reactive);
    }

    @Override
    public void close() {
        closed = true;
        client.removeListener(watcher);
        StatefulRedisConnection<String, String> open = connection;
        if (open != null) {
            open.closeAsync();
        }
    }

    private static long micros(Duration d) {
        return d.toNanos() / 1000;
    }

    private static String number(double value) {
        return String.format(Locale.ROOT, "%.6f", value);
    }

    private static String script() {
        try (InputStream in = LettuceBudget.class.getResourceAsStream("shared-rate-limit.lua")) {
            if (in == null) {
                throw new IllegalStateException("shared-rate-limit.lua is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha1(String text) {
        try {
            byte[] hash = java.security.MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(hash);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
