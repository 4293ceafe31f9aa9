package io.github.reactivekoyeb.snapshots;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.core.Disposable;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * The waiters' schedule, timeout, fail-fast and cancellation in virtual time, on an in-memory
 * {@link ReactiveSnapshotsClient} whose snapshot changes with the (virtual) clock. The waiters use
 * only the interface's own methods, so this is the same code that runs over HTTP (WaiterHttpTest).
 */
class WaiterScheduleTest {

    /** A client whose one snapshot reads {@code state.apply(now in ms)}; null means 404. */
    static final class ClockedClient implements ReactiveSnapshotsClient {
        final List<Long> polls = new CopyOnWriteArrayList<>();
        final LongFunction<Snapshot> state;
        Snapshot createReply = snapshot(SnapshotStatus.CREATING);
        Snapshot deleteReply = snapshot(SnapshotStatus.DELETING);

        ClockedClient(LongFunction<Snapshot> state) {
            this.state = state;
        }

        static long now() {
            return Schedulers.parallel().now(TimeUnit.MILLISECONDS);
        }

        @Override
        public Mono<Snapshot> getSnapshot(String id) {
            return Mono.defer(() -> {
                long t = now();
                polls.add(t);
                Snapshot s = state.apply(t);
                return s == null ? Mono.error(new KoyebNotFoundException(KoyebErrorDetails.builder("GET",
                        "/v1/snapshots/" + id).statusCode(404).errorCode("not_found").errorMessage("gone").build())) : Mono.just(s);
            });
        }

        @Override
        public Mono<Snapshot> createSnapshot(CreateSnapshotRequest request) {
            return Mono.fromSupplier(() -> createReply);
        }

        @Override
        public Mono<Snapshot> deleteSnapshot(String id) {
            return Mono.fromSupplier(() -> deleteReply);
        }

        @Override
        public Mono<Snapshot> updateSnapshot(String id, UpdateSnapshotRequest request) {
            return Mono.error(new UnsupportedOperationException());
        }

        @Override
        public Flux<Snapshot> listSnapshots() {
            return Flux.error(new UnsupportedOperationException());
        }

        @Override
        public Flux<Snapshot> listSnapshots(ListSnapshotsRequest request) {
            return Flux.error(new UnsupportedOperationException());
        }

        @Override
        public Flux<SnapshotPage> listSnapshotPages(ListSnapshotsRequest request) {
            return Flux.error(new UnsupportedOperationException());
        }
    }

    static Snapshot snapshot(SnapshotStatus status) {
        return new Snapshot("snap-1", "n", 1L, null, null, null, null, "vol", "fra", status, SnapshotType.LOCAL);
    }

    /** CREATING until {@code at} ms, AVAILABLE from then on. */
    static LongFunction<Snapshot> availableAt(long at) {
        return t -> snapshot(t >= at ? SnapshotStatus.AVAILABLE : SnapshotStatus.CREATING);
    }

    @Test
    void theDefaultScheduleSeesAThirtySecondCreationAfterEightPolls() {
        ClockedClient client = new ClockedClient(availableAt(30_000));
        StepVerifier.withVirtualTime(() -> client.awaitSnapshotStatus("snap-1", SnapshotStatus.AVAILABLE,
                        Duration.ofMinutes(10)))
                .expectSubscription()
                .thenAwait(Duration.ofSeconds(31))
                .assertNext(s -> assertThat(s.status()).isEqualTo(SnapshotStatus.AVAILABLE))
                .expectComplete()
                .verify(Duration.ofSeconds(5));
        assertThat(client.polls).containsExactly(0L, 1000L, 2500L, 4750L, 8125L, 13188L, 20782L, 30782L);
    }

    @Test
    void createAndAwaitTakesTheCreateReplyAsTheFirstStateThenPolls() {
        ClockedClient client = new ClockedClient(availableAt(30_000));
        StepVerifier.withVirtualTime(() -> client.createSnapshotAndAwait(CreateSnapshotRequest.of("vol", "n"),
                        Duration.ofMinutes(10)))
                .expectSubscription()
                .thenAwait(Duration.ofSeconds(31))
                .assertNext(s -> assertThat(s.status()).isEqualTo(SnapshotStatus.AVAILABLE))
                .expectComplete()
                .verify(Duration.ofSeconds(5));
        assertThat(client.polls).containsExactly(1000L, 2500L, 4750L, 8125L, 13188L, 20782L, 30782L);
    }

    @Test
    void aCustomScheduleSendsExactlyItsPolls() {
        ClockedClient client = new ClockedClient(availableAt(1_000));
        WaitOptions options = WaitOptions.builder().initialInterval(Duration.ofMillis(200)).backoffFactor(2)
                .maxInterval(Duration.ofMillis(500)).timeout(Duration.ofSeconds(5)).build();
        StepVerifier.withVirtualTime(() -> client.awaitSnapshot("snap-1",
                        s -> s.status() == SnapshotStatus.AVAILABLE, options))
                .thenAwait(Duration.ofSeconds(2))
                .expectNextCount(1)
                .expectComplete()
                .verify(Duration.ofSeconds(5));
        assertThat(client.polls).containsExactly(0L, 200L, 600L, 1100L);
    }

