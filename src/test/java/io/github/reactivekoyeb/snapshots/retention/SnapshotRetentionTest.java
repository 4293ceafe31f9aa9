package io.github.reactivekoyeb.snapshots.retention;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivekoyeb.snapshots.KoyebServerException;
import io.github.reactivekoyeb.snapshots.ListSnapshotsRequest;
import io.github.reactivekoyeb.snapshots.ReactiveSnapshotsClient;
import io.github.reactivekoyeb.snapshots.RetryPolicy;
import io.github.reactivekoyeb.snapshots.Snapshot;
import io.github.reactivekoyeb.snapshots.SnapshotStatus;
import io.github.reactivekoyeb.snapshots.UpdateSnapshotRequest;
import io.github.reactivekoyeb.snapshots.retention.RetentionDecision.Action;
import io.github.reactivekoyeb.snapshots.retention.RetentionOutcome.Result;
import io.github.reactivekoyeb.snapshots.testing.FakeChange;
import io.github.reactivekoyeb.snapshots.testing.FakeKoyebServer;
import io.github.reactivekoyeb.snapshots.testing.FakeResponse;
import io.github.reactivekoyeb.snapshots.testing.RecordedRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * Planning from one consistent listing and applying the plan, over real HTTP against the fake
 * server: what is sent, what is deleted, and what is left alone when snapshots change between the
 * plan and the delete, under 429s, from two replicas at once, and across a cancel.
 */
class SnapshotRetentionTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Instant START = Instant.parse("2026-01-01T03:00:00Z");
    /**
     * 7 dailies, 4 weeklies and 3 monthlies of 40 days (2026-01-01..02-09): the dailies 02-03..02-09,
     * the weeklies 02-09 and 02-08 (dailies), 02-01 and 01-25, the monthlies 02-09 (a daily), 01-31
     * and, with one count left, the oldest (01-01): 11 kept of each volume's 40, 29 deleted.
     */
    private static final RetentionPolicy POLICY = RetentionPolicy.builder().keepDaily(7).keepWeekly(4).keepMonthly(3)
            .namePrefix("nightly-").build();

    private FakeKoyebServer server;
    private final List<ReactiveSnapshotsClient> clients = new ArrayList<>();

    @BeforeEach
    void start() {
        server = FakeKoyebServer.builder().deletionDelay(Duration.ofMillis(50)).build();
        for (String volume : List.of("vol-a", "vol-b", "vol-c")) {
            server.seedHistory(volume, "nightly-", START, Duration.ofDays(1), 40);
        }
    }

    @AfterEach
    void stop() {
        clients.forEach(ReactiveSnapshotsClient::close);
        server.close();
    }

    private SnapshotRetention retention() {
        return retention(RetryPolicy.builder().initialBackoff(Duration.ofMillis(5)).maxBackoff(Duration.ofMillis(20)).build());
    }

    private SnapshotRetention retention(RetryPolicy retries) {
        ReactiveSnapshotsClient client = ReactiveSnapshotsClient.builder().baseUrl(server.baseUrl()).retryPolicy(retries)
                .build();
        clients.add(client);
        return SnapshotRetention.of(client);
    }

    private static Map<Result, Integer> count(List<RetentionOutcome> outcomes) {
        Map<Result, Integer> counts = new EnumMap<>(Result.class);
        outcomes.forEach(o -> counts.merge(o.result(), 1, Integer::sum));
        return counts;
    }

    private List<RecordedRequest> requests(String method) {
        return server.requests().stream().filter(r -> r.method().equals(method)).toList();
    }

    @Test
    void planningSendsOneConsistentListingAndNothingElse() {
        RetentionPlan plan = retention().plan(POLICY).block(TIMEOUT);
        assertThat(plan.decisions()).hasSize(120);
        assertThat(plan.groups()).containsExactly("vol-a", "vol-b", "vol-c");
        assertThat(plan.count(Action.KEEP)).isEqualTo(33);
        assertThat(plan.toDelete()).hasSize(87);
        assertThat(server.requests()).allSatisfy(r -> {
            assertThat(r.method()).isEqualTo("GET");
            assertThat(r.path()).isEqualTo("/v1/snapshots");
        });
        assertThat(plan).usingRecursiveComparison().isEqualTo(RetentionPlan.of(POLICY, server.snapshots()));
    }

    @Test
    void aListingThatFailsFailsThePlanWithItsTypedError() {
        server.expect("GET", "/v1/snapshots?limit=100&offset=0")
                .expect("GET", "/v1/snapshots?limit=101&offset=99", FakeResponse.status(500));
        StepVerifier.create(retention().plan(POLICY)).expectError(KoyebServerException.class).verify(TIMEOUT);
        assertThat(server.requestCount()).isEqualTo(2);
    }

    @Test
    void snapshotsThatStayAreEachPlannedOnceWhileOthersAreCreatedAndRemoved() {
        List<Snapshot> stable = server.snapshots();
        server.changeBeforeListRequests(FakeChange.createAnywhere(3)
                .and(FakeChange.removeAnywhere(3, s -> s.id().startsWith("chg-"))));
        RetentionPolicy smallPages = RetentionPolicy.builder().keepDaily(7).keepWeekly(4).keepMonthly(3)
                .namePrefix("nightly-").listing(ListSnapshotsRequest.builder().pageSize(20).build()).build();
        RetentionPlan plan = retention().plan(smallPages).block(TIMEOUT);
        List<String> planned = plan.decisions().stream().map(d -> d.snapshot().id()).toList();
        assertThat(planned).doesNotHaveDuplicates();
        assertThat(planned).containsAll(stable.stream().map(Snapshot::id).toList());
        // what changed meanwhile is not the policy's: the stable snapshots are planned as they would be alone
        RetentionPlan alone = RetentionPlan.of(smallPages, stable);
        assertThat(plan.decisions().stream().filter(d -> d.snapshot().id().startsWith("hist-")).toList())
                .isEqualTo(alone.decisions());
    }

    @Test
    void applyingDeletesWhatThePlanMarksEachAfterARead() {
        SnapshotRetention retention = retention();
        RetentionPlan plan = retention.plan(POLICY).block(TIMEOUT);
        server.clearRequests();
        List<RetentionOutcome> outcomes = retention.apply(plan).collectList().block(TIMEOUT);
        assertThat(outcomes).hasSize(87).allSatisfy(o -> {
            assertThat(o.result()).isEqualTo(Result.DELETED);
            assertThat(o.error()).isEmpty();
        });
        assertThat(outcomes).extracting(RetentionOutcome::snapshot).containsExactlyInAnyOrderElementsOf(plan.toDelete());
        Set<String> deleted = requests("DELETE").stream().map(r -> r.path().substring("/v1/snapshots/".length()))
                .collect(Collectors.toSet());
        assertThat(deleted).isEqualTo(plan.toDelete().stream().map(Snapshot::id).collect(Collectors.toSet()));
        assertThat(requests("GET")).hasSize(87);
        assertThat(server.snapshots()).filteredOn(s -> s.status() == SnapshotStatus.AVAILABLE).extracting(Snapshot::id)
                .containsExactlyInAnyOrderElementsOf(plan.toKeep().stream().map(Snapshot::id).toList());
        // the next plan of the same policy has nothing left to delete
        assertThat(retention.plan(POLICY).block(TIMEOUT).toDelete()).isEmpty();
    }

    @Test
    void withoutRecheckEachDeleteIsSentAlone() {
        SnapshotRetention retention = retention();
        RetentionPlan plan = retention.plan(POLICY).block(TIMEOUT);
        server.clearRequests();
        List<RetentionOutcome> outcomes = retention.apply(plan, RetentionOptions.builder().recheck(false).build())
                .collectList().block(TIMEOUT);
        assertThat(count(outcomes)).isEqualTo(Map.of(Result.DELETED, 87));
        assertThat(server.requests()).hasSize(87).allSatisfy(r -> assertThat(r.method()).isEqualTo("DELETE"));
    }

    @Test
    void whatChangedBetweenThePlanAndItsDeleteIsLeftAloneOrFoundGone() {
        SnapshotRetention retention = retention();
        RetentionPlan plan = retention.plan(POLICY).block(TIMEOUT);
        List<Snapshot> doomed = plan.toDelete();
        ReactiveSnapshotsClient client = clients.get(0);
        Snapshot protectedByRename = doomed.get(0);
        client.updateSnapshot(protectedByRename.id(), new UpdateSnapshotRequest("keep-me")).block(TIMEOUT);
        Snapshot updated = doomed.get(1);
        client.updateSnapshot(updated.id(), new UpdateSnapshotRequest("nightly-still-mine")).block(TIMEOUT);
        Snapshot removed = doomed.get(2);
        server.remove(removed.id());
        Snapshot deletedByOthers = doomed.get(3);
        client.deleteSnapshot(deletedByOthers.id()).block(TIMEOUT);
        Snapshot broken = doomed.get(4);
        server.put(Snapshots.withStatus(server.snapshot(broken.id()).orElseThrow(), SnapshotStatus.MIGRATING));

        Map<String, Result> results = retention.apply(plan).collectList().block(TIMEOUT).stream()
                .collect(Collectors.toMap(o -> o.snapshot().id(), RetentionOutcome::result));
        assertThat(results).hasSize(doomed.size());
        assertThat(results.get(protectedByRename.id())).as("renamed out of the policy's names").isEqualTo(Result.CHANGED);
        assertThat(results.get(updated.id())).as("updated since the plan").isEqualTo(Result.CHANGED);
        assertThat(results.get(broken.id())).as("no longer AVAILABLE").isEqualTo(Result.CHANGED);
        assertThat(results.get(removed.id())).as("404").isEqualTo(Result.ALREADY_GONE);
        assertThat(results.get(deletedByOthers.id())).as("DELETING").isEqualTo(Result.ALREADY_GONE);
        assertThat(results.values()).filteredOn(r -> r == Result.DELETED).hasSize(doomed.size() - 5);
        assertThat(server.snapshot(protectedByRename.id()).orElseThrow().status()).isEqualTo(SnapshotStatus.AVAILABLE);
        assertThat(server.snapshot(updated.id()).orElseThrow().status()).isEqualTo(SnapshotStatus.AVAILABLE);
    }

    @Test
    void aDeleteThatFailsIsAFailedOutcomeWithItsTypedErrorAndTheOthersGoOn() {
        SnapshotRetention retention = retention(RetryPolicy.none());
        RetentionPlan plan = retention.plan(POLICY).block(TIMEOUT);
        // the oldest goes first: with one delete at a time, its read and delete are the next requests
        Snapshot failing = plan.toDelete().stream().min(java.util.Comparator.comparing(Snapshot::createdAt)
                .thenComparing(Snapshot::id)).orElseThrow();
        server.enqueue(FakeResponse.delayed(Duration.ZERO)).enqueue(FakeResponse.status(500));
        List<RetentionOutcome> outcomes = retention.apply(plan, RetentionOptions.builder().concurrency(1).build())
                .collectList().block(TIMEOUT);
        RetentionOutcome failed = outcomes.stream().filter(o -> o.result() == Result.FAILED).findFirst().orElseThrow();
        assertThat(failed.snapshot()).isEqualTo(failing);
        assertThat(failed.error()).get().isInstanceOf(KoyebServerException.class)
                .satisfies(e -> assertThat(e.path()).isEqualTo("/v1/snapshots/" + failing.id()));
        assertThat(count(outcomes)).isEqualTo(Map.of(Result.DELETED, 86, Result.FAILED, 1));
    }

    @Test
    void aPlanThatWouldDeleteMoreThanTheMaximumFailsBeforeAnyRequest() {
        SnapshotRetention retention = retention();
        RetentionPlan plan = retention.plan(POLICY).block(TIMEOUT);
        server.clearRequests();
        StepVerifier.create(retention.apply(plan, RetentionOptions.builder().maxDeletions(86).build()))
                .expectErrorSatisfies(e -> {
                    assertThat(e).isInstanceOf(RetentionLimitExceededException.class)
                            .hasMessageContaining("87").hasMessageContaining("maxDeletions 86");
                    assertThat(((RetentionLimitExceededException) e).planned()).isEqualTo(87);
                    assertThat(((RetentionLimitExceededException) e).attempts()).isZero();
                })
                .verify(TIMEOUT);
        assertThat(server.requestCount()).isZero();
        StepVerifier.create(retention.apply(plan, RetentionOptions.builder().maxDeletions(87).build()))
                .expectNextCount(87).expectComplete().verify(TIMEOUT);
    }

    @Test
    void atMostConcurrencyDeletesAreInFlight() {
        SnapshotRetention retention = retention();
        List<Snapshot> volumeA = server.snapshots().stream().filter(s -> "vol-a".equals(s.parentVolumeId())).toList();
        RetentionPlan plan = RetentionPlan.of(POLICY, volumeA);
        server.clearRequests();
        Duration latency = Duration.ofMillis(100);
        server.latency(latency);
        List<RetentionOutcome> outcomes = retention.apply(plan, RetentionOptions.builder().concurrency(3).recheck(false)
                .build()).collectList().block(TIMEOUT);
        assertThat(outcomes).hasSize(29);
        // each request is in flight for at least the latency: a fourth cannot start before one of three ends
        List<Instant> arrivals = server.requests().stream().map(RecordedRequest::receivedAt).sorted().toList();
        int most = 0;
        for (int i = 0; i < arrivals.size(); i++) {
            int j = i;
            while (j < arrivals.size() && Duration.between(arrivals.get(i), arrivals.get(j)).compareTo(latency) < 0) {
                j++;
            }
            most = Math.max(most, j - i);
        }
        assertThat(most).as("requests that arrived within one latency of each other").isBetween(2, 3);
    }

    /**
     * A real-time storm (Retry-After: 1 s): 4 s, so in the slow group; RateLimitingTest paces the
     * client's 429s in the everyday suite, and the deletes are the client's calls.
     */
    @io.github.reactivekoyeb.snapshots.support.Slow
    @Test
    void a429StormSlowsTheDeletesDownButFailsNone() {
        SnapshotRetention retention = retention(RetryPolicy.defaults());
        RetentionPlan all = retention.plan(POLICY).block(TIMEOUT); // the client's connections are warm
        RetentionPlan plan = RetentionPlan.of(RetentionPolicy.builder().keepLast(2).build(), all.decisions().stream()
                .map(RetentionDecision::snapshot).filter(s -> "vol-a".equals(s.parentVolumeId())).limit(8).toList());
        // a storm: every request of the next 400 ms is refused with Retry-After: 1
        server.failFor(Duration.ofMillis(400), FakeResponse.status(429).withRetryAfter("1"));
        List<RetentionOutcome> outcomes = retention.apply(plan).collectList().block(TIMEOUT);
        System.out.printf("retention through a 429 storm: %d outcomes, %d requests refused%n", outcomes.size(),
                server.faultsServed() + server.throttledCount());
        assertThat(count(outcomes)).isEqualTo(Map.of(Result.DELETED, plan.toDelete().size()));
        assertThat(server.faultsServed()).as("the storm's 429s").isPositive();
    }

    @Test
    void twoReplicasApplyingTheSamePolicyAtOnceEndWithItsKeepSetAndNoFailure() {
        SnapshotRetention one = retention();
        SnapshotRetention two = retention();
        RetentionPlan first = one.plan(POLICY).block(TIMEOUT);
        RetentionPlan second = two.plan(POLICY).block(TIMEOUT);
        assertThat(second.fingerprint()).isEqualTo(first.fingerprint());
        List<RetentionOutcome> outcomes = new CopyOnWriteArrayList<>();
        Flux.merge(one.apply(first), two.apply(second)).doOnNext(outcomes::add).blockLast(TIMEOUT);
        assertThat(outcomes).hasSize(174).noneMatch(o -> o.result() == Result.FAILED);
        Map<String, List<Result>> byId = outcomes.stream().collect(Collectors.groupingBy(o -> o.snapshot().id(),
                Collectors.mapping(RetentionOutcome::result, Collectors.toList())));
        assertThat(byId).hasSize(87).allSatisfy((id, results) -> assertThat(results)
                .as(id).hasSize(2).containsAnyOf(Result.DELETED, Result.ALREADY_GONE));
        assertKeepSetIsThePolicys(first);
    }

    @Test
    void aRunCancelledHalfWaySendsNothingMoreAndARerunFinishesIt() throws InterruptedException {
        SnapshotRetention retention = retention();
        RetentionPlan plan = retention.plan(POLICY).block(TIMEOUT);
        server.latency(Duration.ofMillis(20)); // the 174 requests take seconds: the cancel comes well before the end
        List<RetentionOutcome> seen = new CopyOnWriteArrayList<>();
        Disposable run = retention.apply(plan, RetentionOptions.builder().concurrency(2).build()).subscribe(seen::add);
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (seen.size() < 20) {
            assertThat(System.nanoTime()).as("20 outcomes").isLessThan(deadline);
            Thread.sleep(5);
        }
        run.dispose();
        Thread.sleep(200); // what was in flight is cut; nothing more is sent
        int sent = server.requestCount();
        Thread.sleep(300);
        assertThat(server.requestCount()).as("requests after the cancel").isEqualTo(sent);
        assertThat(requests("DELETE").size()).as("deletes sent before the cancel").isLessThan(87);

        RetentionPlan again = retention.plan(POLICY).block(TIMEOUT);
        assertThat(again.toDelete()).hasSizeLessThan(87).isNotEmpty();
        List<RetentionOutcome> rest = retention.apply(again).collectList().block(TIMEOUT);
        assertThat(rest).noneMatch(o -> o.result() == Result.FAILED);
        assertKeepSetIsThePolicys(plan);
    }

    /** Every snapshot the plan keeps is still AVAILABLE, and no other one of the policy's is. */
    private void assertKeepSetIsThePolicys(RetentionPlan plan) {
        Set<String> available = server.snapshots().stream().filter(s -> s.status() == SnapshotStatus.AVAILABLE)
                .map(Snapshot::id).collect(Collectors.toCollection(HashSet::new));
        assertThat(available).isEqualTo(plan.toKeep().stream().map(Snapshot::id).collect(Collectors.toSet()));
    }

    @Test
    void nothingIsSentUntilSubscriptionAndArgumentsAreChecked() {
        SnapshotRetention retention = retention();
        Mono<RetentionPlan> plan = retention.plan(POLICY);
        RetentionPlan made = RetentionPlan.of(POLICY, server.snapshots());
        Flux<RetentionOutcome> apply = retention.apply(made);
        assertThat(server.requestCount()).isZero();
        assertThat(plan).isNotNull();
        assertThat(apply).isNotNull();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> retention.plan(null))
                .isInstanceOf(NullPointerException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> retention.apply(null))
                .isInstanceOf(NullPointerException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> retention.apply(made, null))
                .isInstanceOf(NullPointerException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> SnapshotRetention.of(null))
                .isInstanceOf(NullPointerException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RetentionOptions.builder().concurrency(0))
                .isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RetentionOptions.builder().maxDeletions(-1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(RetentionOptions.defaults().concurrency()).isEqualTo(4);
        assertThat(RetentionOptions.defaults().maxDeletions()).isEmpty();
        assertThat(RetentionOptions.defaults().recheck()).isTrue();
    }
}
