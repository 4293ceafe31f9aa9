package io.github.reactivekoyeb.snapshots.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.reactivekoyeb.snapshots.KoyebValidationException;
import io.github.reactivekoyeb.snapshots.KoyebWaitTimeoutException;
import io.github.reactivekoyeb.snapshots.ReactiveSnapshotsClient;
import io.github.reactivekoyeb.snapshots.Snapshot;
import io.github.reactivekoyeb.snapshots.SnapshotStatus;
import io.github.reactivekoyeb.snapshots.WaitOptions;
import io.github.reactivekoyeb.snapshots.retention.RetentionLimitExceededException;
import io.github.reactivekoyeb.snapshots.retention.RetentionOptions;
import io.github.reactivekoyeb.snapshots.retention.RetentionOutcome;
import io.github.reactivekoyeb.snapshots.retention.RetentionOutcome.Result;
import io.github.reactivekoyeb.snapshots.retention.RetentionPolicy;
import io.github.reactivekoyeb.snapshots.testing.FakeKoyebServer;
import io.github.reactivekoyeb.snapshots.testing.FakeResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/**
 * One run of a schedule over real HTTP against the fake server: what it takes, names, waits for and
 * prunes (its volumes and prefix only), what a failing volume costs (itself alone), the cap, the
 * dry run, and how current the backups are.
 */
class SnapshotSchedulesTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    /** The fake server's own clock is the real one: the histories end just before now. */
    private static final Instant NOW = Instant.now();
    private static final WaitOptions FAST = WaitOptions.builder().initialInterval(Duration.ofMillis(20))
            .maxInterval(Duration.ofMillis(50)).timeout(Duration.ofSeconds(5)).build();
    private static final RetentionPolicy KEEP_7_DAILY = RetentionPolicy.builder().keepDaily(7).build();

    private FakeKoyebServer server;
    private ReactiveSnapshotsClient client;

    @BeforeEach
    void start() {
        server = FakeKoyebServer.builder().creationDelay(Duration.ofMillis(60)).build();
        Instant first = NOW.minus(Duration.ofDays(30));
        for (String volume : List.of("vol-a", "vol-b", "vol-c")) {
            server.seedHistory(volume, "nightly-", first, Duration.ofDays(1), 30);
        }
        server.seedHistory("vol-a", "manual-", first, Duration.ofDays(1), 5);
        client = ReactiveSnapshotsClient.builder().baseUrl(server.baseUrl()).build();
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    private SnapshotSchedule.Builder nightly() {
        return SnapshotSchedule.builder().name("databases").volumes("vol-a", "vol-b").namePrefix("nightly-")
                .retention(KEEP_7_DAILY).waitOptions(FAST);
    }

    private List<Snapshot> available(String volume, String prefix) {
        return server.snapshots().stream().filter(s -> volume.equals(s.parentVolumeId())
                && s.status() == SnapshotStatus.AVAILABLE && s.name().startsWith(prefix)).toList();
    }

    @Test
    void aRunTakesEachVolumeWaitsUntilAvailableThenPrunesItsVolumesAndPrefixOnly() {
        Instant at = Instant.parse("2026-12-07T01:00:00Z");
        SnapshotSchedule schedule = nightly().zone(ZoneId.of("Europe/Paris")).build();
        ScheduleRun run = SnapshotSchedules.of(client, Clock.fixed(at, ZoneOffset.UTC)).run(schedule).block(TIMEOUT);

        assertThat(run.failures()).isEmpty();
        assertThat(run.taken()).containsOnlyKeys("vol-a", "vol-b");
        run.taken().forEach((volume, snapshot) -> {
            assertThat(snapshot.status()).isEqualTo(SnapshotStatus.AVAILABLE);
            assertThat(snapshot.parentVolumeId()).isEqualTo(volume);
            assertThat(snapshot.name()).isEqualTo("nightly-20261207T020000+0100");
        });
        assertThat(schedule.snapshotName(at)).isEqualTo("nightly-20261207T020000+0100");
        // per volume: 31 nightlies (30 + the new one) in 31 days, 7 dailies kept, 24 deleted
        assertThat(run.outcomes()).hasSize(48).allMatch(o -> o.result() == Result.DELETED);
        assertThat(run.outcomes()).extracting(o -> o.snapshot().parentVolumeId()).containsOnly("vol-a", "vol-b");
        assertThat(available("vol-a", "nightly-")).hasSize(7).extracting(Snapshot::id)
                .contains(run.taken().get("vol-a").id());
        assertThat(available("vol-b", "nightly-")).hasSize(7);
        assertThat(available("vol-c", "nightly-")).as("not the schedule's volume").hasSize(30);
        assertThat(available("vol-a", "manual-")).as("not the schedule's prefix").hasSize(5);
        assertThat(run.succeeded()).isTrue();
        assertThat(run.newestSnapshots()).containsOnlyKeys("vol-a", "vol-b");
        assertThat(run.toString()).contains("Koyeb snapshot schedule databases: 2 volume(s), took 2, failed 0")
                .contains("vol-a: took " + run.taken().get("vol-a").id() + " nightly-20261207T020000+0100; kept 7,"
                        + " deleted 24");
        // the requests: a create and polls per volume, one listing, a read and a delete per deletion
        Map<String, Long> byMethod = server.requests().stream()
                .collect(Collectors.groupingBy(r -> r.method(), Collectors.counting()));
        assertThat(byMethod.get("POST")).isEqualTo(2);
        assertThat(byMethod.get("DELETE")).isEqualTo(48);
    }

    @Test
    void aVolumeWhoseCreateFailsIsItsOwnFailureAndTheOthersAreTakenAndPruned() {
        server.enqueue(FakeResponse.json(400, "{\"error\":\"invalid\",\"code\":\"bad_volume\",\"status\":400}"));
        SnapshotSchedule schedule = nightly().volumes("vol-a", "vol-b", "vol-c").concurrency(1).build();
        ScheduleRun run = SnapshotSchedules.of(client).run(schedule).block(TIMEOUT);

        assertThat(run.failures()).containsOnlyKeys("vol-a");
        assertThat(run.failures().get("vol-a")).isInstanceOf(KoyebValidationException.class);
        assertThat(run.taken()).containsOnlyKeys("vol-b", "vol-c");
        assertThat(run.succeeded()).isFalse();
        // vol-a is pruned all the same: its newest is kept
        assertThat(available("vol-a", "nightly-")).hasSize(7);
        assertThat(run.toString()).contains("vol-a: take failed: KoyebValidationException");
    }

    @Test
    void aSnapshotNotAvailableInTimeFailsItsVolumeWithTheTimeoutAndWaitsDoNotHoldBackCreates() {
        server.creationDelay(Duration.ofSeconds(30));
        SnapshotSchedule schedule = nightly().volumes("vol-a", "vol-b", "vol-c").concurrency(1)
                .waitOptions(WaitOptions.builder().initialInterval(Duration.ofMillis(100))
                        .maxInterval(Duration.ofMillis(100)).timeout(Duration.ofMillis(300)).build()).build();
        ScheduleRun run = SnapshotSchedules.of(client).run(schedule).block(TIMEOUT);
        assertThat(run.taken()).isEmpty();
        assertThat(run.failures()).containsOnlyKeys("vol-a", "vol-b", "vol-c")
                .allSatisfy((volume, e) -> assertThat(e).isInstanceOf(KoyebWaitTimeoutException.class));
        // one create in flight at a time, and each create's wait does not hold the next one back
        assertThat(server.requests().subList(0, 3)).extracting(r -> r.method()).containsOnly("POST");
        assertThat(run.outcomes()).hasSize(69); // 30 each, 7 kept: the CREATING ones are ignored
    }

    @Test
    void aDryRunTakesButDeletesNothingAndSaysWhatTheCapWouldDo() {
        SnapshotSchedule schedule = nightly().dryRun(true)
                .retentionOptions(RetentionOptions.builder().deleteAtMost(10).build()).build();
        ScheduleRun run = SnapshotSchedules.of(client).run(schedule).block(TIMEOUT);
        assertThat(run.taken()).hasSize(2);
        assertThat(run.outcomes()).isEmpty();
        assertThat(run.plan()).get().satisfies(plan -> assertThat(plan.toDelete()).hasSize(48));
        assertThat(run.deferred()).hasSize(38);
        assertThat(available("vol-a", "nightly-")).hasSize(31);
        assertThat(run.toString()).contains("would delete 24")
                .contains("prune dry run (a run would delete the 10 oldest and leave 38 for later runs)");
    }

    @Test
    void theCapDeletesTheOldestAndDefersTheRestAndMaxDeletionsRefusesThePrune() {
        SnapshotSchedule capped = nightly().take(false)
                .retentionOptions(RetentionOptions.builder().deleteAtMost(10).build()).build();
        ScheduleRun run = SnapshotSchedules.of(client).run(capped).block(TIMEOUT);
        assertThat(run.taken()).isEmpty();
        assertThat(run.outcomes()).filteredOn(o -> o.result() == Result.DELETED).hasSize(10);
        assertThat(run.deferred()).hasSize(36);
        assertThat(run.toString()).contains(", 36 deletion(s) deferred to later runs");
        assertThat(server.requests()).noneMatch(r -> r.method().equals("POST"));

        SnapshotSchedule refused = nightly().take(false)
                .retentionOptions(RetentionOptions.builder().maxDeletions(5).build()).build();
        ScheduleRun none = SnapshotSchedules.of(client).run(refused).block(TIMEOUT);
        assertThat(none.pruneFailure()).get().isInstanceOf(RetentionLimitExceededException.class);
        assertThat(none.outcomes()).isEmpty();
    }

    @Test
    void aPruneWhoseListingFailsIsTheRunsPruneFailureNotAnError() {
        SnapshotSchedule schedule = nightly().take(false).build();
        server.failNext(20, 403);
        ScheduleRun run = SnapshotSchedules.of(client).run(schedule).block(TIMEOUT);
        assertThat(run.pruneFailure()).isPresent();
        assertThat(run.plan()).isEmpty();
        assertThat(run.succeeded()).isFalse();
    }

    @Test
    void theStatusNamesTheVolumesWhoseNewestSnapshotIsOlderThanStaleAfter() {
        server.seedHistory("vol-d", "nightly-", NOW.minus(Duration.ofDays(9)), Duration.ofDays(1), 3);
        SnapshotSchedule schedule = nightly().volumes("vol-a", "vol-d", "vol-e").staleAfter(Duration.ofDays(2)).build();
        ScheduleStatus status = SnapshotSchedules.of(client).status(schedule).block(TIMEOUT);
        assertThat(status.stale()).containsExactly("vol-d", "vol-e");
        assertThat(status.age("vol-d")).get().satisfies(age -> assertThat(age).isGreaterThan(Duration.ofDays(6)));
        assertThat(status.age("vol-e")).isEmpty();
        assertThat(status.age("vol-a")).get().satisfies(age -> assertThat(age).isLessThan(Duration.ofDays(2)));
    }

    @Test
    void badSchedulesAreRefusedAtOnce() {
        assertThatThrownBy(() -> SnapshotSchedule.builder().cron("every night")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> nightly().cron("0 0 0 30 2 *").build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("never fires");
        assertThatThrownBy(() -> nightly().volumes("vol-a", "vol-a")).hasMessageContaining("twice");
        assertThatThrownBy(() -> nightly().volumes("..")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> nightly().namePrefix("")).hasMessageContaining("every");
        assertThatThrownBy(() -> SnapshotSchedule.builder().name("x").volumes("v").build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("retention");
        assertThatThrownBy(() -> SnapshotSchedule.builder().name("x").retention(KEEP_7_DAILY).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("volume");
        SnapshotSchedule defaults = SnapshotSchedule.builder().name("db").volumes("v").retention(KEEP_7_DAILY).build();
        assertThat(defaults.namePrefix()).isEqualTo("db-");
        assertThat(defaults.retention()).isSameAs(KEEP_7_DAILY);
        assertThat(defaults.prunePolicy().namePrefix()).isEqualTo("db-");
        assertThat(defaults.prunePolicy().volumes()).containsExactly("v");
        assertThat(defaults.prunePolicy().keepDaily()).isEqualTo(7);
        RetentionPolicy nightlies = RetentionPolicy.builder().keepLast(3).namePrefix("nightly-").build();
        assertThat(SnapshotSchedule.builder().name("db").volumes("v").retention(nightlies).build().namePrefix())
                .as("the policy's prefix, when it has one").isEqualTo("nightly-");
        assertThat(defaults.staleAfter()).isEqualTo(Duration.ofDays(2).plusMinutes(30));
        assertThat(defaults.nextRunAfter(Instant.parse("2026-12-07T10:00:00Z")))
                .contains(Instant.parse("2026-12-08T03:00:00Z"));
    }

    @Test
    void nothingIsSentUntilSubscriptionAndCancellingStopsTheRun() {
        SnapshotSchedules schedules = SnapshotSchedules.of(client);
        var run = schedules.run(nightly().build());
        assertThat(server.requestCount()).isZero();
        server.creationDelay(Duration.ofSeconds(30));
        StepVerifier.create(run).thenAwait(Duration.ofMillis(150)).thenCancel().verify(TIMEOUT);
        int sent = server.requestCount();
        assertThat(sent).isGreaterThanOrEqualTo(2);
        StepVerifier.create(reactor.core.publisher.Mono.delay(Duration.ofMillis(150))).expectNextCount(1)
                .verifyComplete();
        assertThat(server.requestCount()).isEqualTo(sent);
    }

    @Test
    void runsComeAtTheCronsTimes() {
        Instant justBefore = Instant.parse("2026-12-07T01:59:59.600Z");
        SnapshotSchedule twoAm = nightly().take(false).dryRun(true).cron("0 0 2 * * *").build();
        SnapshotSchedules schedules = SnapshotSchedules.of(client, Clock.fixed(justBefore, ZoneOffset.UTC));
        assertThat(schedules.untilNext(twoAm)).isEqualTo(Duration.ofMillis(400));
        long start = System.nanoTime();
        ScheduleRun run = schedules.runs(twoAm).blockFirst(TIMEOUT);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(400));
        assertThat(run.startedAt()).isEqualTo(justBefore);
        assertThat(run.outcomes()).isEmpty();
        assertThat(run.plan().get().toDelete()).hasSize(46);
        assertThat(RetentionOutcome.Result.valueOf("DEFERRED")).isEqualTo(Result.DEFERRED);
    }
}
