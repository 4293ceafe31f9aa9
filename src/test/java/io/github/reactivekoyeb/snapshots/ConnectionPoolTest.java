package io.github.reactivekoyeb.snapshots;

import io.github.reactivekoyeb.snapshots.support.OnEachTransport;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import reactor.core.publisher.Flux;

/** The client's own named pool: its limits apply, and a burst queues rather than fails. */
class ConnectionPoolTest extends FakeServerTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @OnEachTransport
    void aBurstBeyondTheConnectionLimitQueuesAndSucceeds() {
        server.seed(1);
        server.latency(Duration.ofMillis(20));
        ReactiveSnapshotsClient client = track(clientBuilder()
                .connectionPool(ConnectionPoolSettings.builder().maxConnections(4).build()).build());
        List<Snapshot> results = Flux.range(0, 100)
                .flatMap(i -> client.getSnapshot("snap-000001"), 100)
                .collectList().block(TIMEOUT);
        assertThat(results).hasSize(100);
        assertThat(server.connectionsOpened()).isEqualTo(4);
    }

    /** The client's own pool's defaults (an application's connector has its own). */
    @org.junit.jupiter.api.Test
    void defaultsLetTwoThousandSimultaneousCallsQueue() {
        server.seed(1);
        ReactiveSnapshotsClient client = client();
        long ok = Flux.range(0, 2000).flatMap(i -> client.getSnapshot("snap-000001"), 2000).count().block(TIMEOUT);
        assertThat(ok).isEqualTo(2000);
        assertThat(server.connectionsOpened()).isLessThanOrEqualTo(ConnectionPoolSettings.DEFAULT_MAX_CONNECTIONS);
    }

    @OnEachTransport
    void aFullQueueFailsFastWithATypedConnectError() {
        server.seed(1);
        server.latency(Duration.ofMillis(300));
        ReactiveSnapshotsClient client = track(clientBuilder().retryPolicy(RetryPolicy.none())
                .connectionPool(ConnectionPoolSettings.builder().maxConnections(1).pendingAcquireMaxCount(2).build())
                .build());
        List<Throwable> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
        long ok = Flux.range(0, 10)
                .flatMap(i -> client.getSnapshot("snap-000001").doOnError(errors::add)
                        .onErrorResume(e -> reactor.core.publisher.Mono.empty()), 10)
                .count().block(TIMEOUT);
        assertThat(ok).isEqualTo(3); // one on the connection, two queued
        assertThat(errors).hasSize(7).allSatisfy(e -> {
            assertThat(e).isInstanceOf(KoyebTransportException.class);
            assertThat(((KoyebTransportException) e).reason()).isEqualTo(KoyebTransportException.Reason.CONNECT);
        });
    }

    @OnEachTransport
    void settingsAreCheckedAndHaveDocumentedDefaults() {
        ConnectionPoolSettings defaults = ConnectionPoolSettings.defaults();
        assertThat(defaults.maxConnections()).isEqualTo(64);
        assertThat(defaults.pendingAcquireMaxCount()).isEqualTo(16_384);
        assertThat(defaults.pendingAcquireTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(defaults.maxIdleTime()).isEqualTo(Duration.ofSeconds(20));
        assertThat(defaults.maxLifeTime()).isEqualTo(Duration.ofMinutes(5));
        assertThat(defaults.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThatThrownBy(() -> ConnectionPoolSettings.builder().maxConnections(0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ConnectionPoolSettings.builder().maxIdleTime(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ReactiveSnapshotsClient.builder().connectionPool(null))
                .isInstanceOf(NullPointerException.class);
    }
}
