package io.github.reactivekoyeb.snapshots.autoconfigure;

import io.github.reactivekoyeb.snapshots.retention.RetentionDecision;
import io.github.reactivekoyeb.snapshots.retention.RetentionOptions;
import io.github.reactivekoyeb.snapshots.retention.RetentionOutcome;
import io.github.reactivekoyeb.snapshots.retention.RetentionPlan;
import io.github.reactivekoyeb.snapshots.retention.RetentionPolicy;
import io.github.reactivekoyeb.snapshots.retention.SnapshotRetention;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.support.CronExpression;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/**
 * Runs a {@link RetentionPolicy} on a cron schedule, for {@code koyeb.snapshots.retention.*}: at each
 * time it plans the policy (one consistent listing), logs the plan at DEBUG and a summary at INFO,
 * and, unless it is a dry run, applies the plan. Needs no {@code @EnableScheduling}: the waits are
 * non-blocking timers, and runs never overlap. A run that fails is logged at WARN and counted; the
 * next one comes at its time. It starts and stops with the application context.
 *
 * <p>When the application has a ShedLock {@code LockProvider} bean, each scheduled run takes the
 * lock {@code koyeb.snapshots.retention.lock-name} first (held at most {@code lock-at-most-for}, at
 * least {@code lock-at-least-for}): one replica of the fleet runs, the others skip their turn, and
 * a replica that dies mid-run leaves the lock to expire, so that the next run does the work.
 * Without one, every replica runs (one INFO line at start says so).
 *
 * <p>With Micrometer: {@code koyeb.snapshots.retention.runs} (tags {@code outcome} = {@code success},
 * {@code error} or {@code skipped}, {@code dry.run}), {@code koyeb.snapshots.retention.deleted},
 * {@code koyeb.snapshots.retention.failed} (deletions that failed) and
 * {@code koyeb.snapshots.retention.duration}.
 */
public final class ScheduledRetention implements SmartLifecycle {

    private static final Log log = LogFactory.getLog(ScheduledRetention.class);

    private final SnapshotRetention retention;
    private final RetentionPolicy policy;
    private final RetentionOptions options;
    private final CronExpression cron;
    private final boolean dryRun;
    private final RetentionMeters meters;
    private final FleetLock lock;
    private final LockSettings lockSettings;
    private volatile @Nullable Disposable schedule;

    ScheduledRetention(SnapshotRetention retention, RetentionPolicy policy, RetentionOptions options, CronExpression cron,
            boolean dryRun, RetentionMeters meters) {
        this(retention, policy, options, cron, dryRun, meters, FleetLock.NONE,
                LockSettings.of(RetentionProperties.DEFAULT_LOCK_NAME, Duration.ofMinutes(30), Duration.ZERO, cron,
                        policy.zone()));
    }

    ScheduledRetention(SnapshotRetention retention, RetentionPolicy policy, RetentionOptions options, CronExpression cron,
            boolean dryRun, RetentionMeters meters, FleetLock lock, LockSettings lockSettings) {
        this.retention = retention;
        this.policy = policy;
        this.options = options;
        this.cron = cron;
        this.dryRun = dryRun;
        this.meters = meters;
        this.lock = lock;
        this.lockSettings = lockSettings;
    }

    /**
     * The fleet lock of the scheduled runs: its name, and how long a run holds it at most and at least.
     *
     * @param name the lock's name
     * @param atMostFor at most (a replica that dies mid-run leaves it then)
     * @param atLeastFor at least (longer than the replicas' clocks differ)
     */
    record LockSettings(String name, Duration atMostFor, Duration atLeastFor) {

        /** The default {@code atLeastFor}: 1 minute, or half the time between two runs when shorter. */
        static final Duration DEFAULT_AT_LEAST_FOR = Duration.ofMinutes(1);

