package io.github.reactivekoyeb.snapshots.retention;

import static io.github.reactivekoyeb.snapshots.retention.Snapshots.every;
import static io.github.reactivekoyeb.snapshots.retention.Snapshots.ids;
import static io.github.reactivekoyeb.snapshots.retention.Snapshots.snap;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.reactivekoyeb.snapshots.ListSnapshotsRequest;
import io.github.reactivekoyeb.snapshots.ReactiveSnapshotsClient;
import io.github.reactivekoyeb.snapshots.Snapshot;
import io.github.reactivekoyeb.snapshots.SnapshotStatus;
import io.github.reactivekoyeb.snapshots.SnapshotType;
import io.github.reactivekoyeb.snapshots.retention.RetentionDecision.Action;
import io.github.reactivekoyeb.snapshots.retention.RetentionOutcome.Result;
import io.github.reactivekoyeb.snapshots.testing.FakeKoyebServer;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The edges a real listing or a typo reaches: ids the client refuses, a window beyond the calendar,
 * ties without ids, a fingerprint that must not depend on how the snapshots were listed; and the
 * cap that makes progress through a backlog ({@code deleteAtMost}).
 */
class RetentionEdgesTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Instant START = Instant.parse("2026-01-01T03:00:00Z");

    private static Snapshot withId(Snapshot s, String id) {
        return new Snapshot(id, s.name(), s.size(), s.createdAt(), s.updatedAt(), s.deletedAt(), s.organizationId(),
                s.parentVolumeId(), s.region(), s.status(), s.type());
    }

    @Test
    void anIdTheClientRefusesIsIgnoredWithItsReasonAndCostsNothingElse() {
        List<Snapshot> listed = new ArrayList<>(every("s", "vol-1", START, Duration.ofDays(1), 5));
        for (String bad : List.of(".", "..", " ", "a\u0007b")) {
            listed.add(withId(snap("x", "vol-1", START.minus(Duration.ofDays(30))), bad));
        }
        RetentionPlan plan = RetentionPlan.of(RetentionPolicy.builder().keepLast(2).build(), listed);
        assertThat(plan.toDelete()).extracting(Snapshot::id).containsExactlyInAnyOrder("s0001", "s0002", "s0003");
        assertThat(plan.decisions()).filteredOn(d -> d.action() == Action.IGNORE).hasSize(4)
                .allSatisfy(d -> assertThat(d.reasons().get(0)).contains("an id the client cannot send"));
    }

    @Test
    void aListedIdTheClientRefusesDoesNotStopTheRun() {
        try (FakeKoyebServer server = FakeKoyebServer.start();
                ReactiveSnapshotsClient client = ReactiveSnapshotsClient.builder().baseUrl(server.baseUrl()).build()) {
            server.seedHistory("vol-1", "nightly-", START, Duration.ofDays(1), 6);
            server.put(new Snapshot("..", "nightly-dots", 1L, START.minus(Duration.ofDays(9)),
                    START.minus(Duration.ofDays(9)), null, "org-1", "vol-1", "fra", SnapshotStatus.AVAILABLE,
                    SnapshotType.LOCAL));
            SnapshotRetention retention = SnapshotRetention.of(client);
            RetentionPolicy policy = RetentionPolicy.builder().keepLast(2).namePrefix("nightly-").build();
            List<RetentionOutcome> outcomes = retention.plan(policy).flatMapMany(retention::apply).collectList()
                    .block(TIMEOUT);
            assertThat(outcomes).hasSize(4).allMatch(o -> o.result() == Result.DELETED);
            assertThat(server.snapshots()).extracting(Snapshot::id).contains("..");
        }
    }

    @Test
    void aWindowBeyondTheCalendarIsRefusedWhenThePolicyIsBuilt() {
        assertThatThrownBy(() -> RetentionPolicy.builder().keepWithin(Duration.ofSeconds(Long.MAX_VALUE)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("beyond the calendar");
        assertThatThrownBy(() -> RetentionPolicy.builder().keepWithin(Duration.ofDays(999_999_999_999L)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("keepWithin");
        RetentionPolicy longest = RetentionPolicy.builder().keepWithin(RetentionPolicy.MAX_KEEP_WITHIN).build();
        List<Snapshot> listed = every("s", "vol-1", START, Duration.ofDays(400), 10);
        listed = new ArrayList<>(listed);
        listed.add(snap("ancient", "vol-1", Instant.parse("0001-06-01T00:00:00Z")));
        RetentionPlan plan = RetentionPlan.of(longest, listed);
        assertThat(plan.toDelete()).isEmpty();
        assertThat(plan.count(Action.KEEP)).isEqualTo(11);
    }

    @Test
    void twoSnapshotsCreatedAtOnceOneWithoutAnIdArePlannedWithoutAnError() {
        Snapshot withoutId = new Snapshot(null, "nightly-x", 1L, START, START, null, "org-1", "vol-1", "fra",
                SnapshotStatus.AVAILABLE, SnapshotType.LOCAL);
        RetentionPlan plan = RetentionPlan.of(RetentionPolicy.builder().keepLast(1).build(),
                List.of(snap("a", "vol-1", START), withoutId, snap("b", "vol-1", START)));
        assertThat(ids(plan, Action.KEEP)).containsExactly("b");
        assertThat(ids(plan, Action.DELETE)).containsExactly("a");
        assertThat(plan.decisions()).filteredOn(d -> d.snapshot().id() == null).singleElement()
                .satisfies(d -> assertThat(d.reasons()).containsExactly("no id"));
    }

    @Test
    void theFingerprintDependsOnTheRulesAndTheSnapshotsOnly() {
        List<Snapshot> listed = every("s", "vol-1", START, Duration.ofHours(7), 60);
        RetentionPolicy utc = RetentionPolicy.builder().keepDaily(3).zone(ZoneOffset.UTC).build();
        RetentionPolicy spelled = RetentionPolicy.builder().keepDaily(3).zone(ZoneId.of("UTC"))
                .listing(ListSnapshotsRequest.builder().pageSize(7).build()).build();
        RetentionPolicy etc = RetentionPolicy.builder().keepDaily(3).zone(ZoneId.of("Etc/UTC"))
                .listing(ListSnapshotsRequest.builder().pageSize(100).readAhead(4).build()).build();
        String fingerprint = RetentionPlan.of(utc, listed).fingerprint();
        assertThat(RetentionPlan.of(spelled, listed).fingerprint()).isEqualTo(fingerprint);
        assertThat(RetentionPlan.of(etc, listed).fingerprint()).isEqualTo(fingerprint);
        assertThat(RetentionPlan.of(RetentionPolicy.builder().keepDaily(4).build(), listed).fingerprint())
                .isNotEqualTo(fingerprint);
        assertThat(RetentionPlan.of(utc, listed.subList(1, 60)).fingerprint()).isNotEqualTo(fingerprint);
    }

    @Test
    void theFingerprintOfAPlanDoesNotDependOnTheListingsPageSize() {
        try (FakeKoyebServer server = FakeKoyebServer.start();
                ReactiveSnapshotsClient client = ReactiveSnapshotsClient.builder().baseUrl(server.baseUrl()).build()) {
            server.seedHistory("vol-1", "nightly-", START, Duration.ofDays(1), 30);
            SnapshotRetention retention = SnapshotRetention.of(client);
            RetentionPolicy.Builder policy = RetentionPolicy.builder().keepDaily(5);
            String small = retention.plan(policy.listing(ListSnapshotsRequest.builder().pageSize(3).build()).build())
                    .block(TIMEOUT).fingerprint();
            String large = retention.plan(policy.listing(ListSnapshotsRequest.all()).build()).block(TIMEOUT)
                    .fingerprint();
            assertThat(small).isEqualTo(large);
        }
    }

    @Test
    void deleteAtMostDeletesTheOldestAndDefersTheRestToTheNextRuns() {
        try (FakeKoyebServer server = FakeKoyebServer.start();
                ReactiveSnapshotsClient client = ReactiveSnapshotsClient.builder().baseUrl(server.baseUrl()).build()) {
            server.seedHistory("vol-1", "nightly-", START, Duration.ofDays(1), 30);
            SnapshotRetention retention = SnapshotRetention.of(client);
            RetentionPolicy policy = RetentionPolicy.builder().keepLast(5).build();
            RetentionOptions capped = RetentionOptions.builder().deleteAtMost(10).build();
            RetentionPlan plan = retention.plan(policy).block(TIMEOUT);
            // what a dry run reports: the 10 oldest now, 15 later
            assertThat(plan.toDelete(capped)).hasSize(10).isSortedAccordingTo(
                    java.util.Comparator.comparing(Snapshot::createdAt));
            assertThat(plan.deferred(capped)).hasSize(15);
            assertThat(plan.toDelete(capped).get(9).createdAt()).isBefore(plan.deferred(capped).get(0).createdAt());

            List<RetentionOutcome> first = retention.apply(plan, capped).collectList().block(TIMEOUT);
            assertThat(first).extracting(RetentionOutcome::result).containsOnly(Result.DELETED, Result.DEFERRED);
            assertThat(first).filteredOn(o -> o.result() == Result.DELETED).extracting(o -> o.snapshot())
                    .containsExactlyInAnyOrderElementsOf(plan.toDelete(capped));
            assertThat(first.subList(10, 25)).allMatch(o -> o.result() == Result.DEFERRED);
            assertThat(server.requests()).filteredOn(r -> r.method().equals("DELETE")).hasSize(10);

            int runs = 1;
            while (true) {
                RetentionPlan next = retention.plan(policy).block(TIMEOUT);
                if (next.toDelete().isEmpty()) {
                    break;
                }
                retention.apply(next, capped).then().block(TIMEOUT);
                runs++;
            }
            assertThat(runs).isEqualTo(3);
            assertThat(server.snapshots()).filteredOn(s -> s.status() == SnapshotStatus.AVAILABLE).hasSize(5);
        }
    }

    @Test
    void deleteAtMostBelowOneIsRefusedAndMaxDeletionsZeroRefusesAnyDeletingPlan() {
        assertThatThrownBy(() -> RetentionOptions.builder().deleteAtMost(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxDeletions(0)");
        RetentionOptions killSwitch = RetentionOptions.builder().maxDeletions(0).build();
        assertThat(killSwitch.maxDeletions()).hasValue(0);
        assertThat(RetentionOptions.defaults().deleteAtMost()).isEmpty();
        assertThat(RetentionOptions.builder().deleteAtMost(3).build().toString()).contains("deleteAtMost=3");
    }
}
