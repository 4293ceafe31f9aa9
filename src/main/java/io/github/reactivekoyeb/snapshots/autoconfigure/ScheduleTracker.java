package io.github.reactivekoyeb.snapshots.autoconfigure;

import io.github.reactivekoyeb.snapshots.schedule.ScheduleRun;
import io.github.reactivekoyeb.snapshots.schedule.ScheduleStatus;
import io.github.reactivekoyeb.snapshots.schedule.SnapshotSchedule;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * What the application knows of its schedules' backups: each volume's newest snapshot (from the
 * last run, or the last check of a replica that skipped its turn) and each schedule's last
 * successful run. What the gauges and the health report read. Thread-safe.
 */
final class ScheduleTracker {

    /** The health report: its status and details. */
    enum State {
        /** Every volume's newest snapshot is younger than its schedule's {@code stale-after}. */
        UP,
        /** At least one volume is stale, or has no snapshot at all. */
        DOWN,
        /** Not every schedule has been read yet. */
        UNKNOWN
    }

    /** A health report. */
    record Report(State state, Map<String, Object> details) {
    }

    private final List<SnapshotSchedule> schedules;
    private final Clock clock;
    private final Map<String, Map<String, Instant>> newest = new ConcurrentHashMap<>();
    private final Map<String, Instant> lastSuccess = new ConcurrentHashMap<>();

    ScheduleTracker(List<SnapshotSchedule> schedules, Clock clock) {
        this.schedules = List.copyOf(schedules);
        this.clock = clock;
    }

    List<SnapshotSchedule> schedules() {
        return schedules;
    }

    /** A run's newest snapshots (merged: a failed listing does not forget what was known) and, if it succeeded, its end. */
    void ran(ScheduleRun run) {
        String name = run.schedule().name();
        Map<String, Instant> known = newest.computeIfAbsent(name, n -> new ConcurrentHashMap<>());
        run.newestSnapshots().forEach((volume, created) -> known.merge(volume, created, ScheduleTracker::later));
        if (run.succeeded()) {
            lastSuccess.merge(name, run.startedAt().plus(run.took()), ScheduleTracker::later);
        }
    }

    /** A check's newest snapshots: what is listed now replaces what was known. */
    void checked(ScheduleStatus status) {
        newest.put(status.schedule().name(), new ConcurrentHashMap<>(status.newestSnapshots()));
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    /** A volume's newest snapshot, when known. */
    Optional<Instant> newest(String schedule, String volume) {
        Map<String, Instant> known = newest.get(schedule);
        return Optional.ofNullable(known == null ? null : known.get(volume));
    }

    /** A schedule's last successful run's end, when there was one. */
    Optional<Instant> lastSuccess(String schedule) {
        return Optional.ofNullable(lastSuccess.get(schedule));
    }

    /**
     * The report now: DOWN with the stale volumes and their ages (or "no snapshot") when any is
     * stale, UNKNOWN while a schedule has not been read, UP otherwise; always each schedule's
     * stale-after and last success.
     */
    Report report() {
        Instant now = clock.instant();
        Map<String, Object> details = new LinkedHashMap<>();
        boolean stale = false;
        boolean unknown = false;
        for (SnapshotSchedule schedule : schedules) {
            Map<String, Object> detail = new LinkedHashMap<>();
            Map<String, Instant> known = newest.get(schedule.name());
            detail.put("staleAfter", schedule.staleAfter().toString());
            @Nullable Instant success = lastSuccess.get(schedule.name());
            if (success != null) {
                detail.put("lastSuccess", success.toString());
            }
            if (known == null) {
                unknown = true;
                detail.put("volumes", "not read yet");
            } else {
                ScheduleStatus status = new ScheduleStatus(schedule, now, known);
                Map<String, Object> staleVolumes = new LinkedHashMap<>();
                for (String volume : status.stale()) {
                    staleVolumes.put(volume, status.age(volume).map(Duration::toString).orElse("no snapshot"));
                }
                stale |= !staleVolumes.isEmpty();
                detail.put("stale", staleVolumes);
                detail.put("volumes", schedule.volumes().size());
            }
            details.put(schedule.name(), detail);
        }
        return new Report(stale ? State.DOWN : unknown ? State.UNKNOWN : State.UP, details);
    }
}
