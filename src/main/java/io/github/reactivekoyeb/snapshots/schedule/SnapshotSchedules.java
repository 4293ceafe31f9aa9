package io.github.reactivekoyeb.snapshots.schedule;

import io.github.reactivekoyeb.snapshots.CreateSnapshotRequest;
import io.github.reactivekoyeb.snapshots.KoyebErrorDetails;
import io.github.reactivekoyeb.snapshots.KoyebException;
import io.github.reactivekoyeb.snapshots.KoyebWaitTimeoutException;
import io.github.reactivekoyeb.snapshots.ReactiveSnapshotsClient;
import io.github.reactivekoyeb.snapshots.Snapshot;
import io.github.reactivekoyeb.snapshots.WaitOptions;
import io.github.reactivekoyeb.snapshots.internal.Waiter;
import io.github.reactivekoyeb.snapshots.retention.RetentionOutcome;
import io.github.reactivekoyeb.snapshots.retention.RetentionPlan;
import io.github.reactivekoyeb.snapshots.retention.SnapshotRetention;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Runs {@link SnapshotSchedule}s on a {@link ReactiveSnapshotsClient}: take, wait, prune.
 *
 * <pre>{@code
 * SnapshotSchedules schedules = SnapshotSchedules.of(client);
 * schedules.run(nightly).subscribe(run -> log.info("{}", run));      // once, now
 * schedules.runs(nightly).subscribe(run -> log.info("{}", run));     // at each cron time
 * }</pre>
 *
 * <p><b>One run</b> ({@link #run(SnapshotSchedule)}):
 * <ol>
 *   <li><b>take</b> (when {@link SnapshotSchedule#take()}): for each volume, at most
 *       {@link SnapshotSchedule#concurrency()} creates in flight at once, one create named
 *       {@link SnapshotSchedule#snapshotName(Instant)} of the run's start, then polls until it is
 *       {@code AVAILABLE} ({@link SnapshotSchedule#waitOptions()}: 30 minutes by default, the
 *       create included); the waits do not hold a create's place, so a slow snapshot does not hold
 *       the next volume's create back. A create
 *       or wait that fails is that volume's failure, with its typed error; the others go on;</li>
 *   <li><b>prune</b>: one consistent listing, a plan of the schedule's policy over its volumes and
 *       prefix only (the new snapshots are the newest: kept), then, unless
 *       {@link SnapshotSchedule#dryRun()}, its deletions as {@link SnapshotRetention#apply} makes
 *       them (recheck, {@code deleteAtMost}, {@code maxDeletions}). A failed listing or a refused
 *       plan is the run's {@link ScheduleRun#pruneFailure()}.</li>
 * </ol>
 * Its requests: one create and the polls per volume, the listing's pages, and a read and a delete
 * per deletion, all through the client's rate limiter, retries and retry budget. Cold: nothing is
 * sent until subscription; cancelling stops every create, wait and delete in flight.
 *
 * <p>Thread-safe; it holds the client and a clock.
 */
public final class SnapshotSchedules {

    private final ReactiveSnapshotsClient client;
    private final SnapshotRetention retention;
    private final Clock clock;

    private SnapshotSchedules(ReactiveSnapshotsClient client, Clock clock) {
        this.client = client;
        this.retention = SnapshotRetention.of(client);
        this.clock = clock;
    }

    /**
     * Schedules on a client, on the system's clock.
     *
     * @param client the client whose snapshots, limiter and retries are used
     * @return the schedules
     * @throws NullPointerException if {@code client} is null
     */
    public static SnapshotSchedules of(ReactiveSnapshotsClient client) {
        return of(client, Clock.systemUTC());
    }

    /**
     * Schedules on a client and a clock: the clock gives a run's start (the snapshots' names), the
     * cron's times for {@link #runs} and the ages of {@link #status}.
     *
     * @param client the client
     * @param clock the clock
     * @return the schedules
     * @throws NullPointerException if an argument is null
     */
    public static SnapshotSchedules of(ReactiveSnapshotsClient client, Clock clock) {
        return new SnapshotSchedules(Objects.requireNonNull(client, "client"), Objects.requireNonNull(clock, "clock"));
    }

    /**
     * Runs a schedule once, now: take, wait, prune (see the class).
     *
     * @param schedule the schedule
     * @return a cold {@code Mono} emitting what the run did, per volume: failures of a volume or of
     *     the prune are in the {@link ScheduleRun}, not error signals; an error signal only for what
     *     is not a {@link KoyebException} (a bug)
     * @throws NullPointerException if {@code schedule} is null
     */
    public Mono<ScheduleRun> run(SnapshotSchedule schedule) {
        Objects.requireNonNull(schedule, "schedule");
        return Mono.defer(() -> {
            Instant started = clock.instant();
            long start = System.nanoTime();
            Map<String, Snapshot> taken = new ConcurrentHashMap<>();
            Map<String, KoyebException> failures = new ConcurrentHashMap<>();
            Mono<Void> takes = schedule.take() ? take(schedule, schedule.snapshotName(started), taken, failures)
                    : Mono.empty();
            return takes.then(prune(schedule))
                    .map(pruned -> new ScheduleRun(schedule, started, Duration.ofNanos(System.nanoTime() - start),
                            taken, failures, pruned.plan, pruned.outcomes, pruned.failure));
        });
    }

    private Mono<Void> take(SnapshotSchedule schedule, String name, Map<String, Snapshot> taken,
            Map<String, KoyebException> failures) {
        WaitOptions wait = schedule.waitOptions();
        return Flux.fromIterable(schedule.volumes())
                // the creates, at most concurrency() in flight; each wait then polls on its own
                .flatMap(volume -> Mono.defer(() -> {
                    long start = System.nanoTime();
                    return client.createSnapshot(CreateSnapshotRequest.of(volume, name))
                            .timeout(wait.timeout(), Mono.error(() -> new KoyebWaitTimeoutException("", null,
                                    Duration.ofNanos(System.nanoTime() - start), "status AVAILABLE",
                                    KoyebErrorDetails.builder("POST", "/v1/snapshots").attempts(1).build())))
                            .map(created -> new Created(volume, created, start));
                }).onErrorResume(KoyebException.class, e -> {
                    failures.put(volume, e);
                    return Mono.empty();
                }), schedule.concurrency(), 1)
                .flatMap(c -> Waiter.awaitCreated(client, c.snapshot, wait,
                                wait.timeout().minusNanos(System.nanoTime() - c.start))
                        .doOnNext(snapshot -> taken.put(c.volume, snapshot))
                        .onErrorResume(KoyebException.class, e -> {
                            failures.put(c.volume, e);
                            return Mono.empty();
                        }), Integer.MAX_VALUE)
                .then();
    }

    /** A create's reply, for its volume, and when the create started (the wait's timeout counts from it). */
    private record Created(String volume, Snapshot snapshot, long start) {
    }

    /** The prune's plan, outcomes and failure. */
    private record Pruned(@Nullable RetentionPlan plan, List<RetentionOutcome> outcomes,
            @Nullable KoyebException failure) {
    }

    private Mono<Pruned> prune(SnapshotSchedule schedule) {
        return retention.plan(schedule.prunePolicy())
                .flatMap(plan -> schedule.dryRun() ? Mono.just(new Pruned(plan, List.of(), null))
                        : retention.apply(plan, schedule.retentionOptions()).collectList()
                                .map(outcomes -> new Pruned(plan, outcomes, null))
                                .onErrorResume(KoyebException.class, e -> Mono.just(new Pruned(plan, List.of(), e))))
                .onErrorResume(KoyebException.class, e -> Mono.just(new Pruned(null, List.of(), e)));
    }

    /**
     * Runs a schedule at each of its cron's times, from now on: waits (non-blocking timers on
     * Reactor's parallel scheduler) until the next time, runs, and waits for the next time after
     * the run ended; runs never overlap, and a time missed while a run lasted is skipped.
     *
     * @param schedule the schedule
     * @return a cold, endless {@code Flux} of runs; cancel it to stop (the run in flight too)
     * @throws NullPointerException if {@code schedule} is null
     */
    public Flux<ScheduleRun> runs(SnapshotSchedule schedule) {
        Objects.requireNonNull(schedule, "schedule");
        return Mono.defer(() -> Mono.delay(untilNext(schedule)))
                .then(Mono.defer(() -> run(schedule)))
                .repeat();
    }

    /**
     * How long until the schedule's next time, by this clock.
     *
     * @param schedule the schedule
     * @return the wait; a cron that has no time left (it never fires again) waits for ever, in effect
     * @throws NullPointerException if {@code schedule} is null
     */
    public Duration untilNext(SnapshotSchedule schedule) {
        Instant now = clock.instant();
        return schedule.nextRunAfter(now).map(next -> Duration.between(now, next))
                .orElse(Duration.ofDays(366L * 1000));
    }

    /**
     * Reads how current a schedule's backups are: one consistent listing, each volume's newest
     * snapshot managed by the schedule, and its age now.
     *
     * @param schedule the schedule
     * @return a cold {@code Mono} emitting the status, or the listing's typed error signal
     * @throws NullPointerException if {@code schedule} is null
     */
    public Mono<ScheduleStatus> status(SnapshotSchedule schedule) {
        Objects.requireNonNull(schedule, "schedule");
        return retention.plan(schedule.prunePolicy())
                .map(plan -> new ScheduleStatus(schedule, clock.instant(), ScheduleStatus.newestOf(plan)));
    }

    @Override
    public String toString() {
        return "SnapshotSchedules{" + client + '}';
    }
}
