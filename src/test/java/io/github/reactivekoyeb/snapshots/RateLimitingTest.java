package io.github.reactivekoyeb.snapshots;

import io.github.reactivekoyeb.snapshots.support.OnEachTransport;
import io.github.reactivekoyeb.snapshots.support.ClientTransport;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivekoyeb.snapshots.autoconfigure.MicrometerClientEventListener;
import io.github.reactivekoyeb.snapshots.support.Slow;
import io.github.reactivekoyeb.snapshots.testing.FakeKoyebServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * The client's rate limiter over real HTTP: a first burst over the API's limit is paced and every
 * call gets its value; a {@code Retry-After} pauses every call of the client (and of the clients
 * that share the limiter); a call that would wait past the maximum fails at once without being
 * sent; a call cancelled while it waits sends nothing; paced retries of 429s leave the retry budget
 * alone while 503s still drain it; listings, read-ahead and waiters take permits; the listener and
 * the meters hear of it all.
 */
class RateLimitingTest implements ClientTransport.Aware {

    /** How this test's clients send: each {@link OnEachTransport} test runs once on each transport. */
    private ClientTransport transport = ClientTransport.REACTOR_NETTY;

    @Override
    public void useTransport(ClientTransport transport) {
        this.transport = transport;
    }

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private FakeKoyebServer server;
    private final List<ReactiveSnapshotsClient> clients = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() {
        server = FakeKoyebServer.start();
        server.seed(25);
    }

    @AfterEach
    void stop() {
        clients.forEach(ReactiveSnapshotsClient::close);
        server.close();
    }

    private ReactiveSnapshotsClient client(ReactiveSnapshotsClient.Builder builder) {
        ReactiveSnapshotsClient client = builder.baseUrl(server.baseUrl()).build();
        clients.add(client);
        return client;
    }

    private static RetryPolicy fastRetries() {
        return RetryPolicy.builder().initialBackoff(Duration.ofMillis(5)).maxBackoff(Duration.ofMillis(10)).build();
    }

    /** Runs the calls at once; counts those that got their value. */
    private static int succeeded(ReactiveSnapshotsClient client, int calls) {
        return Flux.range(0, calls)
                .flatMap(i -> client.getSnapshot("snap-000001").map(s -> 1).onErrorReturn(0), calls)
                .reduce(0, Integer::sum)
                .block(TIMEOUT);
    }

    private Instant arrivalOf(int request) {
        return server.requests().get(request).receivedAt();
    }

    /** Real time; the everyday suite covers the same in virtual time: {@code AdaptiveRateLimiterSimulationTest}. */
    @Slow
    @OnEachTransport
    void aFirstBurstOverTheLimitIsPacedAndEveryCallGetsItsValue() {
        server.rateLimit(100);
        ReactiveSnapshotsClient paced = client(transport.apply(ReactiveSnapshotsClient.builder()));
        assertThat(succeeded(paced, 400)).as("calls that got their value, default client").isEqualTo(400);
        long throttled = server.throttledCount();

        // the same burst without the limiter: each retry of a 429 takes from the retry budget, which
        // 100 retries empty (500 tokens, 5 each), and the calls refused after that fail
        server.rateLimit(0);
        server.rateLimit(100);
        ReactiveSnapshotsClient unpaced = client(transport.apply(ReactiveSnapshotsClient.builder()).rateLimiter(RateLimiter.NONE));
        server.clearRequests();
        int without = succeeded(unpaced, 400);
        System.out.printf("first burst of 400 calls on a limit of 100/s: paced, 400 got their value after %d 429s;"
                + " without the limiter, %d after %d 429s%n", throttled, without, server.throttledCount());
        assertThat(without).as("calls that got their value without the limiter").isLessThan(380);
    }

