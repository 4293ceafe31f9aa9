package io.github.reactivekoyeb.snapshots.reliability;

import io.github.reactivekoyeb.snapshots.support.OnEachTransport;
import io.github.reactivekoyeb.snapshots.support.ClientTransport;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivekoyeb.snapshots.ClientEventListener;
import io.github.reactivekoyeb.snapshots.KoyebException;
import io.github.reactivekoyeb.snapshots.KoyebServiceUnavailableException;
import io.github.reactivekoyeb.snapshots.ListSnapshotsRequest;
import io.github.reactivekoyeb.snapshots.ReactiveSnapshotsClient;
import io.github.reactivekoyeb.snapshots.RetryBudget;
import io.github.reactivekoyeb.snapshots.RetryPolicy;
import io.github.reactivekoyeb.snapshots.RetryReason;
import io.github.reactivekoyeb.snapshots.testing.FakeKoyebServer;
import io.github.reactivekoyeb.snapshots.testing.FakeResponse;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The client-wide retry budget, over real HTTP: in a full outage the client adds at most a few
 * percent of requests instead of multiplying them; under random failures it retries as before;
 * after an outage, successes buy retries back.
 */
class RetryBudgetTest implements ClientTransport.Aware {

    /** How this test's clients send: each {@link OnEachTransport} test runs once on each transport. */
    private ClientTransport transport = ClientTransport.REACTOR_NETTY;

    @Override
    public void useTransport(ClientTransport transport) {
        this.transport = transport;
    }

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final int CALLS = 2_000;

    private FakeKoyebServer server;
    private final List<ReactiveSnapshotsClient> clients = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() {
        server = FakeKoyebServer.start();
        server.seed(3);
    }

    @AfterEach
    void stop() {
        clients.forEach(ReactiveSnapshotsClient::close);
        server.close();
    }

    /** The default policy, but with millisecond backoffs so that the test does not wait. */
    private static RetryPolicy.Builder fastPolicy() {
        return RetryPolicy.builder().initialBackoff(Duration.ofMillis(2)).maxBackoff(Duration.ofMillis(10));
    }

    private ReactiveSnapshotsClient client(RetryPolicy policy, ClientEventListener listener) {
        ReactiveSnapshotsClient client = transport.apply(ReactiveSnapshotsClient.builder()).baseUrl(server.baseUrl()).retryPolicy(policy)
                .eventListener(listener).build();
        clients.add(client);
        return client;
    }

    /** Runs the calls at once; each outcome is null for a success, else the error. */
    private static List<Throwable> concurrentGets(ReactiveSnapshotsClient client, int calls) {
        return Flux.range(0, calls)
                .flatMap(i -> client.getSnapshot("snap-000001").map(s -> (Throwable) new NoError())
                        .onErrorResume(Mono::just), calls)
                .collectList()
                .block(TIMEOUT);
    }

