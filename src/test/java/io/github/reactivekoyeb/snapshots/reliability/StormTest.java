package io.github.reactivekoyeb.snapshots.reliability;

import io.github.reactivekoyeb.snapshots.support.OnEachTransport;
import io.github.reactivekoyeb.snapshots.support.ClientTransport;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivekoyeb.snapshots.KoyebApiException;
import io.github.reactivekoyeb.snapshots.KoyebServiceUnavailableException;
import io.github.reactivekoyeb.snapshots.ListSnapshotsRequest;
import io.github.reactivekoyeb.snapshots.ReactiveSnapshotsClient;
import io.github.reactivekoyeb.snapshots.RetryPolicy;
import io.github.reactivekoyeb.snapshots.Snapshot;
import io.github.reactivekoyeb.snapshots.support.TestSecrets;
import io.github.reactivekoyeb.snapshots.testing.FakeKoyebServer;
import io.github.reactivekoyeb.snapshots.testing.FakeResponse;
import io.github.reactivekoyeb.snapshots.testing.RecordedRequest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import reactor.test.StepVerifier;

/** 503 storms: the listing rides them out within the policy, or stops where the policy says. */
@Timeout(20)
class StormTest implements ClientTransport.Aware {

    /** How this test's clients send: each {@link OnEachTransport} test runs once on each transport. */
    private ClientTransport transport = ClientTransport.REACTOR_NETTY;

    @Override
    public void useTransport(ClientTransport transport) {
        this.transport = transport;
    }

    private FakeKoyebServer server;
    private ReactiveSnapshotsClient client;

    @BeforeEach
    void start() {
        server = FakeKoyebServer.builder().token(TestSecrets.TOKEN).build();
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        server.close();
    }

    private ReactiveSnapshotsClient client(RetryPolicy policy) {
        client = transport.apply(ReactiveSnapshotsClient.builder()).baseUrl(server.baseUrl()).token(TestSecrets.TOKEN)
                .retryPolicy(policy).build();
        return client;
    }

    @OnEachTransport
    void aStormWithRetryAfterThenHealthyListsEverySnapshotExactlyOnce() {
        List<Snapshot> seeded = server.seed(500);
        RetryPolicy policy = RetryPolicy.builder().maxRetries(8).initialBackoff(Duration.ofMillis(50))
                .maxBackoff(Duration.ofMillis(300)).build();
        ReactiveSnapshotsClient client = client(policy);
        server.failFor(Duration.ofMillis(800), FakeResponse.status(503).withRetryAfter("1"));

        StepVerifier.create(client.listSnapshots(ListSnapshotsRequest.builder().pageSize(50).build()))
                .expectNextSequence(seeded)
                .expectComplete()
                .verify(Duration.ofSeconds(15));

        List<RecordedRequest> requests = server.requests();
        long failures = server.faultsServed();
        assertThat(failures).isBetween(2L, (long) policy.maxRetries());
        assertThat(requests).hasSize(10 + (int) failures);
        // the storm hit the first page only; each retry waited Retry-After capped by maxBackoff (300 ms)
        for (int i = 0; i <= failures; i++) {
            assertThat(requests.get(i).queryParameter("offset")).isEqualTo("0");
        }
        for (int i = 1; i <= failures; i++) {
            assertThat(Duration.between(requests.get(i - 1).receivedAt(), requests.get(i).receivedAt()))
                    .isBetween(Duration.ofMillis(280), Duration.ofMillis(1000));
        }
        assertThat(requests.subList((int) failures, requests.size()))
                .extracting(r -> r.queryParameter("offset"))
                .containsExactly("0", "50", "100", "150", "200", "250", "300", "350", "400", "450");
    }

    @OnEachTransport
    void aStormLongerThanThePolicyEndsWithTheLast503AfterExactlyThePolicysRequests() {
        server.seed(10);
        server.failFor(Duration.ofSeconds(10), FakeResponse.status(503).withRetryAfter("1"));
        StepVerifier.create(client(RetryPolicy.builder().maxRetries(3).initialBackoff(Duration.ofMillis(20))
                        .maxBackoff(Duration.ofMillis(50)).build()).listSnapshots())
                .expectErrorSatisfies(e -> {
                    assertThat(e).isExactlyInstanceOf(KoyebServiceUnavailableException.class);
                    assertThat(((KoyebApiException) e).attempts()).isEqualTo(4);
                })
                .verify(Duration.ofSeconds(10));
        assertThat(server.requestCount()).isEqualTo(4);
    }

    @OnEachTransport
    void aStormInTheMiddleOfAListingRepeatsOnlyThePageItHit() {
        List<Snapshot> seeded = server.seed(300);
        ReactiveSnapshotsClient client = client(RetryPolicy.builder().maxRetries(20).initialBackoff(Duration.ofMillis(20))
                .maxBackoff(Duration.ofMillis(40)).build());
        StepVerifier.create(client.listSnapshots(ListSnapshotsRequest.builder().pageSize(100).build()), 100)
                .expectNextSequence(seeded.subList(0, 100))
                .then(() -> server.failFor(Duration.ofMillis(300), FakeResponse.status(503)))
                .thenRequest(Long.MAX_VALUE)
                .expectNextSequence(seeded.subList(100, 300))
                .expectComplete()
                .verify(Duration.ofSeconds(10));
        List<String> offsets = server.requests().stream().map(r -> r.queryParameter("offset")).toList();
        assertThat(offsets).startsWith("0").endsWith("100", "200");
        assertThat(offsets.stream().filter("0"::equals)).hasSize(1);
        assertThat(offsets.stream().filter("100"::equals).count()).isEqualTo(1 + server.faultsServed());
    }

    @OnEachTransport
    void maxElapsedStopsRetriesDuringAStorm() {
        server.failFor(Duration.ofSeconds(10), FakeResponse.status(503));
        long start = System.nanoTime();
        StepVerifier.create(client(RetryPolicy.builder().maxRetries(1000).initialBackoff(Duration.ofMillis(100))
                        .maxBackoff(Duration.ofMillis(100)).maxElapsed(Duration.ofMillis(600)).build()).getSnapshot("x"))
                .expectError(KoyebServiceUnavailableException.class)
                .verify(Duration.ofSeconds(10));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1500));
        assertThat(server.requestCount()).isBetween(3, 14);
    }
}