        /**
         * Checked: a name, {@code 0 <= atLeastFor <= atMostFor}, {@code atLeastFor} shorter than the
         * time between two runs; a null {@code atLeastFor} is the default.
         */
        static LockSettings of(String name, Duration atMostFor, @Nullable Duration atLeastFor, CronExpression cron,
                ZoneId zone) {
            ZonedDateTime first = cron.next(ZonedDateTime.now(zone));
            ZonedDateTime second = first == null ? null : cron.next(first);
            Duration period = first == null || second == null ? null : Duration.between(first, second);
            if (atLeastFor == null) {
                atLeastFor = period == null || period.dividedBy(2).compareTo(DEFAULT_AT_LEAST_FOR) >= 0
                        ? DEFAULT_AT_LEAST_FOR : period.dividedBy(2);
                if (atMostFor != null && atLeastFor.compareTo(atMostFor) > 0) {
                    atLeastFor = atMostFor;
                }
            }
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("lock-name must not be blank");
            }
            if (atMostFor == null || atMostFor.isNegative() || atMostFor.isZero()) {
                throw new IllegalArgumentException("lock-at-most-for must be positive: " + atMostFor);
            }
            if (atLeastFor.isNegative() || atLeastFor.compareTo(atMostFor) > 0) {
                throw new IllegalArgumentException("lock-at-least-for (" + atLeastFor
                        + ") must be between 0 and lock-at-most-for (" + atMostFor + ")");
            }
            if (period != null && !atLeastFor.isZero() && atLeastFor.compareTo(period) >= 0) {
                throw new IllegalArgumentException("lock-at-least-for (" + atLeastFor + ") must be shorter than the time"
                        + " between two runs of the cron (" + period + ")");
            }
            return new LockSettings(name.trim(), atMostFor, atLeastFor);
        }
    }

    /**
     * What a run did.
     *
     * @param plan the plan made
     * @param dryRun whether it only planned
     * @param outcomes how many planned deletions ended with each result (none in a dry run)
     * @param took how long the run took
     */
    public record Run(RetentionPlan plan, boolean dryRun, Map<RetentionOutcome.Result, Integer> outcomes, Duration took) {

        /**
         * A run's figures; the counts are copied.
         *
         * @param plan the plan made
         * @param dryRun whether it only planned
         * @param outcomes the count of each result
         * @param took how long it took
         */
        public Run {
            Map<RetentionOutcome.Result, Integer> copy = new EnumMap<>(RetentionOutcome.Result.class);
            copy.putAll(outcomes);
            outcomes = Collections.unmodifiableMap(copy);
        }

        /**
         * How many planned deletions ended with a result.
         *
         * @param result the result
         * @return the count, 0 when none
         */
        public int count(RetentionOutcome.Result result) {
            return outcomes.getOrDefault(result, 0);
        }
    }

    /**
     * Runs the policy once now, as a scheduled run does (logs and meters included).
     *
     * @return a cold {@code Mono} emitting what the run did, or the error that ended it (the
     *     listing's, or {@code RetentionLimitExceededException})
     */
    public Mono<Run> runOnce() {
        return Mono.defer(() -> {
            long start = System.nanoTime();
            return retention.plan(policy)
                    .doOnNext(plan -> {
                        if (log.isDebugEnabled()) {
                            log.debug("Koyeb snapshot retention plan:\n" + plan);
                        }
                    })
                    .flatMap(plan -> dryRun ? Mono.fromSupplier(() -> new Run(plan, true, Map.of(), elapsed(start)))
                            : retention.apply(plan, options).collectList()
                                    .map(outcomes -> new Run(plan, false, count(outcomes), elapsed(start))))
                    .doOnNext(run -> {
                        log.info(summary(run));
                        meters.succeeded(run);
                    })
                    .doOnError(e -> {
                        log.warn("Koyeb snapshot retention run failed after " + elapsed(start).toMillis() + " ms: " + e);
                        meters.failed(elapsed(start), dryRun);
                    });
        });
    }

    private static Map<RetentionOutcome.Result, Integer> count(List<RetentionOutcome> outcomes) {
        Map<RetentionOutcome.Result, Integer> counts = new EnumMap<>(RetentionOutcome.Result.class);
        outcomes.forEach(o -> counts.merge(o.result(), 1, Integer::sum));
        return counts;
    }

    private static Duration elapsed(long start) {
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /** The run's INFO line: the plan's figures, what was done (or, dry, what the cap would do), the fingerprint. */
    String summary(Run run) {
        RetentionPlan plan = run.plan();
        String done;
        if (run.dryRun()) {
            int deferred = plan.deferred(options).size();
            done = "dry run: deleted nothing (dry-run=false to delete)" + (deferred == 0 ? ""
                    : String.format(Locale.ROOT, "; a run would delete the %d oldest and leave %d for later runs"
                            + " (delete-at-most)", plan.toDelete(options).size(), deferred));
        } else {
            done = String.format(Locale.ROOT, "deleted %d, already gone %d, changed %d, failed %d, deferred %d",
                    run.count(RetentionOutcome.Result.DELETED), run.count(RetentionOutcome.Result.ALREADY_GONE),
                    run.count(RetentionOutcome.Result.CHANGED), run.count(RetentionOutcome.Result.FAILED),
                    run.count(RetentionOutcome.Result.DEFERRED));
        }
        return String.format(Locale.ROOT, "Koyeb snapshot retention (%s): %d group(s), %d snapshot(s): keep %d, to delete"
                        + " %d, ignore %d; %s; fingerprint %s, in %d ms", plan.policy(), plan.groups().size(),
                plan.decisions().size(), plan.count(RetentionDecision.Action.KEEP),
                plan.count(RetentionDecision.Action.DELETE), plan.count(RetentionDecision.Action.IGNORE), done,
                plan.fingerprint(), run.took().toMillis());
    }

    /**
     * Schedules the runs: the first at the next cron time from now, in the policy's zone.
     */
    @Override
    public void start() {
        if (schedule != null) {
            return;
        }
        schedule = cron().start(this::runOnce, meters::skipped);
        log.info("Koyeb snapshot retention scheduled (" + cron + ", " + policy.zone().getId() + ", "
                + (dryRun ? "dry run" : "deleting") + "): " + policy);
    }

    private LockedCron cron() {
        return new LockedCron("Koyeb snapshot retention", log, this::untilNext, lock, lockSettings);
    }

    /**
     * A scheduled run: under the fleet's lock when there is one (another replica that holds it
     * makes this one skip its turn), the lock released when the run ends, fails or is cancelled.
     */
    Mono<Void> lockedRun() {
        return cron().lockedRun(this::runOnce, meters::skipped);
    }

    /** From now until the cron's next time in the policy's zone. */
    private Duration untilNext() {
        ZonedDateTime now = ZonedDateTime.now(policy.zone());
        ZonedDateTime next = cron.next(now);
        if (next == null) {
            // refused at start-up; a cron whose last time has passed waits for ever, in effect
            return Duration.ofDays(366 * 100L);
        }
        return Duration.between(now, next);
    }

    /** Cancels the schedule, and the run in flight if any. */
    @Override
    public void stop() {
        Disposable running = schedule;
        schedule = null;
        if (running != null) {
            running.dispose();
        }
    }

    @Override
    public boolean isRunning() {
        return schedule != null;
    }

    @Override
    public String toString() {
        return "ScheduledRetention{" + cron + ", " + policy + (dryRun ? ", dry run" : "") + ", " + options + '}';
    }

    /** Where the runs are counted: Micrometer when it is there, nowhere otherwise. */
    interface RetentionMeters {
        RetentionMeters NONE = new RetentionMeters() {
        };

        default void succeeded(Run run) {
        }

        default void failed(Duration took, boolean dryRun) {
        }

        /** Another replica held the fleet's lock (or it could not be taken): this one skipped its turn. */
        default void skipped() {
        }
    }
}