    @Test
    void theTimeoutGivesTheLastSnapshotSeenAndHowLongItWaited() {
        ClockedClient client = new ClockedClient(availableAt(Long.MAX_VALUE));
        StepVerifier.withVirtualTime(() -> client.awaitSnapshotStatus("snap-1", SnapshotStatus.AVAILABLE,
                        Duration.ofSeconds(20)))
                .expectSubscription()
                .thenAwait(Duration.ofSeconds(20))
                .expectErrorSatisfies(e -> {
                    assertThat(e).isExactlyInstanceOf(KoyebWaitTimeoutException.class);
                    KoyebWaitTimeoutException t = (KoyebWaitTimeoutException) e;
                    assertThat(t.lastSnapshot().status()).isEqualTo(SnapshotStatus.CREATING);
                    assertThat(t.waited()).isEqualTo(Duration.ofSeconds(20));
                    assertThat(t.snapshotId()).isEqualTo("snap-1");
                    assertThat(t.getMessage()).contains("snap-1").contains("AVAILABLE").contains("CREATING");
                })
                .verify(Duration.ofSeconds(5));
        assertThat(client.polls).containsExactly(0L, 1000L, 2500L, 4750L, 8125L, 13188L);
    }

    @Test
    void cancellingStopsPolling() {
        VirtualTimeScheduler time = VirtualTimeScheduler.getOrSet();
        try {
            ClockedClient client = new ClockedClient(availableAt(Long.MAX_VALUE));
            Disposable waiting = client.awaitSnapshotStatus("snap-1", SnapshotStatus.AVAILABLE, Duration.ofMinutes(10))
                    .subscribe();
            time.advanceTimeBy(Duration.ofMillis(3000));
            assertThat(client.polls).containsExactly(0L, 1000L, 2500L);
            waiting.dispose();
            time.advanceTimeBy(Duration.ofMinutes(10));
            assertThat(client.polls).hasSize(3);
        } finally {
            VirtualTimeScheduler.reset();
        }
    }

    @Test
    void nothingIsPolledBeforeSubscription() {
        ClockedClient client = new ClockedClient(availableAt(0));
        client.awaitSnapshotStatus("snap-1", SnapshotStatus.AVAILABLE, Duration.ofSeconds(1));
        client.watchSnapshot("snap-1", WaitOptions.defaults());
        client.deleteSnapshotAndAwait("snap-1", Duration.ofSeconds(1));
        assertThat(client.polls).isEmpty();
    }

    @Test
    void deletingWhileWaitingForAvailableFailsAtOnce() {
        ClockedClient client = new ClockedClient(t -> snapshot(t < 2000 ? SnapshotStatus.CREATING : SnapshotStatus.DELETING));
        StepVerifier.withVirtualTime(() -> client.awaitSnapshotStatus("snap-1", SnapshotStatus.AVAILABLE,
                        Duration.ofMinutes(10)))
                .thenAwait(Duration.ofMillis(2500))
                .expectErrorSatisfies(e -> {
                    assertThat(e).isExactlyInstanceOf(KoyebUnexpectedStatusException.class);
                    assertThat(((KoyebUnexpectedStatusException) e).snapshot().status()).isEqualTo(SnapshotStatus.DELETING);
                    assertThat(((KoyebUnexpectedStatusException) e).expected()).isEqualTo(SnapshotStatus.AVAILABLE);
                })
                .verify(Duration.ofSeconds(5));
        assertThat(client.polls).containsExactly(0L, 1000L, 2500L);
    }

    @Test
    void migratingKeepsWaiting() {
        ClockedClient client = new ClockedClient(t -> snapshot(t < 3000 ? SnapshotStatus.MIGRATING : SnapshotStatus.AVAILABLE));
        StepVerifier.withVirtualTime(() -> client.awaitSnapshotStatus("snap-1", SnapshotStatus.AVAILABLE,
                        Duration.ofMinutes(1)))
                .thenAwait(Duration.ofSeconds(5))
                .assertNext(s -> assertThat(s.status()).isEqualTo(SnapshotStatus.AVAILABLE))
                .expectComplete()
                .verify(Duration.ofSeconds(5));
    }

    @Test
    void aSnapshotGoneWhileWaitingForAStatusIsNotFound() {
        ClockedClient client = new ClockedClient(t -> t < 1000 ? snapshot(SnapshotStatus.CREATING) : null);
        StepVerifier.withVirtualTime(() -> client.awaitSnapshotStatus("snap-1", SnapshotStatus.AVAILABLE,
                        Duration.ofMinutes(1)))
                .thenAwait(Duration.ofSeconds(2))
                .expectError(KoyebNotFoundException.class)
                .verify(Duration.ofSeconds(5));
    }