    @OnEachTransport
    void retryAfterPausesEveryCallOfTheClientNotOnlyTheOneRefused() {
        server.failNext(1, 429, "1");
        ReactiveSnapshotsClient client = client(transport.apply(ReactiveSnapshotsClient.builder()).retryPolicy(RetryPolicy.none()));
        StepVerifier.create(client.getSnapshot("snap-000001")).expectError(KoyebRateLimitException.class).verify(TIMEOUT);
        Instant refused = arrivalOf(0);
        StepVerifier.create(client.getSnapshot("snap-000002")).expectNextCount(1).expectComplete().verify(TIMEOUT);
        assertThat(Duration.between(refused, arrivalOf(1))).as("another call, after the 429 asked for 1 s")
                .isGreaterThanOrEqualTo(Duration.ofMillis(900));

        // without the limiter, the other call goes at once
        server.clearRequests();
        server.failNext(1, 429, "1");
        ReactiveSnapshotsClient unpaced = client(transport.apply(ReactiveSnapshotsClient.builder()).retryPolicy(RetryPolicy.none())
                .rateLimiter(RateLimiter.NONE));
        StepVerifier.create(unpaced.getSnapshot("snap-000001")).expectError(KoyebRateLimitException.class).verify(TIMEOUT);
        StepVerifier.create(unpaced.getSnapshot("snap-000002")).expectNextCount(1).expectComplete().verify(TIMEOUT);
        assertThat(Duration.between(arrivalOf(0), arrivalOf(1))).as("at once: well before the 1 s pause").isLessThan(Duration.ofMillis(900));
    }

    @OnEachTransport
    void clientsThatShareALimiterPauseTogether() {
        RateLimiter shared = RateLimiter.adaptive();
        ReactiveSnapshotsClient one = client(transport.apply(ReactiveSnapshotsClient.builder()).rateLimiter(shared)
                .retryPolicy(RetryPolicy.none()));
        ReactiveSnapshotsClient two = client(transport.apply(ReactiveSnapshotsClient.builder()).rateLimiter(shared));
        server.failNext(1, 429, "1");
        StepVerifier.create(one.getSnapshot("snap-000001")).expectError(KoyebRateLimitException.class).verify(TIMEOUT);
        StepVerifier.create(two.getSnapshot("snap-000002")).expectNextCount(1).expectComplete().verify(TIMEOUT);
        assertThat(Duration.between(arrivalOf(0), arrivalOf(1))).isGreaterThanOrEqualTo(Duration.ofMillis(900));
    }

    @OnEachTransport
    void aCallThatWouldWaitLongerThanTheMaxWaitFailsAtOnceUnsentAndIsNotRetried() {
        ReactiveSnapshotsClient client = client(transport.apply(ReactiveSnapshotsClient.builder())
                .rateLimiter(RateLimiter.adaptive(RateLimitSettings.builder().maxWait(Duration.ofSeconds(2)).build())));
        server.failNext(1, 429, "5");
        // the refused call retries after the Retry-After: cancelled at the end of the test
        Disposable first = client.getSnapshot("snap-000001").subscribe(s -> { }, e -> { });
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (server.requestCount() < 1 || server.throttledCount() + server.faultsServed() < 1) {
            assertThat(System.nanoTime()).as("the first request").isLessThan(deadline);
            Thread.onSpinWait();
        }
        sleep(100); // the 429 reaches the client
        long start = System.nanoTime();
        StepVerifier.create(client.getSnapshot("snap-000002"))
                .expectErrorSatisfies(e -> {
                    assertThat(e).isInstanceOf(KoyebRateLimitException.class);
                    KoyebRateLimitException limited = (KoyebRateLimitException) e;
                    assertThat(limited.refusedByClient()).isTrue();
                    assertThat(limited.getMessage()).contains("not sent").contains("max wait of 2000 ms")
                            .contains("RateLimitSettings.maxWait");
                })
                .verify(TIMEOUT);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("failed at once, not after the 2 s max wait").isLessThan(Duration.ofMillis(1500));
        assertThat(server.requestCount()).as("nothing sent for the refused call").isEqualTo(1);
        first.dispose();
    }

    @OnEachTransport
    void aCallCancelledWhileItWaitsSendsNothing() {
        ReactiveSnapshotsClient client = client(transport.apply(ReactiveSnapshotsClient.builder()).retryPolicy(RetryPolicy.none()));
        server.failNext(1, 429, "1");
        StepVerifier.create(client.getSnapshot("snap-000001")).expectError(KoyebRateLimitException.class).verify(TIMEOUT);
        Disposable waiting = client.getSnapshot("snap-000002").subscribe();
        sleep(200);
        waiting.dispose();
        sleep(1_300); // past the end of the pause
        assertThat(server.requestCount()).as("requests: the refused one only").isEqualTo(1);
        // and the limiter still serves the next call
        StepVerifier.create(client.getSnapshot("snap-000003")).expectNextCount(1).expectComplete().verify(TIMEOUT);
    }