    /** Stands for a success in a list of outcomes. */
    private static final class NoError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NoError() {
            super(null, null, false, false);
        }
    }

    @OnEachTransport
    void aFullOutageOf2000ConcurrentCallsSendsAtMost1_25RequestsPerCall() {
        server.failFor(Duration.ofMinutes(5), FakeResponse.status(503));
        List<ExhaustedEvent> events = new CopyOnWriteArrayList<>();
        ReactiveSnapshotsClient client = client(fastPolicy().build(), recording(events));

        List<Throwable> outcomes = concurrentGets(client, CALLS);

        int requests = server.requestCount();
        assertThat(outcomes).hasSize(CALLS).allSatisfy(e -> assertThat(e).isInstanceOf(KoyebServiceUnavailableException.class));
        // the default bucket (500 tokens, 5 a retry) pays for exactly 100 retries in all
        assertThat(requests).isLessThanOrEqualTo(CALLS * 5 / 4).isEqualTo(CALLS + 100);
        long refused = outcomes.stream().filter(e -> ((KoyebException) e).retryBudgetExhausted()).count();
        assertThat(refused).isGreaterThanOrEqualTo(CALLS - 100).isEqualTo(events.size());
        assertThat(outcomes).filteredOn(e -> ((KoyebException) e).retryBudgetExhausted()).allSatisfy(e -> {
            assertThat(e.getMessage()).contains("GET /v1/snapshots/snap-000001 failed with HTTP 503")
                    .contains("retry budget is exhausted");
            assertThat(((KoyebException) e).attempts()).isBetween(1, 3);
        });
        long sent = outcomes.stream().mapToLong(e -> ((KoyebException) e).attempts()).sum();
        assertThat(sent).as("attempts() counts what was sent").isEqualTo(requests);
        assertThat(events).allSatisfy(e -> assertThat(e).isEqualTo(new ExhaustedEvent("GET", "/v1/snapshots/{id}", "503")));
        System.out.printf("retry budget, full outage: %d concurrent calls sent %d requests (%.2f per call), "
                + "%d refused a retry by the budget%n", CALLS, requests, requests / (double) CALLS, refused);
    }

    @OnEachTransport
    void withoutABudgetTheSameOutageSendsEveryRetryThePolicyAllows() {
        server.failFor(Duration.ofMinutes(5), FakeResponse.status(503));
        ReactiveSnapshotsClient client = client(fastPolicy().budget(RetryBudget.unlimited()).build(),
                ClientEventListener.NONE);
        int calls = CALLS / 4; // every call is retried in full: a quarter of the calls makes the point
        List<Throwable> outcomes = concurrentGets(client, calls);
        assertThat(outcomes).allSatisfy(e -> {
            assertThat(e).isInstanceOf(KoyebServiceUnavailableException.class);
            assertThat(((KoyebException) e).attempts()).isEqualTo(4);
            assertThat(((KoyebException) e).retryBudgetExhausted()).isFalse();
            assertThat(e.getMessage()).doesNotContain("budget");
        });
        assertThat(server.requestCount()).isEqualTo(calls * 4);
        System.out.printf("no retry budget, full outage: %d concurrent calls sent %d requests (%.2f per call)%n", calls,
                server.requestCount(), server.requestCount() / (double) calls);
    }

    @OnEachTransport
    void tenPercentOfRequestsFailingAtRandomStillSucceedAsWithoutABudget() {
        int calls = CALLS / 2;
        for (RetryBudget budget : List.of(RetryBudget.defaults(), RetryBudget.unlimited())) {
            server.clearScript();
            server.clearRequests();
            SplittableRandom random = new SplittableRandom(20261201);
            for (int i = 0; i < calls * 2; i++) {
                server.enqueue(random.nextInt(10) == 0 ? FakeResponse.status(503) : FakeResponse.delayed(Duration.ZERO));
            }
            List<ExhaustedEvent> events = new CopyOnWriteArrayList<>();
            List<Throwable> outcomes = concurrentGets(client(fastPolicy().budget(budget).build(), recording(events)), calls);
            long succeeded = outcomes.stream().filter(NoError.class::isInstance).count();
            // a call fails only after four 503s in a row (1 in 10,000): at most 2 of 1,000
            assertThat(succeeded).as(budget.toString()).isGreaterThanOrEqualTo(calls - 2L);
            assertThat(events).as("retries refused by " + budget).isEmpty();
            System.out.printf("retry budget, 10%% random 503 (%s): %d of %d calls succeeded, %d requests%n", budget,
                    succeeded, calls, server.requestCount());
        }
    }

    @OnEachTransport
    void afterAnOutageEachFiveSuccessesBuyOneRetryBack() {
        List<ExhaustedEvent> events = new CopyOnWriteArrayList<>();
        RetryBudget small = RetryBudget.builder().maxTokens(10).retryCost(5).successRefill(1).build();
        ReactiveSnapshotsClient client = client(fastPolicy().budget(small).build(), recording(events));

        // the outage: two retries empty the bucket, the third is refused
        server.failNext(10, 503);
        KoyebException first = (KoyebException) client.getSnapshot("snap-000001").then(Mono.<Throwable>empty())
                .onErrorResume(Mono::just).block(TIMEOUT);
        assertThat(first).isInstanceOf(KoyebServiceUnavailableException.class);
        assertThat(first.attempts()).isEqualTo(3);
        assertThat(first.retryBudgetExhausted()).isTrue();
        assertThat(events).hasSize(1);
        server.clearScript();

        // 4 successes put 4 tokens back: not enough for a retry (5)
        for (int i = 0; i < 4; i++) {
            client.getSnapshot("snap-000002").block(TIMEOUT);
        }
        server.failNext(1, 503);
        KoyebException refused = (KoyebException) client.getSnapshot("snap-000001").then(Mono.<Throwable>empty())
                .onErrorResume(Mono::just).block(TIMEOUT);
        assertThat(refused.attempts()).isEqualTo(1);
        assertThat(refused.retryBudgetExhausted()).isTrue();

        // the 5th success makes 5: the next 503 is retried, and that retry's success pays it back
        client.getSnapshot("snap-000002").block(TIMEOUT);
        server.failNext(1, 503);
        server.clearRequests();
        assertThat(client.getSnapshot("snap-000001").block(TIMEOUT).id()).isEqualTo("snap-000001");
        assertThat(server.requestCount()).isEqualTo(2);
        server.failNext(1, 503);
        assertThat(client.getSnapshot("snap-000001").block(TIMEOUT).id()).isEqualTo("snap-000001");
        assertThat(server.requestCount()).isEqualTo(4);
        assertThat(events).hasSize(2);
    }

    @OnEachTransport
    void listingsAndCallsOfOneClientShareTheBudgetButClientsDoNot() {
        RetryBudget one = RetryBudget.builder().maxTokens(5).retryCost(5).successRefill(0).build();
        ReactiveSnapshotsClient client = client(fastPolicy().budget(one).build(), ClientEventListener.NONE);
        server.failNext(2, 503);
        KoyebException get = (KoyebException) client.getSnapshot("snap-000001").then(Mono.<Throwable>empty())
                .onErrorResume(Mono::just).block(TIMEOUT);
        assertThat(get.attempts()).isEqualTo(2); // one retry paid, the second refused: the bucket is empty
        server.failNext(1, 503);
        KoyebException page = (KoyebException) client.listSnapshots(ListSnapshotsRequest.builder().pageSize(2).build())
                .then(Mono.<Throwable>empty()).onErrorResume(Mono::just).block(TIMEOUT);
        assertThat(page.retryBudgetExhausted()).isTrue();
        assertThat(page.attempts()).isEqualTo(1);

        ReactiveSnapshotsClient other = client(fastPolicy().budget(one).build(), ClientEventListener.NONE);
        server.failNext(1, 503);
        assertThat(other.listSnapshots(ListSnapshotsRequest.builder().pageSize(2).build()).count().block(TIMEOUT))
                .isEqualTo(3);
    }

    @OnEachTransport
    void budgetsAreCheckedWhenBuilt() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RetryBudget.builder().maxTokens(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxTokens");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RetryBudget.builder().retryCost(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("retryCost");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RetryBudget.builder().successRefill(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("successRefill");
        assertThat(RetryPolicy.defaults().budget()).isEqualTo(RetryBudget.defaults());
        assertThat(RetryBudget.defaults().maxTokens()).isEqualTo(500);
        assertThat(RetryPolicy.defaults().toString()).contains("budget=RetryBudget{maxTokens=500");
    }

    private record ExhaustedEvent(String method, String uriTemplate, String reason) {
    }

    private static ClientEventListener recording(List<ExhaustedEvent> events) {
        return new ClientEventListener() {
            @Override
            public void onRetryBudgetExhausted(String method, String uriTemplate, RetryReason reason) {
                events.add(new ExhaustedEvent(method, uriTemplate, reason.tag()));
            }
        };
    }
}
