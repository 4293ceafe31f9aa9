package io.github.reactivekoyeb.snapshots.autoconfigure;

import io.github.reactivekoyeb.snapshots.schedule.ScheduleRun;
import io.github.reactivekoyeb.snapshots.schedule.SnapshotSchedule;
import io.github.reactivekoyeb.snapshots.schedule.SnapshotSchedules;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.context.SmartLifecycle;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Runs the {@code koyeb.snapshots.schedules.<name>.*} schedules, each on its own cron, without
 * {@code @EnableScheduling} (non-blocking timers; a schedule's runs never overlap). Each run takes,
 * waits and prunes ({@link SnapshotSchedules#run}) and logs its report: a line at INFO, the
 * per-volume report at DEBUG, a WARN line when a volume or the prune failed.
 *
 * <p>With a ShedLock {@code LockProvider} bean, each run takes its schedule's lock first
 * ({@code lock-name}, by default {@code koyeb-snapshots-schedule-<name>}): one replica of the fleet
 * runs; the others skip their turn and read the schedule's snapshots instead (one listing), so that
 * every replica's gauges and health report stay current. At start, each replica reads every
 * schedule's snapshots once, in the background.
 *
 * <p>With Micrometer: {@code koyeb.snapshots.schedule.newest.snapshot} (a time gauge per volume, tags
 * {@code schedule} and {@code volume}: when its newest snapshot was created),
 * {@code koyeb.snapshots.schedule.last.success} (a time gauge per schedule: when its last run that
 * failed nothing ended), {@code koyeb.snapshots.schedule.runs} (tags {@code schedule},
 * {@code outcome} = {@code success}, {@code partial} or {@code skipped}), and
 * {@code koyeb.snapshots.schedule.duration}. Alert on {@code time() - gauge > threshold}.
 */
public final class ScheduledSnapshots implements SmartLifecycle {

    private static final Log log = LogFactory.getLog(ScheduledSnapshots.class);

    private final SnapshotSchedules schedules;
    private final Map<String, SnapshotSchedulesProperties.Configured> configured = new LinkedHashMap<>();
    private final ScheduleTracker tracker;
    private final ScheduleMeters meters;
    private final Map<String, LockedCron> crons = new LinkedHashMap<>();
    private volatile List<Disposable> running = List.of();

    ScheduledSnapshots(SnapshotSchedules schedules, List<SnapshotSchedulesProperties.Configured> configured,
            ScheduleTracker tracker, ScheduleMeters meters, FleetLock lock) {
        this.schedules = schedules;
        configured.forEach(c -> this.configured.put(c.schedule().name(), c));
        this.tracker = tracker;
        this.meters = meters;
        configured.forEach(c -> crons.put(c.schedule().name(), new LockedCron("Koyeb snapshot schedule "
                + c.schedule().name(), log, () -> schedules.untilNext(c.schedule()), lock, c.lock())));
    }

    /**
     * The schedules run.
     *
     * @return the schedules, in the order of the properties
     */
    public List<SnapshotSchedule> schedules() {
        return configured.values().stream().map(SnapshotSchedulesProperties.Configured::schedule).toList();
    }

    /**
     * Runs a schedule once now, as a scheduled run does (logs, meters, gauges and health included),
     * without the fleet's lock.
     *
     * @param name the schedule's name
     * @return a cold {@code Mono} emitting the run
     * @throws IllegalArgumentException if there is no schedule of that name
     */
    public Mono<ScheduleRun> runOnce(String name) {
        SnapshotSchedulesProperties.Configured c = configured.get(Objects.requireNonNull(name, "name"));
        if (c == null) {
            throw new IllegalArgumentException("no schedule named " + name + " (" + configured.keySet() + ")");
        }
        return run(c.schedule());
    }

    private Mono<ScheduleRun> run(SnapshotSchedule schedule) {
        return schedules.run(schedule).doOnNext(run -> {
            tracker.ran(run);
            meters.ran(run);
            String report = run.toString();
            int firstLine = report.indexOf('\n');
            String summary = firstLine < 0 ? report : report.substring(0, firstLine);
            if (run.succeeded()) {
                log.info(summary);
            } else {
                log.warn(summary + (run.failures().isEmpty() ? "" : "; failed volumes " + run.failures().keySet()));
            }
            if (log.isDebugEnabled()) {
                log.debug(report);
            }
        }).doOnError(e -> log.warn("Koyeb snapshot schedule " + schedule.name() + " failed: " + e));
    }

    /**
     * Reads a schedule's snapshots (one listing) into the gauges and the health report: what a
     * replica does at start and when another replica holds the lock.
     *
     * @param name the schedule's name
     * @return a cold {@code Mono} completing once read; a failed listing is logged, not signalled
     */
    public Mono<Void> check(String name) {
        SnapshotSchedulesProperties.Configured c = configured.get(Objects.requireNonNull(name, "name"));
        if (c == null) {
            return Mono.error(new IllegalArgumentException("no schedule named " + name));
        }
        return schedules.status(c.schedule()).doOnNext(tracker::checked)
                .doOnError(e -> log.warn("Koyeb snapshot schedule " + name + ": could not read its snapshots: " + e))
                .onErrorResume(e -> Mono.empty()).then();
    }

    /** Another replica runs this turn: count it, and read the schedule's snapshots for this one's gauges. */
    private void skipped(SnapshotSchedule schedule) {
        meters.skipped(schedule);
        check(schedule.name()).subscribe();
    }

    /**
     * A scheduled turn of one schedule: under the fleet's lock when there is one (another replica
     * that holds it makes this one skip its turn and read the schedule's snapshots instead).
     */
    Mono<Void> lockedRun(String name) {
        SnapshotSchedulesProperties.Configured c = Objects.requireNonNull(configured.get(name), name);
        return Objects.requireNonNull(crons.get(name)).lockedRun(() -> run(c.schedule()), () -> skipped(c.schedule()));
    }

    /** Schedules every schedule's runs, and reads each schedule's snapshots once in the background. */
    @Override
    public void start() {
        if (!running.isEmpty()) {
            return;
        }
        List<Disposable> loops = new ArrayList<>();
        for (SnapshotSchedulesProperties.Configured c : configured.values()) {
            SnapshotSchedule schedule = c.schedule();
            loops.add(Objects.requireNonNull(crons.get(schedule.name())).start(() -> run(schedule), () -> skipped(schedule)));
            log.info("Koyeb snapshot schedule " + schedule.name() + " scheduled: " + schedule);
        }
        loops.add(Flux.fromIterable(configured.keySet()).flatMap(this::check).subscribe());
        running = List.copyOf(loops);
    }

    /** Cancels every schedule, and the runs in flight. */
    @Override
    public void stop() {
        List<Disposable> loops = running;
        running = List.of();
        loops.forEach(Disposable::dispose);
    }

    @Override
    public boolean isRunning() {
        return !running.isEmpty();
    }

    @Override
    public String toString() {
        return "ScheduledSnapshots" + configured.keySet();
    }

    /** Where the runs are counted: Micrometer when it is there, nowhere otherwise. */
    interface ScheduleMeters {
        ScheduleMeters NONE = new ScheduleMeters() {
        };

        default void ran(ScheduleRun run) {
        }

        /** Another replica held the fleet's lock (or it could not be taken): this one skipped its turn. */
        default void skipped(SnapshotSchedule schedule) {
        }
    }
}