    @Test
    void deleteAndAwaitEndsOnDeletedOrGone() {
        ClockedClient deleted = new ClockedClient(t -> snapshot(t < 2000 ? SnapshotStatus.DELETING : SnapshotStatus.DELETED));
        StepVerifier.withVirtualTime(() -> deleted.deleteSnapshotAndAwait("snap-1", Duration.ofMinutes(1)))
                .thenAwait(Duration.ofSeconds(3))
                .expectComplete()
                .verify(Duration.ofSeconds(5));
        assertThat(deleted.polls).containsExactly(1000L, 2500L);

        ClockedClient gone = new ClockedClient(t -> t < 1500 ? snapshot(SnapshotStatus.DELETING) : null);
        StepVerifier.withVirtualTime(() -> gone.deleteSnapshotAndAwait("snap-1", Duration.ofMinutes(1)))
                .thenAwait(Duration.ofSeconds(3))
                .expectComplete()
                .verify(Duration.ofSeconds(5));
        assertThat(gone.polls).containsExactly(1000L, 2500L);
    }

    @Test
    void deleteAndAwaitTimesOutWithTheLastState() {
        ClockedClient client = new ClockedClient(t -> snapshot(SnapshotStatus.DELETING));
        StepVerifier.withVirtualTime(() -> client.deleteSnapshotAndAwait("snap-1", Duration.ofSeconds(5)))
                .thenAwait(Duration.ofSeconds(5))
                .expectErrorSatisfies(e -> assertThat(((KoyebWaitTimeoutException) e).lastSnapshot().status())
                        .isEqualTo(SnapshotStatus.DELETING))
                .verify(Duration.ofSeconds(5));
    }

    @Test
    void watchEmitsEachChangeOnceAndCompletesWhenAvailable() {
        ClockedClient client = new ClockedClient(t -> t < 2000 ? snapshot(SnapshotStatus.CREATING)
                : t < 4000 ? snapshot(SnapshotStatus.CREATING).withName("renamed")
                : snapshot(SnapshotStatus.AVAILABLE));
        StepVerifier.withVirtualTime(() -> client.watchSnapshot("snap-1", WaitOptions.defaults()))
                .expectSubscription()
                .assertNext(s -> assertThat(s).isEqualTo(snapshot(SnapshotStatus.CREATING)))
                .thenAwait(Duration.ofSeconds(10))
                .assertNext(s -> assertThat(s.name()).isEqualTo("renamed"))
                .assertNext(s -> assertThat(s.status()).isEqualTo(SnapshotStatus.AVAILABLE))
                .expectComplete()
                .verify(Duration.ofSeconds(5));
        assertThat(client.polls).containsExactly(0L, 1000L, 2500L, 4750L);
    }

    @Test
    void watchCompletesWhenTheSnapshotIsGoneAndTimesOutOtherwise() {
        ClockedClient gone = new ClockedClient(t -> t < 1000 ? snapshot(SnapshotStatus.DELETING) : null);
        StepVerifier.withVirtualTime(() -> gone.watchSnapshot("snap-1", WaitOptions.defaults()))
                .expectNextCount(1)
                .thenAwait(Duration.ofSeconds(2))
                .expectComplete()
                .verify(Duration.ofSeconds(5));
        ClockedClient stuck = new ClockedClient(t -> snapshot(SnapshotStatus.CREATING));
        StepVerifier.withVirtualTime(() -> stuck.watchSnapshot("snap-1", WaitOptions.withTimeout(Duration.ofSeconds(30))))
                .expectNextCount(1)
                .thenAwait(Duration.ofSeconds(30))
                .expectError(KoyebWaitTimeoutException.class)
                .verify(Duration.ofSeconds(5));
    }

    @Test
    void argumentsAreCheckedAtCallTime() {
        ClockedClient client = new ClockedClient(availableAt(0));
        assertThatThrownBy(() -> client.awaitSnapshotStatus("..", SnapshotStatus.AVAILABLE, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> client.awaitSnapshotStatus("a", SnapshotStatus.UNKNOWN, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> client.awaitSnapshotStatus("a", SnapshotStatus.AVAILABLE, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> client.createSnapshotAndAwait(null, Duration.ofSeconds(1)))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> client.deleteSnapshotAndAwait(null, Duration.ofSeconds(1)))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> client.watchSnapshot("a", null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> client.awaitSnapshot("a", null, WaitOptions.defaults()))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> WaitOptions.builder().backoffFactor(0.5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WaitOptions.builder().timeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThat(WaitOptions.defaults().initialInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(WaitOptions.defaults().backoffFactor()).isEqualTo(1.5);
        assertThat(WaitOptions.defaults().maxInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(WaitOptions.defaults().timeout()).isEqualTo(Duration.ofMinutes(10));
    }
}
