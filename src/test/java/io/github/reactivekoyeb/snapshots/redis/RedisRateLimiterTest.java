package io.github.reactivekoyeb.snapshots.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.github.reactivekoyeb.snapshots.KoyebException;
import io.github.reactivekoyeb.snapshots.KoyebRateLimitException;
import io.github.reactivekoyeb.snapshots.RateLimitSettings;
import io.github.reactivekoyeb.snapshots.ReactiveSnapshotsClient;
import io.github.reactivekoyeb.snapshots.RetryPolicy;
import io.github.reactivekoyeb.snapshots.internal.SharedRateLimiter;
import io.github.reactivekoyeb.snapshots.support.TestRedis;
import io.github.reactivekoyeb.snapshots.support.TestSecrets;
import io.github.reactivekoyeb.snapshots.testing.FakeKoyebServer;
import io.lettuce.core.RedisClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * The shared rate limit, against a real Redis server (started by the test) and the fake Koyeb
 * server over real HTTP: clients of one token share one budget, nothing of the token reaches
 * Redis, a free fleet makes no Redis round trip per call, and Redis faults cost no call its value.
 */
class RedisRateLimiterTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final String TOKEN = TestSecrets.TOKEN;
    private static TestRedis redis;
    private static RedisClient redisClient;

    private FakeKoyebServer server;
    private final List<ReactiveSnapshotsClient> clients = new ArrayList<>();
    private final List<RedisRateLimiter> limiters = new ArrayList<>();

    @BeforeAll
    static void startRedis() {
        redis = TestRedis.start();
        redisClient = redis.client();
    }

    @AfterAll
    static void stopRedis() {
        redisClient.shutdown();
        redis.close();
    }

    @BeforeEach
    void start() {
        server = FakeKoyebServer.builder().token(TOKEN).build();
        server.seed(20);
        redis.restart(); // empty, for each test
    }

    @AfterEach
    void stop() {
        clients.forEach(ReactiveSnapshotsClient::close);
        limiters.forEach(RedisRateLimiter::close);
        server.close();
    }

    private RedisRateLimiter limiter(RedisClient over, String token) {
        RedisRateLimiter limiter = RedisRateLimiter.builder(over).token(token).build();
        limiters.add(limiter);
        return limiter;
    }

    private ReactiveSnapshotsClient client(RedisRateLimiter limiter, RetryPolicy retries) {
        ReactiveSnapshotsClient client = ReactiveSnapshotsClient.builder().baseUrl(server.baseUrl()).token(TOKEN)
                .rateLimiter(limiter).retryPolicy(retries).build();
        clients.add(client);
        return client;
    }

    /** A short real wait on the test thread until the condition holds, or false after {@code atMost}. */
    private static boolean eventually(BooleanSupplier condition, Duration atMost) {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Two 429s met at once by one client: the fleet's first cut (the first alone is stray), and a 1 s pause. */
    private void throttleTwice(ReactiveSnapshotsClient client) {
        throttleTwice(client, "1");
    }

    private void throttleTwice(ReactiveSnapshotsClient client, String retryAfter) {
        server.failNext(2, 429, retryAfter).holdTogether(2);
        StepVerifier.create(Flux.merge(client.getSnapshot("snap-000001").onErrorComplete(),
                client.getSnapshot("snap-000002").onErrorComplete())).expectComplete().verify(TIMEOUT);
    }

    @Test
    void theKeyIsAHashOfTheTokenOrTheBudgetsNameUnderThePrefixAndExpires() {
        RedisRateLimiter a = limiter(redisClient, TOKEN);
        assertThat(a.key()).startsWith(RedisRateLimiter.DEFAULT_KEY_PREFIX + "token:").doesNotContain(TOKEN)
                .isEqualTo(limiter(redisClient, TOKEN).key()).isNotEqualTo(limiter(redisClient, TOKEN + "x").key());
        assertThat(a.toString()).doesNotContain(TOKEN).contains(a.key());
        RedisRateLimiter named = RedisRateLimiter.builder(redisClient).budget("backups").keyPrefix("app:").build();
        limiters.add(named);
        assertThat(named.key()).isEqualTo("app:budget:backups");

        throttleTwice(client(a, RetryPolicy.none()), "0");
        assertThat(eventually(() -> Double.isFinite(a.rate()), TIMEOUT)).as("the fleet limits").isTrue();
        Map<String, Map<String, String>> held = redis.hashes();
        assertThat(held).containsOnlyKeys(a.key());
        assertThat(held.toString()).doesNotContain(TOKEN).doesNotContain(TOKEN.substring(0, 12));
        assertThat(redis.ttlMillis(a.key())).isBetween(1L, 60_000L);
    }

    @Test
    void badSettingsFailAtOnce() {
        assertThatThrownBy(() -> RedisRateLimiter.builder(redisClient).build()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("token(...) or budget(...)");
        assertThatThrownBy(() -> RedisRateLimiter.builder(redisClient).token(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RedisRateLimiter.builder(redisClient).budget("a b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RedisRateLimiter.builder(redisClient).keyPrefix("a b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RedisRateLimiter.builder(redisClient).commandTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RedisRateLimiter.builder(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void clientsOfOneTokenShareTheRateAndThePauseOthersStayFree() {
        RedisRateLimiter a = limiter(redisClient, TOKEN);
        RedisRateLimiter b = limiter(redisClient, TOKEN);
        RedisRateLimiter other = limiter(redisClient, "another-token-of-another-account");
        throttleTwice(client(a, RetryPolicy.none()));
        Instant throttledAt = server.requests().get(1).receivedAt();
        assertThat(eventually(() -> Double.isFinite(a.rate()), TIMEOUT)).as("the first cut").isTrue();

        // b has met no 429: its first call goes at once and reads the budget meanwhile
        ReactiveSnapshotsClient cb = client(b, RetryPolicy.none());
        StepVerifier.create(cb.getSnapshot("snap-000003")).expectNextCount(1).expectComplete().verify(TIMEOUT);
        assertThat(eventually(() -> Double.isFinite(b.rate()), TIMEOUT)).as("b learns that the fleet limits").isTrue();
        assertThat(b.rate()).isCloseTo(a.rate(), within(a.rate() * 0.2 + 1));
        // ...and waits for the fleet's pause, which a's 429 started
        StepVerifier.create(cb.getSnapshot("snap-000004")).expectNextCount(1).expectComplete().verify(TIMEOUT);
        assertThat(Duration.between(throttledAt, server.lastRequest().receivedAt()))
                .isGreaterThanOrEqualTo(Duration.ofMillis(900));

        StepVerifier.create(client(other, RetryPolicy.none()).getSnapshot("snap-000005")).expectNextCount(1)
                .expectComplete().verify(TIMEOUT);
        assertThat(eventually(() -> other.redisCommands() > 0, TIMEOUT)).isTrue();
        assertThat(other.rate()).as("another token's budget").isInfinite();
        assertThat(other.mode()).isEqualTo(RedisRateLimiter.Mode.SHARED);
    }

    @Test
    void aPauseLongerThanTheMaximumWaitRefusesTheCallAtOnceUnsentOnEveryReplica() {
        RateLimitSettings settings = RateLimitSettings.builder().maxWait(Duration.ofSeconds(1)).build();
        RedisRateLimiter a = RedisRateLimiter.builder(redisClient).token(TOKEN).settings(settings).build();
        RedisRateLimiter b = RedisRateLimiter.builder(redisClient).token(TOKEN).settings(settings).build();
        limiters.add(a);
        limiters.add(b);
        server.failNext(2, 429, "5").holdTogether(2);
        ReactiveSnapshotsClient ca = client(a, RetryPolicy.none());
        StepVerifier.create(Flux.merge(ca.getSnapshot("snap-000001").onErrorComplete(),
                ca.getSnapshot("snap-000002").onErrorComplete())).expectComplete().verify(TIMEOUT);
        assertThat(eventually(() -> Double.isFinite(a.rate()), TIMEOUT)).isTrue();
        int sent = server.requestCount();
        ReactiveSnapshotsClient cb = client(b, RetryPolicy.none());
        // b's first call goes (b has heard nothing yet) and reads the budget: the fleet is paused 5 s
        StepVerifier.create(cb.getSnapshot("snap-000003")).expectNextCount(1).expectComplete().verify(TIMEOUT);
        assertThat(eventually(() -> Double.isFinite(b.rate()), TIMEOUT)).isTrue();
        long start = System.nanoTime();
        StepVerifier.create(cb.getSnapshot("snap-000004")).expectErrorSatisfies(e -> assertThat(e)
                .isInstanceOf(KoyebRateLimitException.class)
                .satisfies(x -> assertThat(((KoyebRateLimitException) x).refusedByClient()).isTrue()))
                .verify(TIMEOUT);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("at once").isLessThan(Duration.ofMillis(500));
        assertThat(server.requestCount()).as("not sent").isEqualTo(sent + 1);
    }

    @Test
    void whileNothingLimitsACallMakesNoRedisRoundTrip() {
        RedisRateLimiter a = limiter(redisClient, TOKEN);
        ReactiveSnapshotsClient client = client(a, RetryPolicy.none());
        long start = System.nanoTime();
        Integer got = Flux.range(0, 400).flatMap(i -> client.getSnapshot("snap-00000" + (1 + i % 9)), 16)
                .count().map(Long::intValue).block(TIMEOUT);
        long elapsed = System.nanoTime() - start;
        assertThat(got).isEqualTo(400);
        // only the background reads, at most one per interval
        long reads = elapsed / SharedRateLimiter.CHECK_INTERVAL.toNanos() + 1;
        assertThat(a.redisCommands()).as("Redis commands for 400 calls in %d ms", elapsed / 1_000_000)
                .isLessThanOrEqualTo(reads);
    }

    @Test
    void onceLimitedTheFleetSendsAtMostOneRedisCommandPerRequest() {
        server.rateLimit(100);
        List<RedisRateLimiter> fleet = List.of(limiter(redisClient, TOKEN), limiter(redisClient, TOKEN));
        List<ReactiveSnapshotsClient> replicas = fleet.stream().map(l -> client(l, RetryPolicy.defaults())).toList();
        // 2 replicas x 30 callers until the fleet limits (the API's bucket of 100 runs out), and 0.3 s more
        AtomicInteger values = new AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean going = new java.util.concurrent.atomic.AtomicBoolean(true);
        java.util.concurrent.CompletableFuture<Void> load = Flux.fromIterable(replicas).flatMap(c -> Flux.range(0, 30)
                .flatMap(i -> Mono.defer(() -> c.getSnapshot("snap-000001"))
                        .doOnNext(s -> values.incrementAndGet()).repeat(going::get))).then().toFuture();
        boolean limited = eventually(() -> fleet.stream().allMatch(l -> Double.isFinite(l.rate())), Duration.ofSeconds(5));
        sleep(300);
        going.set(false);
        assertThat(load).succeedsWithin(Duration.ofSeconds(40));
        assertThat(limited).as("the fleet limits").isTrue();
        long commands = fleet.stream().mapToLong(RedisRateLimiter::redisCommands).sum();
        assertThat(commands).as("Redis commands for %d requests", server.requestCount())
                .isLessThanOrEqualTo(server.requestCount());
        assertThat(values.get()).isPositive();
    }

    @Test
    void redisAbsentAtStartThenStartedOneWarnLineAndTheFleetAgainWithinFiveSeconds() {
        int port = TestRedis.freePort();
        RedisClient absent = RedisClient.create(io.lettuce.core.RedisURI.create("redis://127.0.0.1:" + port));
        Logger logger = (Logger) LoggerFactory.getLogger(SharedRateLimiter.class);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        logger.addAppender(logged);
        try (TestRedis late = TestRedis.on(port)) {
            RedisRateLimiter a = limiter(absent, TOKEN);
            ReactiveSnapshotsClient client = client(a, RetryPolicy.defaults());
            // the first call reads the budget in the background: Redis refuses the connection
            long first = System.nanoTime();
            Integer got = Flux.range(0, 20).flatMap(i -> client.getSnapshot("snap-000001"), 20).count()
                    .map(Long::intValue).block(Duration.ofSeconds(30));
            assertThat(got).as("every call got its value").isEqualTo(20);
            assertThat(eventually(() -> a.mode() == RedisRateLimiter.Mode.LOCAL, Duration.ofSeconds(2))).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - first)).as("fell back").isLessThan(Duration.ofSeconds(1));
            // a 429 now is the local limiter's: it pauses this client
            server.failNext(1, 429, "1");
            StepVerifier.create(client.getSnapshot("snap-000002")).expectNextCount(1).expectComplete().verify(TIMEOUT);
            assertThat(Duration.between(server.requests().get(server.requestCount() - 2).receivedAt(),
                    server.lastRequest().receivedAt())).as("the retry waited the local pause")
                    .isGreaterThanOrEqualTo(Duration.ofMillis(900));
            late.restart();
            long started = System.nanoTime();
            assertThat(eventually(() -> a.mode() == RedisRateLimiter.Mode.SHARED, Duration.ofSeconds(5)))
                    .as("back to the shared budget").isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
            List<String> warnings = logged.list.stream().filter(e -> e.getLevel() == Level.WARN)
                    .map(ILoggingEvent::getFormattedMessage).toList();
            assertThat(warnings).hasSize(1);
            assertThat(warnings.get(0)).contains(a.key()).contains("paces on its own").doesNotContain(TOKEN);
        } finally {
            logger.detachAppender(logged);
            absent.shutdown();
        }
    }

    @Test
    void redisKilledMidRunThenRestartedEmptyCostsNoCallItsValue() {
        server.rateLimit(100);
        RedisRateLimiter a = limiter(redisClient, TOKEN);
        ReactiveSnapshotsClient client = client(a, RetryPolicy.defaults());
        List<Object> ends = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.atomic.AtomicBoolean going = new java.util.concurrent.atomic.AtomicBoolean(true);
        Mono<Void> run = Flux.range(0, 20).flatMap(i -> Mono.defer(() -> client.getSnapshot("snap-000001"))
                .map(s -> (Object) s).onErrorResume(KoyebException.class, e -> Mono.just(e)).doOnNext(ends::add)
                .repeat(going::get)).then();
        reactor.core.Disposable running = run.subscribe();
        assertThat(eventually(() -> Double.isFinite(a.rate()) && a.mode() == RedisRateLimiter.Mode.SHARED,
                Duration.ofSeconds(5))).as("limited, shared").isTrue();
        redis.kill();
        long killed = System.nanoTime();
        assertThat(eventually(() -> a.mode() == RedisRateLimiter.Mode.LOCAL, Duration.ofSeconds(2))).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - killed)).as("fell back").isLessThan(Duration.ofSeconds(1));
        redis.restart(); // empty: no key, no script
        long restarted = System.nanoTime();
        assertThat(eventually(() -> a.mode() == RedisRateLimiter.Mode.SHARED, Duration.ofSeconds(6))).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - restarted)).as("back").isLessThan(Duration.ofSeconds(5));
        going.set(false);
        assertThat(eventually(running::isDisposed, Duration.ofSeconds(40))).isTrue();
        assertThat(ends).isNotEmpty().allSatisfy(e -> assertThat(e).isInstanceOfAny(
                io.github.reactivekoyeb.snapshots.Snapshot.class, KoyebException.class));
        assertThat(ends.stream().filter(e -> e instanceof KoyebException).count()).as("typed errors").isZero();
    }

    @Test
    void aSlowRedisIsWaitedOnNoLongerThanTheCommandTimeout() {
        RedisRateLimiter a = limiter(redisClient, TOKEN);
        ReactiveSnapshotsClient client = client(a, RetryPolicy.defaults());
        // another replica met the 429s (without a pause): a learns that the fleet limits
        RedisRateLimiter b = limiter(redisClient, TOKEN);
        throttleTwice(client(b, RetryPolicy.none()), "0");
        assertThat(eventually(() -> Double.isFinite(b.rate()), TIMEOUT)).isTrue();
        StepVerifier.create(client.getSnapshot("snap-000003")).expectNextCount(1).expectComplete().verify(TIMEOUT);
        assertThat(eventually(() -> Double.isFinite(a.rate()), TIMEOUT)).isTrue();
        assertThat(a.fallbacks()).isZero();
        // each call now takes its slot from Redis, which sleeps 0.5 s
        redis.sleep(Duration.ofMillis(500));
        long slept = System.nanoTime();
        java.util.concurrent.CompletableFuture<Long> calls = Flux.range(0, 3)
                .flatMap(i -> client.getSnapshot("snap-000003")).count().toFuture();
        assertThat(eventually(() -> a.mode() == RedisRateLimiter.Mode.LOCAL, Duration.ofSeconds(1))).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - slept)).as("fell back while Redis still slept")
                .isLessThan(Duration.ofMillis(450));
        assertThat(calls).succeedsWithin(TIMEOUT).isEqualTo(3L);
        assertThat(a.fallbacks()).isEqualTo(1);
        assertThat(eventually(() -> a.mode() == RedisRateLimiter.Mode.SHARED, Duration.ofSeconds(5))).isTrue();
    }
}