    @OnEachTransport
    void pacedRetriesOf429sLeaveTheRetryBudgetAloneWhile503sStillDrainIt() {
        // a budget of two retries that fail (a retry that succeeds gives its tokens back)
        RetryPolicy policy = RetryPolicy.builder().maxRetries(1).initialBackoff(Duration.ofMillis(5))
                .maxBackoff(Duration.ofMillis(10))
                .budget(RetryBudget.builder().maxTokens(10).retryCost(5).successRefill(0).build()).build();
        ReactiveSnapshotsClient paced = client(transport.apply(ReactiveSnapshotsClient.builder()).retryPolicy(policy)
                .rateLimiter(new PassThroughLimiter()));
        // with a limiter, failed retries of 429s take nothing: the third call is still retried
        failTwiceWith(paced, 429, KoyebRateLimitException.class);
        server.failNext(1, 429, "0");
        StepVerifier.create(paced.getSnapshot("snap-000001")).expectNextCount(1).expectComplete().verify(TIMEOUT);
        // an outage still drains it: after two failed retries of 503s, the third 503 is not retried
        failTwiceWith(paced, 503, KoyebServiceUnavailableException.class);
        assertNotRetried(paced, 503, KoyebServiceUnavailableException.class);

        // without a limiter, two failed retries of 429s empty the budget
        ReactiveSnapshotsClient unpaced = client(transport.apply(ReactiveSnapshotsClient.builder()).retryPolicy(policy)
                .rateLimiter(RateLimiter.NONE));
        failTwiceWith(unpaced, 429, KoyebRateLimitException.class);
        assertNotRetried(unpaced, 429, KoyebRateLimitException.class);
    }

    /** Two calls whose try and retry both fail with this status. */
    private void failTwiceWith(ReactiveSnapshotsClient client, int status, Class<? extends Throwable> error) {
        for (int i = 0; i < 2; i++) {
            server.failNext(2, status, "0");
            StepVerifier.create(client.getSnapshot("snap-000001")).expectError(error).verify(TIMEOUT);
        }
    }

    /** A call that fails once with this status and is not retried: the budget is empty. */
    private void assertNotRetried(ReactiveSnapshotsClient client, int status, Class<? extends Throwable> error) {
        int before = server.requestCount();
        server.failNext(1, status, "0");
        StepVerifier.create(client.getSnapshot("snap-000001")).expectError(error).verify(TIMEOUT);
        assertThat(server.requestCount() - before).as("requests of a call the budget no longer retries").isEqualTo(1);
        server.clearScript();
    }

    @OnEachTransport
    void listingsReadAheadAndWaitersTakeAPermitForEveryRequest() {
        PassThroughLimiter limiter = new PassThroughLimiter();
        ReactiveSnapshotsClient client = client(transport.apply(ReactiveSnapshotsClient.builder()).rateLimiter(limiter));
        StepVerifier.create(client.listSnapshots(ListSnapshotsRequest.builder().pageSize(5).readAhead(4).build()))
                .expectNextCount(25).expectComplete().verify(TIMEOUT);
        // every request sent had its permit; a read-ahead guess dropped once the end was known may
        // have had one without being sent
        assertThat(server.requestCount()).as("the five pages, and guesses past the end sent before it was known")
                .isGreaterThanOrEqualTo(5);
        assertThat(limiter.permits.get()).as("permits of a listing with read-ahead")
                .isBetween(server.requestCount(), server.requestCount() + 4);

        // a client of its own for the waiter: a guess of the listing's may still reach the server
        PassThroughLimiter waiterLimiter = new PassThroughLimiter();
        ReactiveSnapshotsClient waiting = client(transport.apply(ReactiveSnapshotsClient.builder()).rateLimiter(waiterLimiter));
        server.creationDelay(Duration.ofMillis(300));
        StepVerifier.create(waiting.createSnapshotAndAwait(CreateSnapshotRequest.of("vol-1", "paced"), TIMEOUT))
                .expectNextCount(1).expectComplete().verify(TIMEOUT);
        long createAndPolls = server.requests().stream().filter(r -> !r.path().equals("/v1/snapshots")
                || r.method().equals("POST")).count();
        assertThat(createAndPolls).as("the create and the waiter's polls").isGreaterThanOrEqualTo(2);
        assertThat(waiterLimiter.permits.get()).isEqualTo(createAndPolls);
    }

