package io.github.reactivekoyeb.snapshots;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivekoyeb.snapshots.testing.FakeResponse;
import io.github.reactivekoyeb.snapshots.testing.RecordedRequest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.test.StepVerifier;

/** Lazy, demand-driven offset paging that follows has_next. */
class PagingTest extends FakeServerTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private List<String> offsets() {
        return server.requests().stream().map(r -> r.queryParameter("offset")).toList();
    }

    @Test
    void listsEverySnapshotInOrderExactlyOnce() {
        List<Snapshot> seeded = server.seed(1234);
        List<Snapshot> listed = client().listSnapshots().collectList().block(TIMEOUT);
        assertThat(listed).isEqualTo(seeded);
        assertThat(offsets()).hasSize(13).startsWith("0", "100", "200").endsWith("1200");
    }

    @Test
    void takeFiveOnTenThousandFetchesOnePage() {
        server.seed(10_000);
        StepVerifier.create(client().listSnapshots().take(5)).expectNextCount(5).expectComplete().verify(TIMEOUT);
        LazinessTest.sleep(200);
        assertThat(server.requestCount()).isEqualTo(1);
    }

    @Test
    void demandForMoreThanAPageFetchesOnlyThePagesNeeded() {
        server.seed(10_000);
        StepVerifier.create(client().listSnapshots(), 150)
                .expectNextCount(150)
                .then(() -> LazinessTest.sleep(200))
                .then(() -> assertThat(server.requestCount()).isEqualTo(2))
                .thenRequest(50)
                .expectNextCount(50)
                .then(() -> LazinessTest.sleep(100))
                .then(() -> assertThat(server.requestCount()).isEqualTo(2))
                .thenRequest(1)
                .expectNextCount(1)
                .thenCancel()
                .verify(TIMEOUT);
        assertThat(server.requestCount()).isEqualTo(3);
    }

    @Test
    void pagesFluxCountsDemandInPages() {
        server.seed(1000);
        StepVerifier.create(client().listSnapshotPages(ListSnapshotsRequest.builder().pageSize(10).build()), 2)
                .expectNextCount(2)
                .then(() -> LazinessTest.sleep(150))
                .then(() -> assertThat(server.requestCount()).isEqualTo(2))
                .thenCancel()
                .verify(TIMEOUT);
    }

    @Test
    void cancellingStopsPaging() throws InterruptedException {
        server.seed(10_000);
        server.latency(Duration.ofMillis(50));
        CountDownLatch twoPages = new CountDownLatch(150);
        Disposable subscription = client().listSnapshots().subscribe(s -> twoPages.countDown());
        assertThat(twoPages.await(10, TimeUnit.SECONDS)).isTrue();
        subscription.dispose();
        LazinessTest.sleep(100); // a page request already on the wire at cancel may still arrive
        int sentAfterCancel = server.requestCount();
        LazinessTest.sleep(500);
        assertThat(server.requestCount()).isEqualTo(sentAfterCancel).isLessThanOrEqualTo(3);
    }

    @Test
    void nextRequestUsesOffsetPlusLimitOfTheReply() {
        // the server answers with a smaller limit than asked for: the client follows the reply
        server.enqueue(FakeResponse.json(200, page(0, 3, true, "a", "b", "c")));
        server.enqueue(FakeResponse.json(200, page(3, 3, true, "d", "e", "f")));
        server.enqueue(FakeResponse.json(200, page(6, 3, false, "g")));
        StepVerifier.create(client().listSnapshots(ListSnapshotsRequest.builder().pageSize(50).build()).map(Snapshot::id))
                .expectNext("a", "b", "c", "d", "e", "f", "g")
                .expectComplete()
                .verify(TIMEOUT);
        assertThat(offsets()).containsExactly("0", "3", "6");
    }

    @Test
    void pagingStopsWhenHasNextIsFalse() {
        server.enqueue(FakeResponse.json(200, page(0, 2, true, "a", "b")));
        server.enqueue(FakeResponse.json(200, page(2, 2, false, "c", "d")));
        server.seed(10); // would be listed if the client asked again
        StepVerifier.create(client().listSnapshots(ListSnapshotsRequest.builder().pageSize(2).build()))
                .expectNextCount(4).expectComplete().verify(TIMEOUT);
        assertThat(server.requestCount()).isEqualTo(2);
    }

    @Test
    void anEmptyPageEndsPagingEvenWithHasNext() {
        server.enqueue(FakeResponse.json(200, page(0, 2, true, "a", "b")));
        server.enqueue(FakeResponse.json(200, page(2, 2, true)));
        server.seed(10);
        StepVerifier.create(client().listSnapshots(ListSnapshotsRequest.builder().pageSize(2).build()))
                .expectNextCount(2).expectComplete().verify(TIMEOUT);
        StepVerifier.create(client().listSnapshotPages(ListSnapshotsRequest.builder().pageSize(2).build()))
                .expectNextCount(5).expectComplete().verify(TIMEOUT); // 10 seeded, 2 per page, has_next false on the 5th
        assertThat(server.requestCount()).isEqualTo(2 + 5);
    }

    @Test
    void pagesCarryTheirOffsetLimitAndHasNext() {
        server.seed(25);
        StepVerifier.create(client().listSnapshotPages(ListSnapshotsRequest.builder().pageSize(10).build()))
                .assertNext(p -> assertPage(p, 0, 10, true, 10))
                .assertNext(p -> assertPage(p, 10, 10, true, 10))
                .assertNext(p -> assertPage(p, 20, 10, false, 5))
                .expectComplete()
                .verify(TIMEOUT);
    }

    private static void assertPage(SnapshotPage page, long offset, long limit, boolean hasNext, int size) {
        assertThat(page.offset()).isEqualTo(offset);
        assertThat(page.limit()).isEqualTo(limit);
        assertThat(page.hasNext()).isEqualTo(hasNext);
        assertThat(page.snapshots()).hasSize(size);
    }

    @Test
    void startOffsetResumesAListing() {
        List<Snapshot> seeded = server.seed(300);
        List<Snapshot> rest = client().listSnapshots(ListSnapshotsRequest.builder().startOffset(250).pageSize(20).build())
                .collectList().block(TIMEOUT);
        assertThat(rest).isEqualTo(seeded.subList(250, 300));
        assertThat(offsets()).containsExactly("250", "270", "290");
    }

    @Test
    void filtersSelectOnTheServer() {
        List<Snapshot> seeded = server.seed(300);
        List<Snapshot> expected = seeded.stream()
                .filter(s -> "was".equals(s.region()) && s.status() == SnapshotStatus.CREATING).toList();
        List<Snapshot> listed = client().listSnapshots(ListSnapshotsRequest.builder().region("was")
                .statuses(SnapshotStatus.CREATING).pageSize(7).build()).collectList().block(TIMEOUT);
        assertThat(listed).isNotEmpty().isEqualTo(expected);
    }

    @Test
    void aRetriedPageIsTheOnlyOneFetchedAgain() {
        List<Snapshot> seeded = server.seed(50);
        ReactiveSnapshotsClient client = client();
        StepVerifier.create(client.listSnapshots(ListSnapshotsRequest.builder().pageSize(10).build()), 10)
                .expectNextCount(10)
                .then(() -> server.failNext(2, 503))
                .thenRequest(Long.MAX_VALUE)
                .expectNextSequence(seeded.subList(10, 50))
                .expectComplete()
                .verify(TIMEOUT);
        assertThat(offsets()).containsExactly("0", "10", "10", "10", "20", "30", "40");
    }

    @Test
    void aPageThatFailsForGoodEndsTheListingAfterTheItemsBeforeIt() {
        server.seed(30);
        ReactiveSnapshotsClient client = track(clientBuilder().retryPolicy(RetryPolicy.none()).build());
        StepVerifier.create(client.listSnapshots(ListSnapshotsRequest.builder().pageSize(10).build()), 10)
                .expectNextCount(10)
                .then(() -> server.failNext(1, 500))
                .thenRequest(Long.MAX_VALUE)
                .expectError(KoyebServerException.class)
                .verify(TIMEOUT);
        assertThat(offsets()).containsExactly("0", "10");
    }

    @Test
    void listingFromARealServerSendsOneRequestPerPage() {
        server.seed(10_000);
        assertThat(client().listSnapshots().count().block(TIMEOUT)).isEqualTo(10_000);
        assertThat(server.requests()).hasSize(100).allSatisfy((RecordedRequest r) -> {
            assertThat(r.path()).isEqualTo("/v1/snapshots");
            assertThat(r.queryParameter("limit")).isEqualTo("100");
        });
    }

    static String page(long offset, long limit, boolean hasNext, String... ids) {
        StringBuilder sb = new StringBuilder("{\"snapshots\":[");
        for (int i = 0; i < ids.length; i++) {
            sb.append(i == 0 ? "" : ",").append("{\"id\":\"").append(ids[i]).append("\"}");
        }
        return sb.append("],\"limit\":\"").append(limit).append("\",\"offset\":\"").append(offset)
                .append("\",\"has_next\":").append(hasNext).append('}').toString();
    }
}
