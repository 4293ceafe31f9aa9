package io.github.reactivekoyeb.snapshots;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.reactivekoyeb.snapshots.testing.FakeResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;

/**
 * watchSnapshots over real HTTP: passes of consistent listings, and what differs between them.
 * The test thread waits and asserts; the subscriber only records (nothing blocks an event loop).
 */
class WatchSnapshotsTest extends FakeServerTest {

    private static final Duration INTERVAL = Duration.ofMillis(100);
    private static final ListSnapshotsRequest PAGES_OF_10 = ListSnapshotsRequest.builder().pageSize(10).build();

    /** Records what a watch emits, asking for {@code initial} events first. */
    static final class Events extends BaseSubscriber<SnapshotEvent> {
        final List<SnapshotEvent> received = new CopyOnWriteArrayList<>();
        final AtomicReference<Throwable> error = new AtomicReference<>();
        private final long initial;

        Events(long initial) {
            this.initial = initial;
        }

        @Override
        protected void hookOnSubscribe(Subscription subscription) {
            request(initial);
        }

        @Override
        protected void hookOnNext(SnapshotEvent event) {
            received.add(event);
        }

        @Override
        protected void hookOnError(Throwable throwable) {
            error.set(throwable);
        }

        List<SnapshotEvent> from(int index) {
            return List.copyOf(received.subList(index, received.size()));
        }
    }

    private Events watch(ReactiveSnapshotsClient client, long initial) {
        return watch(client, initial, INTERVAL);
    }

    private Events watch(ReactiveSnapshotsClient client, long initial, Duration interval) {
        Events events = new Events(initial);
        client.watchSnapshots(PAGES_OF_10, interval).subscribe(events);
        return events;
    }