    @OnEachTransport
    void theListenerAndTheMetersHearOfThrottlingAndWaits() {
        RateLimiter limiter = RateLimiter.adaptive();
        MeterRegistry registry = new SimpleMeterRegistry();
        MicrometerClientEventListener meters = new MicrometerClientEventListener(registry, limiter);
        List<String> heard = new CopyOnWriteArrayList<>();
        ClientEventListener listener = new ClientEventListener() {
            @Override
            public void onThrottled(String method, String uriTemplate, @Nullable Duration retryAfter, double rate) {
                heard.add("throttled " + method + ' ' + uriTemplate + ' ' + retryAfter + ' ' + Double.isFinite(rate));
                meters.onThrottled(method, uriTemplate, retryAfter, rate);
            }

            @Override
            public void onRateLimitWait(String method, String uriTemplate, Duration wait) {
                heard.add("waited " + method + ' ' + uriTemplate + ' ' + (wait.toMillis() >= 800));
                meters.onRateLimitWait(method, uriTemplate, wait);
            }
        };
        assertThat(registry.get(MicrometerClientEventListener.RATE_LIMIT).gauge().value()).as("rate while off").isNaN();
        ReactiveSnapshotsClient client = client(transport.apply(ReactiveSnapshotsClient.builder()).rateLimiter(limiter)
                .retryPolicy(RetryPolicy.none()).eventListener(listener));
        // two 429s at once: the first one a client meets is stray (a pause, the rate left free), the
        // second one lowers the rate
        // both in flight before either reply, however the threads run
        server.failNext(2, 429, "1").holdTogether(2);
        StepVerifier.create(Flux.merge(client.getSnapshot("snap-000001").onErrorComplete(),
                client.getSnapshot("snap-000002").onErrorComplete())).expectComplete().verify(TIMEOUT);
        StepVerifier.create(client.getSnapshot("snap-000003")).expectNextCount(1).expectComplete().verify(TIMEOUT);

        // the two replies arrive on their own event loops, in either order
        assertThat(heard.subList(0, 2)).containsExactlyInAnyOrder("throttled GET /v1/snapshots/{id} PT1S false",
                "throttled GET /v1/snapshots/{id} PT1S true");
        assertThat(heard).hasSize(3).last().isEqualTo("waited GET /v1/snapshots/{id} true");
        assertThat(registry.get(MicrometerClientEventListener.THROTTLED).counter().count()).isEqualTo(2);
        assertThat(registry.get(MicrometerClientEventListener.RATE_LIMIT_WAIT).timer().count()).isEqualTo(1);
        assertThat(registry.get(MicrometerClientEventListener.RATE_LIMIT).gauge().value()).as("rate once on")
                .isPositive().isFinite();
    }

    @OnEachTransport
    void withoutALimitNothingWaits() {
        List<Duration> waits = new CopyOnWriteArrayList<>();
        ReactiveSnapshotsClient client = client(transport.apply(ReactiveSnapshotsClient.builder()).eventListener(new ClientEventListener() {
            @Override
            public void onRateLimitWait(String method, String uriTemplate, Duration wait) {
                waits.add(wait);
            }
        }));
        assertThat(succeeded(client, 200)).isEqualTo(200);
        assertThat(waits).isEmpty();
        assertThat(server.throttledCount()).isZero();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** A limiter that lets everything through at once and counts the permits it gave. */
    private static final class PassThroughLimiter implements RateLimiter {
        final AtomicInteger permits = new AtomicInteger();

        @Override
        public Mono<Duration> permit() {
            return Mono.fromSupplier(() -> {
                permits.incrementAndGet();
                return Duration.ZERO;
            });
        }
    }

    /**
     * An application's own limiter, implementing only {@code permit()}, paces every try (its
     * permits are asked for, one per request); the exchanger learns that a limiter paces from
     * {@code paces()}, not from which instance it is, and {@code RateLimiter.NONE} says it does not.
     */
    @OnEachTransport
    void anApplicationsOwnLimiterIsAskedForEveryTry() {
        java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
        RateLimiter own = () -> Mono.fromSupplier(() -> {
            asked.incrementAndGet();
            return Duration.ofMillis(1);
        });
        assertThat(own.paces()).isTrue();
        assertThat(own.tryPermitNow()).as("no fast path unless it has one").isFalse();
        assertThat(RateLimiter.NONE.paces()).isFalse();
        server.failNext(1, 503);
        ReactiveSnapshotsClient client = client(transport.apply(ReactiveSnapshotsClient.builder()).rateLimiter(own)
                .retryPolicy(fastRetries()));
        assertThat(client.getSnapshot("snap-000001").block(TIMEOUT).id()).isEqualTo("snap-000001");
        assertThat(asked).as("a permit for the 503's try and for its retry").hasValue(2);
        assertThat(server.requestCount()).isEqualTo(2);
    }
}
