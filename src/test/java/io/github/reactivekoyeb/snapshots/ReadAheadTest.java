package io.github.reactivekoyeb.snapshots;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.reactivekoyeb.snapshots.testing.FakeKoyebServer;
import io.github.reactivekoyeb.snapshots.testing.FakeResponse;
import io.github.reactivekoyeb.snapshots.testing.RecordedRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.Disposable;
import reactor.test.StepVerifier;

/** Ordered read-ahead: k page requests in flight, the server's order kept, lazy and cancellable. */
class ReadAheadTest extends FakeServerTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    private static ListSnapshotsRequest request(int pageSize, int readAhead) {
        return ListSnapshotsRequest.builder().pageSize(pageSize).readAhead(readAhead).build();
    }

    /** The most requests the server had received within {@code window} of any one of them. */
    private int maxArrivedTogether(Duration window) {
        List<Instant> times = server.requests().stream().map(RecordedRequest::receivedAt).toList();
        int max = 0;
        for (Instant t : times) {
            int n = (int) times.stream().filter(u -> !u.isBefore(t) && u.isBefore(t.plus(window))).count();
            max = Math.max(max, n);
        }
        return max;
    }

    @Test
    void readAheadKeepsUpToKPageRequestsInFlightAndKeepsTheOrder() {
        List<Snapshot> seeded = server.seed(400);
        server.latency(Duration.ofMillis(150));
        long start = System.nanoTime();
        StepVerifier.create(client().listSnapshots(request(20, 4))).expectNextSequence(seeded).expectComplete()
                .verify(TIMEOUT);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        // 20 pages at 150 ms: 3 s one at a time, about 0.75 s four at a time
        assertThat(took).isLessThan(Duration.ofMillis(2000));
        // batches of requests arrive 150 ms apart: within 75 ms of one another, at most k = 4
        assertThat(maxArrivedTogether(Duration.ofMillis(75))).isBetween(2, 4);
    }

    @Test
    void withoutReadAheadPagesAreFetchedOneAtATime() {
        server.seed(100);
        server.latency(Duration.ofMillis(100));
        StepVerifier.create(client().listSnapshots(request(20, 0))).expectNextCount(100).expectComplete().verify(TIMEOUT);
        assertThat(maxArrivedTogether(Duration.ofMillis(80))).isEqualTo(1);
    }

    @Test
    void takeFiveSendsAtMostOnePlusKRequests() {
        server.seed(10_000);
        StepVerifier.create(client().listSnapshots(request(100, 4)).take(5)).expectNextCount(5).expectComplete()
                .verify(TIMEOUT);
        LazinessTest.sleep(300);
        assertThat(server.requestCount()).isBetween(1, 5);
    }

    @Test
    void nothingIsSentBeforeDemandEvenWithReadAhead() {
        server.seed(100);
        StepVerifier.create(client().listSnapshots(request(10, 8)), 0)
                .expectSubscription()
                .then(() -> LazinessTest.sleep(200))
                .then(() -> assertThat(server.requestCount()).isZero())
                .thenCancel()
                .verify(TIMEOUT);
    }

    @Test
    void pagesArrivingOutOfOrderAreEmittedInTheServersOrder() {
        List<Snapshot> seeded = server.seed(200);
        // the first requests to arrive are answered last
        server.enqueue(FakeResponse.delayed(Duration.ofMillis(400)));
        server.enqueue(FakeResponse.delayed(Duration.ofMillis(300)));
        server.enqueue(FakeResponse.delayed(Duration.ofMillis(200)));
        StepVerifier.create(client().listSnapshots(request(10, 6))).expectNextSequence(seeded).expectComplete()
                .verify(TIMEOUT);
    }

    @Test
    void pagesFetchedBeyondTheEndAreDroppedNotDuplicated() {
        List<Snapshot> seeded = server.seed(25);
        StepVerifier.create(client().listSnapshots(request(10, 8))).expectNextSequence(seeded).expectComplete()
                .verify(TIMEOUT);
        StepVerifier.create(client().listSnapshotPages(request(10, 8)))
                .assertNext(p -> assertThat(p.offset()).isZero())
                .assertNext(p -> assertThat(p.offset()).isEqualTo(10))
                .assertNext(p -> assertThat(p.hasNext()).isFalse())
                .expectComplete()
                .verify(TIMEOUT);
    }

    @Test
    void cancellationCutsTheRequestsInFlightAndSendsNothingMore() {
        server.seed(10_000);
        server.latency(Duration.ofMillis(500));
        AtomicInteger answered = new AtomicInteger();
        WebClient.Builder counting = WebClient.builder()
                .filter((request, next) -> next.exchange(request).doOnNext(response -> answered.incrementAndGet()));
        ReactiveSnapshotsClient client = track(clientBuilder().webClientBuilder(counting).build());
        Disposable subscription = client.listSnapshots(request(100, 4)).subscribe();
        LazinessTest.sleep(200);
        assertThat(server.requestCount()).isEqualTo(4);
        assertThat(server.openConnections()).isEqualTo(4);
        subscription.dispose();
        LazinessTest.sleep(100);
        // the four exchanges in flight were cut: their connections closed, no reply read
        assertThat(server.openConnections()).isZero();
        LazinessTest.sleep(500);
        assertThat(server.requestCount()).as("no request after the cancel").isEqualTo(4);
        assertThat(answered.get()).isZero();
    }

    @Test
    void aFailedPageIsRetriedAloneWhileTheOthersProceed() {
        List<Snapshot> seeded = server.seed(300);
        server.failNext(2, 503);
        StepVerifier.create(client().listSnapshots(request(30, 4))).expectNextSequence(seeded).expectComplete()
                .verify(TIMEOUT);
        List<String> offsets = server.requests().stream().map(r -> r.queryParameter("offset")).toList();
        // the two 503s hit the first requests to arrive (among the first four pages); each was
        // retried on its own: 10 pages, 12 requests within the listing, a few more past its end
        assertThat(offsets.stream().distinct().filter(o -> Integer.parseInt(o) < 300)).hasSize(10);
        assertThat(offsets.stream().filter(o -> Integer.parseInt(o) < 300)).hasSize(12);
        assertThat(offsets.stream().filter(o -> Integer.parseInt(o) >= 300)).hasSizeLessThanOrEqualTo(4);
    }

    @Test
    void aServerThatPagesDifferentlyIsFollowed() {
        server.close();
        server = FakeKoyebServer.builder().token(TOKEN).maxLimit(3).build();
        List<Snapshot> seeded = server.seed(40);
        StepVerifier.create(client().listSnapshots(request(5, 3))).expectNextSequence(seeded).expectComplete()
                .verify(TIMEOUT);
    }

    @Test
    void aPageThatFailsForGoodStopsTheListingAfterThePagesBeforeIt() {
        List<Snapshot> seeded = server.seed(100);
        ReactiveSnapshotsClient client = track(clientBuilder().retryPolicy(RetryPolicy.none()).build());
        List<Snapshot> emitted = new java.util.ArrayList<>();
        StepVerifier.create(client.listSnapshots(request(10, 4)).doOnNext(emitted::add), 10)
                .expectNextCount(10)
                .then(() -> LazinessTest.sleep(200)) // pages 10..40 have arrived meanwhile
                // the next page request to arrive: pages 10..40 are emitted at once, so requests for
                // 50, 60, 70 and 80 leave together and any of them may take the 500
                .then(() -> server.failNext(1, 500))
                .thenRequest(Long.MAX_VALUE)
                .thenConsumeWhile(s -> true)
                .expectError(KoyebServerException.class)
                .verify(TIMEOUT);
        // whole pages, in order, up to the failed one; none after it
        assertThat(emitted.size()).isIn(50, 60, 70, 80);
        assertThat(emitted).isEqualTo(seeded.subList(0, emitted.size()));
    }

    @Test
    void theClientsDefaultReadAheadAppliesToListingsThatSetNone() {
        server.seed(1_000);
        server.latency(Duration.ofMillis(400));
        ReactiveSnapshotsClient client = track(clientBuilder().defaultReadAhead(4).build());
        Disposable unset = client.listSnapshots(ListSnapshotsRequest.builder().pageSize(100).build()).subscribe();
        LazinessTest.sleep(200);
        assertThat(server.requestCount()).isEqualTo(4);
        unset.dispose();
        LazinessTest.sleep(400);
        server.clearRequests();
        Disposable explicit = client.listSnapshots(request(100, 0)).subscribe();
        LazinessTest.sleep(200);
        assertThat(server.requestCount()).as("a request that sets 0 keeps 0").isEqualTo(1);
        explicit.dispose();
        assertThat(ListSnapshotsRequest.all().readAhead()).isEmpty();
        assertThat(request(100, 0).readAhead()).hasValue(0);
        assertThatThrownBy(() -> clientBuilder().defaultReadAhead(17)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("readAhead must be between 0 and 16");
    }

    @Test
    void readAheadOutsideZeroToSixteenIsRejected() {
        assertThatThrownBy(() -> ListSnapshotsRequest.builder().readAhead(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ListSnapshotsRequest.builder().readAhead(17)).isInstanceOf(IllegalArgumentException.class);
        assertThat(ListSnapshotsRequest.builder().build().readAhead()).isEmpty();
        assertThat(ListSnapshotsRequest.builder().readAhead(16).build().readAhead()).hasValue(16);
    }
}
