package io.github.reactivekoyeb.snapshots;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivekoyeb.snapshots.testing.RecordedRequest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.test.StepVerifier;

/** The waiters over real HTTP against the fake server's CREATING -> AVAILABLE and DELETING -> DELETED. */
class WaiterHttpTest extends FakeServerTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(15);
    private static final WaitOptions FAST = WaitOptions.builder().initialInterval(Duration.ofMillis(100))
            .backoffFactor(1.0).maxInterval(Duration.ofMillis(100)).timeout(Duration.ofSeconds(10)).build();

    private long polls() {
        return server.requests().stream().filter(r -> r.method().equals("GET")).count();
    }

    @Test
    void createSnapshotAndAwaitEmitsTheSnapshotOnceAvailable() {
        server.creationDelay(Duration.ofMillis(1200));
        StepVerifier.create(client().createSnapshotAndAwait(CreateSnapshotRequest.of("vol-1", "n"), Duration.ofSeconds(10)))
                .assertNext(s -> assertThat(s.status()).isEqualTo(SnapshotStatus.AVAILABLE))
                .expectComplete()
                .verify(TIMEOUT);
        // create at 0, then polls at 1 s (CREATING) and 2.5 s (AVAILABLE)
        assertThat(server.requests()).extracting(RecordedRequest::method).containsExactly("POST", "GET", "GET");
    }

    @Test
    void awaitSnapshotPollsOnItsScheduleUntilTheConditionHolds() {
        Snapshot created = client().createSnapshot(CreateSnapshotRequest.of("vol-1", "n")).block(TIMEOUT);
        server.clearRequests();
        StepVerifier.create(client().awaitSnapshot(created.id(), s -> s.status() == SnapshotStatus.AVAILABLE, FAST))
                .expectNextCount(1).expectComplete().verify(TIMEOUT);
        // creation takes 300 ms here: polls every 100 ms see it after 3 or 4 polls, give or take one
        assertThat(polls()).isBetween(3L, 6L);
    }

    @Test
    void a503DuringPollingIsRetriedNotFatal() {
        Snapshot created = client().createSnapshot(CreateSnapshotRequest.of("vol-1", "n")).block(TIMEOUT);
        server.failNext(2, 503);
        StepVerifier.create(client().awaitSnapshotStatus(created.id(), SnapshotStatus.AVAILABLE, Duration.ofSeconds(10)))
                .expectNextCount(1).expectComplete().verify(TIMEOUT);
    }

    @Test
    void cancellingStopsPolling() {
        server.creationDelay(Duration.ofMinutes(5));
        Snapshot created = client().createSnapshot(CreateSnapshotRequest.of("vol-1", "n")).block(TIMEOUT);
        Disposable waiting = client().awaitSnapshot(created.id(), s -> false, FAST).subscribe();
        LazinessTest.sleep(350);
        waiting.dispose();
        LazinessTest.sleep(100);
        long atCancel = polls();
        LazinessTest.sleep(400);
        assertThat(polls()).isEqualTo(atCancel).isBetween(3L, 6L);
    }

    @Test
    void aSnapshotBeingDeletedFailsTheWaitForAvailableAtOnce() {
        server.creationDelay(Duration.ofMinutes(5));
        Snapshot created = client().createSnapshot(CreateSnapshotRequest.of("vol-1", "n")).block(TIMEOUT);
        client().deleteSnapshot(created.id()).block(TIMEOUT);
        long start = System.nanoTime();
        StepVerifier.create(client().awaitSnapshotStatus(created.id(), SnapshotStatus.AVAILABLE, Duration.ofMinutes(1)))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(KoyebUnexpectedStatusException.class)
                        .isInstanceOf(KoyebException.class)
                        .satisfies(u -> assertThat(((KoyebException) u).path()).isEqualTo("/v1/snapshots/" + created.id())))
                .verify(TIMEOUT);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void theTimeoutCarriesTheLastStateSeen() {
        server.creationDelay(Duration.ofMinutes(5));
        Snapshot created = client().createSnapshot(CreateSnapshotRequest.of("vol-1", "n")).block(TIMEOUT);
        StepVerifier.create(client().awaitSnapshotStatus(created.id(), SnapshotStatus.AVAILABLE, Duration.ofMillis(1500)))
                .expectErrorSatisfies(e -> {
                    assertThat(e).isInstanceOf(KoyebWaitTimeoutException.class);
                    assertThat(((KoyebWaitTimeoutException) e).lastSnapshot().status()).isEqualTo(SnapshotStatus.CREATING);
                    // a KoyebException like the others: the poll it was making, and the polls it sent
                    KoyebException koyeb = (KoyebException) e;
                    assertThat(koyeb.method()).isEqualTo("GET");
                    assertThat(koyeb.path()).isEqualTo("/v1/snapshots/" + created.id());
                    assertThat(koyeb.attempts()).isBetween(1, (int) polls() + 1);
                })
                .verify(TIMEOUT);
    }

    @Test
    void deleteSnapshotAndAwaitCompletesOnceDeleted() {
        server.seed(1);
        StepVerifier.create(client().deleteSnapshotAndAwait("snap-000001", Duration.ofSeconds(10)))
                .expectComplete().verify(TIMEOUT);
        assertThat(server.snapshot("snap-000001").orElseThrow().status()).isEqualTo(SnapshotStatus.DELETED);
        assertThat(server.requests().get(0).method()).isEqualTo("DELETE");
    }

    @Test
    void deleteSnapshotAndAwaitEmitsTheDeleteRequestsOwnError() {
        StepVerifier.create(client().deleteSnapshotAndAwait("no-such-snapshot", Duration.ofSeconds(10)))
                .expectError(KoyebNotFoundException.class).verify(TIMEOUT);
        assertThat(server.requestCount()).isEqualTo(1);
    }

    @Test
    void createSnapshotAndAwaitEmitsTheCreateRequestsOwnError() {
        StepVerifier.create(client().createSnapshotAndAwait(new CreateSnapshotRequest(null, "n", null), Duration.ofSeconds(10)))
                .expectError(KoyebValidationException.class).verify(TIMEOUT);
    }

    @Test
    void watchStreamsEachStateUntilAvailable() {
        Snapshot created = client().createSnapshot(CreateSnapshotRequest.of("vol-1", "n")).block(TIMEOUT);
        List<Snapshot> states = client().watchSnapshot(created.id(), FAST).collectList().block(TIMEOUT);
        assertThat(states).extracting(Snapshot::status).containsExactly(SnapshotStatus.CREATING, SnapshotStatus.AVAILABLE);
    }
}
