package io.github.reactivekoyeb.snapshots.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivekoyeb.snapshots.ListSnapshotsRequest;
import io.github.reactivekoyeb.snapshots.ReactiveSnapshotsClient;
import io.github.reactivekoyeb.snapshots.RetryPolicy;
import io.github.reactivekoyeb.snapshots.Snapshot;
import io.github.reactivekoyeb.snapshots.support.SeededCases;
import io.github.reactivekoyeb.snapshots.testing.FakeChange;
import io.github.reactivekoyeb.snapshots.testing.FakeKoyebServer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Consistent listings against random changes within their documented bound, made before every
 * list request at seeded random positions: creations anywhere, removals of short-lived snapshots
 * before the cursor, fewer than the page size's overlap. Every case must emit every snapshot that
 * stays exactly once, and no id twice: 0 missing, 0 repeated. Cases are seeded
 * ({@link SeededCases}); a failure prints the seed that runs it again.
 */
class ConsistentListingProperties {

    static final int CASES = 50;

    @Test
    void withinTheBoundNothingIsMissedAndNothingRepeated() {
        AtomicLong listed = new AtomicLong();
        AtomicLong changed = new AtomicLong();
        SeededCases.run("ConsistentListingProperties", CASES, random -> {
            int pageSize = SeededCases.oneOf(random, 10, 23, 50, 91, 100);
            int overlap = Math.max(1, pageSize / 11);
            int stable = SeededCases.between(random, 0, 200);
            int shortLived = SeededCases.between(random, 0, 100);
            int removals = SeededCases.between(random, 0, overlap - 1);
            int creations = SeededCases.between(random, 0, 3);
            int readAhead = SeededCases.between(random, 0, 3);
            try (FakeKoyebServer server = FakeKoyebServer.builder().seed(random.nextLong()).build();
                 ReactiveSnapshotsClient client = ReactiveSnapshotsClient.builder().baseUrl(server.baseUrl())
                         .retryPolicy(RetryPolicy.none()).responseTimeout(Duration.ofSeconds(5)).build()) {
                List<Snapshot> seeded = server.seed(stable);
                server.changeBeforeListRequest(1, FakeChange.createAnywhere(shortLived));
                server.changeBeforeListRequests(FakeChange.removeBeforeCursor(removals, s -> s.id().startsWith("chg-"))
                        .and(FakeChange.createAnywhere(creations)));
                List<Snapshot> emitted = client.listSnapshots(ListSnapshotsRequest.builder().pageSize(pageSize)
                        .readAhead(readAhead).consistent(true).build()).collectList().block(Duration.ofSeconds(30));
                Map<String, Integer> counts = new HashMap<>();
                emitted.forEach(s -> counts.merge(s.id(), 1, Integer::sum));
                String setting = "page " + pageSize + ", read-ahead " + readAhead + ", " + stable + " stable, "
                        + removals + " removed and " + creations + " created before each page";
                assertThat(seeded).as("missing, " + setting).allSatisfy(s -> assertThat(counts).containsKey(s.id()));
                assertThat(counts.values()).as("repeated, " + setting).allSatisfy(n -> assertThat(n).isEqualTo(1));
                listed.addAndGet(emitted.size());
                changed.addAndGet((long) server.requestCount() * (removals + creations));
            }
        });
        System.out.printf("ConsistentListingProperties: %d cases, %d snapshots listed, about %d changes made"
                + " while they ran: 0 missing, 0 repeated%n", CASES, listed.get(), changed.get());
    }
}