    private static void await(BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition not met within 10 s").isLessThan(deadline);
            LazinessTest.sleep(5);
        }
    }

    private int listRequests() {
        return (int) server.requests().stream().filter(r -> r.path().equals("/v1/snapshots")).count();
    }

    private static SnapshotEvent event(SnapshotEvent.Type type, Snapshot snapshot) {
        return new SnapshotEvent(type, snapshot);
    }

    @Test
    void theFirstPassAddsEverySnapshotThenIdlePassesEmitNothing() {
        List<Snapshot> seeded = server.seed(25);
        Events events = watch(client(), Long.MAX_VALUE);
        await(() -> events.received.size() == 25);
        assertThat(events.received).isEqualTo(seeded.stream().map(s -> event(SnapshotEvent.Type.ADDED, s)).toList());
        int afterFirst = listRequests();
        LazinessTest.sleep(500); // several idle passes
        events.dispose();
        assertThat(events.received).hasSize(25);
        assertThat(listRequests()).as("the passes went on, each a listing of 3 pages").isGreaterThan(afterFirst + 3);
    }

    @Test
    void laterPassesEmitWhatWasAddedModifiedOrRemoved() {
        List<Snapshot> seeded = server.seed(12);
        Events events = watch(client(), Long.MAX_VALUE);
        await(() -> events.received.size() == 12);
        Snapshot third = seeded.get(2);
        Snapshot renamed = new Snapshot(third.id(), "renamed", third.size(), third.createdAt(), third.updatedAt(),
                third.deletedAt(), third.organizationId(), third.parentVolumeId(), third.region(), third.status(),
                third.type());
        server.put(renamed);
        server.remove("snap-000007");
        Snapshot fresh = server.put(new Snapshot("snap-new", "fresh", 1L, null, null, null, "org-fake", "vol-1", "fra",
                SnapshotStatus.CREATING, SnapshotType.LOCAL));
        await(() -> events.received.size() == 15);
        // in the listing's order, then the removals once the pass has read everything
        assertThat(events.from(12)).containsExactly(event(SnapshotEvent.Type.MODIFIED, renamed),
                event(SnapshotEvent.Type.ADDED, fresh), event(SnapshotEvent.Type.REMOVED, seeded.get(6)));
        LazinessTest.sleep(300);
        events.dispose();
        assertThat(events.received).as("idle passes after it").hasSize(15);
    }

    @Test
    void aPassThatFailsReportsNoRemovalAndTheWatchGoesOn() {
        server.seed(15);
        // passes a second apart, so that the test knows when the next one comes
        Events events = watch(track(clientBuilder().retryPolicy(RetryPolicy.none()).build()), Long.MAX_VALUE,
                Duration.ofSeconds(1));
        await(() -> events.received.size() == 15);
        server.clearRequests();
        server.remove("snap-000015");
        // the next pass fails on its second page (limit 11: page 10 and its overlap of 1), after it
        // read the first 10 snapshots only
        server.expect("GET", "/v1/snapshots?limit=10&offset=0")
                .expect("GET", "/v1/snapshots?limit=11&offset=9", FakeResponse.status(500));
        await(() -> server.requestCount() >= 2);
        LazinessTest.sleep(100);
        server.verify();
        assertThat(events.received).as("no removal from a pass that could not confirm it").hasSize(15);
        server.clearScript();
        await(() -> events.received.size() == 16);
        assertThat(events.received.get(15).type()).isEqualTo(SnapshotEvent.Type.REMOVED);
        assertThat(events.received.get(15).snapshot().id()).isEqualTo("snap-000015");
        assertThat(events.error.get()).isNull();
        events.dispose();
    }

    @Test
    void a401EndsTheWatch() {
        server.seed(5);
        server.requireToken("another-token-entirely");
        Events events = watch(client(), Long.MAX_VALUE);
        await(() -> events.error.get() != null);
        assertThat(events.error.get()).isInstanceOf(KoyebUnauthorizedException.class);
    }

    @Test
    void a403EndsTheWatchToo() {
        server.seed(5);
        server.failFor(Duration.ofMinutes(1), FakeResponse.status(403));
        Events events = watch(noRetry(), Long.MAX_VALUE);
        await(() -> events.error.get() != null);
        assertThat(events.error.get()).isInstanceOf(KoyebForbiddenException.class);
    }

    @Test
    void aSlowSubscriberDelaysTheNextPassInsteadOfFillingABuffer() {
        server.seed(40);
        Events events = new Events(5);
        client().watchSnapshots(PAGES_OF_10, Duration.ofMillis(10)).subscribe(events);
        await(() -> events.received.size() == 5);
        LazinessTest.sleep(400);
        // five events taken: the pass read the page it needed and at most one more
        assertThat(listRequests()).isLessThanOrEqualTo(2);
        events.request(35);
        await(() -> events.received.size() == 40);
        int passOne = listRequests();
        LazinessTest.sleep(300);
        assertThat(listRequests()).as("no demand left: the next pass waits for it").isEqualTo(passOne);
        events.request(Long.MAX_VALUE);
        LazinessTest.sleep(300);
        assertThat(listRequests()).as("idle passes follow once there is demand").isGreaterThan(passOne + 4);
        assertThat(events.received).hasSize(40);
        events.dispose();
    }

    @Test
    void cancellingEndsTheWatch() {
        server.seed(5);
        Events events = watch(client(), Long.MAX_VALUE);
        await(() -> events.received.size() == 5);
        LazinessTest.sleep(250);
        events.dispose();
        LazinessTest.sleep(150);
        int sent = server.requestCount();
        LazinessTest.sleep(300);
        assertThat(server.requestCount()).isEqualTo(sent);
        assertThat(events.received).hasSize(5);
    }

    @Test
    void theListenerHearsOfPassesAndEvents() {
        server.seed(3);
        List<String> heard = new CopyOnWriteArrayList<>();
        ReactiveSnapshotsClient client = track(clientBuilder().eventListener(new ClientEventListener() {
            @Override
            public void onWatchPass(boolean complete, int events) {
                heard.add("pass " + complete + " " + events);
            }

            @Override
            public void onWatchEvent(SnapshotEvent.Type type) {
                heard.add(type.name());
            }
        }).build());
        Events events = watch(client, Long.MAX_VALUE);
        await(() -> heard.size() >= 5);
        events.dispose();
        assertThat(heard).startsWith("ADDED", "ADDED", "ADDED", "pass true 3", "pass true 0");
    }

    @Test
    void badArgumentsAreRejectedAtOnce() {
        assertThatThrownBy(() -> client().watchSnapshots(null, INTERVAL)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> client().watchSnapshots(PAGES_OF_10, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
