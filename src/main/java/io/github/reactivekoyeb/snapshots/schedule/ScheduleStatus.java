package io.github.reactivekoyeb.snapshots.schedule;

import io.github.reactivekoyeb.snapshots.retention.RetentionDecision;
import io.github.reactivekoyeb.snapshots.retention.RetentionPlan;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Whether a schedule's backups are current: each volume's newest snapshot managed by the schedule
 * and its age at one instant, and which volumes are stale (the newest older than
 * {@link SnapshotSchedule#staleAfter()}, or none at all). Immutable.
 */
public final class ScheduleStatus {

    private final SnapshotSchedule schedule;
    private final Instant at;
    private final Map<String, Instant> newest;

    /**
     * A status.
     *
     * @param schedule the schedule
     * @param at when the ages are counted
     * @param newest each volume's newest managed snapshot's creation time; volumes without one absent
     * @throws NullPointerException if an argument is null
     */
    public ScheduleStatus(SnapshotSchedule schedule, Instant at, Map<String, Instant> newest) {
        this.schedule = Objects.requireNonNull(schedule, "schedule");
        this.at = Objects.requireNonNull(at, "at");
        Map<String, Instant> copy = new LinkedHashMap<>();
        for (String volume : schedule.volumes()) {
            Instant created = Objects.requireNonNull(newest, "newest").get(volume);
            if (created != null) {
                copy.put(volume, created);
            }
        }
        this.newest = Collections.unmodifiableMap(copy);
    }

    /** Each group's newest snapshot the plan's policy manages: its creation time, by volume. */
    static Map<String, Instant> newestOf(RetentionPlan plan) {
        Map<String, Instant> newest = new LinkedHashMap<>();
        for (RetentionDecision d : plan.decisions()) {
            Instant created = d.snapshot().createdAt();
            if (created != null && plan.policy().manages(d.snapshot())) {
                newest.merge(d.group(), created, ScheduleStatus::later);
            }
        }
        return newest;
    }

    static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    /**
     * The schedule.
     *
     * @return the schedule
     */
    public SnapshotSchedule schedule() {
        return schedule;
    }

    /**
     * When the ages are counted.
     *
     * @return the instant
     */
    public Instant at() {
        return at;
    }

    /**
     * Each volume's newest snapshot managed by the schedule.
     *
     * @return volume id to its creation time, volumes without one absent, unmodifiable
     */
    public Map<String, Instant> newestSnapshots() {
        return newest;
    }

    /**
     * A volume's newest snapshot's age.
     *
     * @param volume a volume of the schedule
     * @return the age at {@link #at()}, or empty when it has no snapshot
     */
    public Optional<Duration> age(String volume) {
        return Optional.ofNullable(newest.get(volume)).map(created -> Duration.between(created, at));
    }

    /**
     * The stale volumes: the newest snapshot older than {@link SnapshotSchedule#staleAfter()}, or none.
     *
     * @return the volume ids, in the schedule's order, unmodifiable
     */
    public List<String> stale() {
        return schedule.volumes().stream().filter(v -> age(v).map(a -> a.compareTo(schedule.staleAfter()) > 0)
                .orElse(true)).toList();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ScheduleStatus s && schedule.equals(s.schedule) && at.equals(s.at) && newest.equals(s.newest);
    }

    @Override
    public int hashCode() {
        return Objects.hash(schedule, at, newest);
    }

    @Override
    public String toString() {
        return "ScheduleStatus{" + schedule.name() + ", " + newest.size() + " of " + schedule.volumes().size()
                + " volume(s) with a snapshot, stale " + stale() + '}';
    }
}
