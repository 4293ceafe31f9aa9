package io.github.reactivekoyeb.snapshots;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** Every method is cold: nothing is sent before subscription, each subscription sends its own requests. */
class LazinessTest extends FakeServerTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @Test
    void nothingIsSentUntilSubscription() throws InterruptedException {
        server.seed(3);
        ReactiveSnapshotsClient client = client();
        Mono<Snapshot> get = client.getSnapshot("snap-000001");
        Mono<Snapshot> create = client.createSnapshot(CreateSnapshotRequest.of("vol", "n"));
        Mono<Snapshot> update = client.updateSnapshot("snap-000001", new UpdateSnapshotRequest("n"));
        Mono<Snapshot> delete = client.deleteSnapshot("snap-000002");
        Flux<Snapshot> list = client.listSnapshots();
        Flux<SnapshotPage> pages = client.listSnapshotPages(ListSnapshotsRequest.all());
        Thread.sleep(200);
        assertThat(server.requestCount()).isZero();

        get.block(TIMEOUT);
        create.block(TIMEOUT);
        update.block(TIMEOUT);
        delete.block(TIMEOUT);
        list.blockLast(TIMEOUT);
        pages.blockLast(TIMEOUT);
        assertThat(server.requestCount()).isEqualTo(6);
    }

    @Test
    void eachSubscriptionSendsItsOwnRequests() {
        server.seed(150);
        ReactiveSnapshotsClient client = client();
        Mono<Snapshot> get = client.getSnapshot("snap-000001");
        Flux<Snapshot> list = client.listSnapshots();
        StepVerifier.create(get).expectNextCount(1).expectComplete().verify(TIMEOUT);
        StepVerifier.create(get).expectNextCount(1).expectComplete().verify(TIMEOUT);
        assertThat(server.requestCount()).isEqualTo(2);
        StepVerifier.create(list).expectNextCount(150).expectComplete().verify(TIMEOUT);
        StepVerifier.create(list).expectNextCount(150).expectComplete().verify(TIMEOUT);
        assertThat(server.requestCount()).isEqualTo(2 + 4);
    }

    @Test
    void subscribingWithoutDemandSendsNothing() throws InterruptedException {
        server.seed(10);
        StepVerifier.create(client().listSnapshots(), 0)
                .expectSubscription()
                .then(() -> sleep(200))
                .then(() -> assertThat(server.requestCount()).isZero())
                .thenRequest(1)
                .expectNextCount(1)
                .thenCancel()
                .verify(TIMEOUT);
        assertThat(server.requestCount()).isEqualTo(1);
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
