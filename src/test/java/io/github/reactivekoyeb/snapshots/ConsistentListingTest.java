package io.github.reactivekoyeb.snapshots;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivekoyeb.snapshots.testing.FakeChange;
import io.github.reactivekoyeb.snapshots.testing.FakeKoyebServer;
import io.github.reactivekoyeb.snapshots.testing.RecordedRequest;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/**
 * Consistent listings over a fake API whose snapshots change between page requests: every
 * snapshot that stays is emitted exactly once, no id twice, at the cost the issue bounds; plain
 * listings keep offset paging's requests (and its holes and repeats, shown here too).
 */
class ConsistentListingTest extends FakeServerTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Predicate<Snapshot> CREATED_BY_CHANGES = s -> s.id().startsWith("chg-");

    private static ListSnapshotsRequest.Builder request(int pageSize) {
        return ListSnapshotsRequest.builder().pageSize(pageSize);
    }

    /** How a listing came out against the stable snapshots: those never emitted, and the ids emitted twice. */
    record Outcome(int missing, int repeated, int emitted) {
        static Outcome of(List<Snapshot> stable, List<Snapshot> emitted) {
            Map<String, Integer> counts = new HashMap<>();
            emitted.forEach(s -> counts.merge(s.id(), 1, Integer::sum));
            int missing = (int) stable.stream().filter(s -> !counts.containsKey(s.id())).count();
            int repeated = (int) counts.values().stream().filter(n -> n > 1).count();
            return new Outcome(missing, repeated, emitted.size());
        }
    }

    private Outcome list(ReactiveSnapshotsClient client, ListSnapshotsRequest request, List<Snapshot> stable) {
        List<Snapshot> emitted = client.listSnapshots(request).collectList().block(TIMEOUT);
        return Outcome.of(stable, emitted);
    }

    /** A client whose listener records the offset of each repair request. */
    private ReactiveSnapshotsClient countingRepairs(List<Long> repairs) {
        return track(clientBuilder().eventListener(new ClientEventListener() {
            @Override
            public void onListingRepair(long offset, int attempt) {
                repairs.add(offset);
            }
        }).build());
    }

    private List<Snapshot> stableWithShortLived(int stable, int shortLived) {
        List<Snapshot> seeded = server.seed(stable);
        server.changeBeforeListRequest(1, FakeChange.createAnywhere(shortLived));
        return seeded;
    }

    @Test
    void shortLivedSnapshotsRemovedBehindTheCursorLeaveNoHole() {
        List<Snapshot> stable = stableWithShortLived(2_000, 600);
        server.changeBeforeListRequests(FakeChange.removeBeforeCursor(8, CREATED_BY_CHANGES));
        Outcome plain = list(client(), request(50).build(), stable);
        server.clearScript();
        server.clearSnapshots();
        stable = stableWithShortLived(2_000, 600);
        server.changeBeforeListRequests(FakeChange.removeBeforeCursor(8, CREATED_BY_CHANGES));
        Outcome consistent = list(client(), request(50).consistent(true).build(), stable);
        System.out.printf("8 short-lived removed behind the cursor before each page: plain %s, consistent %s%n",
                plain, consistent);
        assertThat(plain.missing()).as("offset paging skips what shifts back over the cursor").isPositive();
        assertThat(consistent.missing()).isZero();
        assertThat(consistent.repeated()).isZero();
    }

    @Test
    void snapshotsCreatedAtTheHeadCauseNoRepeat() {
        List<Snapshot> stable = server.seed(2_000);
        server.changeBeforeListRequests(FakeChange.createAt(0, 3));
        Outcome plain = list(client(), request(50).build(), stable);
        server.clearScript();
        server.clearSnapshots();
        stable = server.seed(2_000);
        server.changeBeforeListRequests(FakeChange.createAt(0, 3));
        Outcome consistent = list(client(), request(50).consistent(true).build(), stable);
        System.out.printf("3 created at the head before each page: plain %s, consistent %s%n", plain, consistent);
        assertThat(plain.repeated()).as("offset paging repeats what shifts forward over the cursor").isPositive();
        assertThat(consistent.missing()).isZero();
        assertThat(consistent.repeated()).isZero();
    }

    @Test
    void creationsAndRemovalsAtRandomPlacesLeaveItExact() {
        List<Snapshot> stable = stableWithShortLived(2_000, 600);
        server.changeBeforeListRequests(FakeChange.createAnywhere(2).and(FakeChange.removeAnywhere(2, CREATED_BY_CHANGES)));
        Outcome consistent = list(client(), request(50).consistent(true).build(), stable);
        assertThat(consistent.missing()).isZero();
        assertThat(consistent.repeated()).isZero();
    }

    @Test
    void withoutChangesItCostsAtMostATenthMoreBytesAndRequestsForFullPages() {
        server.close();
        server = FakeKoyebServer.builder().token(TOKEN).compression(false).build();
        for (int pageSize : new int[] {100, 50, 20}) {
            server.clearSnapshots();
            List<Snapshot> stable = server.seed(3_000);
            server.clearRequests();
            long bytes = server.bodyBytesWritten();
            assertThat(list(client(), request(pageSize).build(), stable).missing()).isZero();
            int plainRequests = server.requestCount();
            long plainBytes = server.bodyBytesWritten() - bytes;
            server.clearRequests();
            bytes = server.bodyBytesWritten();
            Outcome consistent = list(client(), request(pageSize).consistent(true).build(), stable);
            int consistentRequests = server.requestCount();
            long consistentBytes = server.bodyBytesWritten() - bytes;
            double requestRatio = consistentRequests / (double) plainRequests;
            double byteRatio = consistentBytes / (double) plainBytes;
            System.out.printf("no changes, page %d: %d vs %d requests (%.3fx), %d vs %d bytes (%.3fx)%n", pageSize,
                    consistentRequests, plainRequests, requestRatio, consistentBytes, plainBytes, byteRatio);
            assertThat(consistent).isEqualTo(new Outcome(0, 0, 3_000));
            assertThat(byteRatio).isLessThanOrEqualTo(1.10);
            assertThat(requestRatio).isLessThanOrEqualTo(1.25);
        }
    }

    @Test
    void withChangesWithinTheBoundItSendsNoRepairAndStaysInTheCostBound() {
        server.close();
        server = FakeKoyebServer.builder().token(TOKEN).compression(false).build();
        List<Snapshot> stable = stableWithShortLived(3_000, 600);
        server.clearRequests();
        long bytes = server.bodyBytesWritten();
        list(client(), request(100).build(), stable);
        int plainRequests = server.requestCount();
        long plainBytes = server.bodyBytesWritten() - bytes;
        server.clearSnapshots();
        stable = stableWithShortLived(3_000, 600);
        // within the bound of page 100 (overlap 9): fewer than 9 removed, a few created, before the cursor
        server.changeBeforeListRequests(FakeChange.removeBeforeCursor(6, CREATED_BY_CHANGES)
                .and(FakeChange.createBeforeCursor(3)));
        server.clearRequests();
        bytes = server.bodyBytesWritten();
        List<Long> repairs = new CopyOnWriteArrayList<>();
        Outcome consistent = list(countingRepairs(repairs), request(100).consistent(true).build(), stable);
        double requestRatio = server.requestCount() / (double) plainRequests;
        double byteRatio = (server.bodyBytesWritten() - bytes) / (double) plainBytes;
        System.out.printf("6 removed and 3 created before the cursor before each page, page 100: %.3fx requests,"
                + " %.3fx bytes, %d repairs%n", requestRatio, byteRatio, repairs.size());
        assertThat(consistent.missing()).isZero();
        assertThat(consistent.repeated()).isZero();
        assertThat(repairs).isEmpty();
        assertThat(requestRatio).isLessThanOrEqualTo(1.25);
        assertThat(byteRatio).isLessThanOrEqualTo(1.10);
    }

    @Test
    void pastTheBoundItRepairsItselfWithAWiderWindow() {
        List<Snapshot> stable = stableWithShortLived(1_000, 300);
        // a burst of 40 removals behind the cursor, ten times the overlap of page 50
        server.changeBeforeListRequest(6, FakeChange.removeBeforeCursor(40, CREATED_BY_CHANGES));
        List<Long> repairs = new CopyOnWriteArrayList<>();
        Outcome consistent = list(countingRepairs(repairs), request(50).consistent(true).build(), stable);
        assertThat(consistent.missing()).isZero();
        assertThat(consistent.repeated()).isZero();
        assertThat(repairs).isNotEmpty();
    }

    @Test
    void whenEverythingItEmittedLatelyIsGoneItFailsWithATypedDriftError() {
        server.seed(500);
        // before the third page: the 100 snapshots the first two pages emitted are removed
        server.changeBeforeListRequest(3, FakeChange.removeAt(0, 100));
        StepVerifier.create(client().listSnapshots(request(50).consistent(true).build()))
                .expectNextCount(100)
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(KoyebListingDriftException.class)
                        .hasMessageContaining("the consistent listing drifted"))
                .verify(TIMEOUT);
    }

    @Test
    void itComposesWithReadAhead() {
        List<Snapshot> stable = stableWithShortLived(2_000, 500);
        server.changeBeforeListRequests(FakeChange.removeBeforeCursor(3, CREATED_BY_CHANGES)
                .and(FakeChange.createAnywhere(2)));
        Outcome consistent = list(client(), request(50).readAhead(4).consistent(true).build(), stable);
        assertThat(consistent.missing()).isZero();
        assertThat(consistent.repeated()).isZero();
    }

    @Test
    void itComposesWithStartOffsetFiltersAndTheRetryOfOnePage() {
        List<Snapshot> seeded = server.seed(1_200);
        List<Snapshot> available = seeded.stream().filter(s -> s.status() == SnapshotStatus.AVAILABLE).toList();
        server.changeBeforeListRequests(FakeChange.createAt(0, 2));
        server.failNext(2, 503);
        ListSnapshotsRequest filtered = request(40).statuses(SnapshotStatus.AVAILABLE).startOffset(200)
                .consistent(true).build();
        List<Snapshot> emitted = client().listSnapshots(filtered).collectList().block(TIMEOUT);
        // the listing starts at position 200 of the filtered listing as it is when its first page is
        // read (the changes before each request, its retries included, shift it): from the first
        // snapshot it emits on, every available one is emitted once, and nothing before it
        int first = available.indexOf(emitted.get(0));
        assertThat(first).isBetween(190, 200);
        Outcome outcome = Outcome.of(available.subList(first, available.size()), emitted);
        assertThat(outcome.missing()).isZero();
        assertThat(outcome.repeated()).isZero();
        assertThat(emitted).allSatisfy(s -> assertThat(s.status()).isEqualTo(SnapshotStatus.AVAILABLE));
        assertThat(server.requests().stream().filter(r -> r.path().equals("/v1/snapshots")))
                .allSatisfy(r -> assertThat(r.queryParameter("statuses")).isEqualTo("SNAPSHOT_STATUS_AVAILABLE"));
    }

    @Test
    void takeFiveOfAConsistentListingSendsOneRequest() {
        server.seed(5_000);
        StepVerifier.create(client().listSnapshots(request(100).consistent(true).build()).take(5))
                .expectNextCount(5).expectComplete().verify(TIMEOUT);
        LazinessTest.sleep(200);
        assertThat(server.requestCount()).isEqualTo(1);
    }

    @Test
    void aServerThatPagesDifferentlyIsFollowed() {
        server.close();
        server = FakeKoyebServer.builder().token(TOKEN).maxLimit(30).build();
        List<Snapshot> stable = server.seed(700);
        server.changeBeforeListRequests(FakeChange.createAt(0, 1));
        Outcome consistent = list(client(), request(50).readAhead(2).consistent(true).build(), stable);
        assertThat(consistent.missing()).isZero();
        assertThat(consistent.repeated()).isZero();
    }

    @Test
    void plainListingsKeepOffsetPagingsRequests() {
        server.seed(250);
        client().listSnapshots(request(100).build()).then().block(TIMEOUT);
        assertThat(server.requests()).extracting(RecordedRequest::rawQuery)
                .containsExactly("limit=100&offset=0", "limit=100&offset=100", "limit=100&offset=200");
        server.clearRequests();
        client().listSnapshots(request(100).consistent(true).build()).then().block(TIMEOUT);
        // page 100 overlaps 9: the second page starts at 91, the third at 182
        assertThat(server.requests()).extracting(RecordedRequest::rawQuery)
                .containsExactly("limit=100&offset=0", "limit=100&offset=91", "limit=100&offset=182");
    }

    @Test
    void anEmptyListingCompletes() {
        StepVerifier.create(client().listSnapshots(request(10).consistent(true).build())).expectComplete()
                .verify(TIMEOUT);
    }
}
