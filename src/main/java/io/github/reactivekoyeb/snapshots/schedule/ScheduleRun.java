package io.github.reactivekoyeb.snapshots.schedule;

import io.github.reactivekoyeb.snapshots.KoyebException;
import io.github.reactivekoyeb.snapshots.Snapshot;
import io.github.reactivekoyeb.snapshots.retention.RetentionDecision;
import io.github.reactivekoyeb.snapshots.retention.RetentionOutcome;
import io.github.reactivekoyeb.snapshots.retention.RetentionPlan;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What one run of a {@link SnapshotSchedule} did: per volume, the snapshot it took or what failed,
 * then the prune's plan and outcomes. Its {@link #toString()} is a report a person reads, one line
 * per volume. Immutable.
 */
public final class ScheduleRun {

    private final SnapshotSchedule schedule;
    private final Instant startedAt;
    private final Duration took;
    private final Map<String, Snapshot> taken;
    private final Map<String, KoyebException> failures;
    private final @Nullable RetentionPlan plan;
    private final List<RetentionOutcome> outcomes;
    private final @Nullable KoyebException pruneFailure;
    private final Map<String, Instant> newest;

    ScheduleRun(SnapshotSchedule schedule, Instant startedAt, Duration took, Map<String, Snapshot> taken,
            Map<String, KoyebException> failures, @Nullable RetentionPlan plan, List<RetentionOutcome> outcomes,
            @Nullable KoyebException pruneFailure) {
        this.schedule = schedule;
        this.startedAt = startedAt;
        this.took = took;
        this.taken = inVolumeOrder(schedule, taken);
        this.failures = inVolumeOrder(schedule, failures);
        this.plan = plan;
        this.outcomes = List.copyOf(outcomes);
        this.pruneFailure = pruneFailure;
        this.newest = newest(schedule, plan, this.taken);
    }

    private static <T> Map<String, T> inVolumeOrder(SnapshotSchedule schedule, Map<String, T> byVolume) {
        Map<String, T> ordered = new LinkedHashMap<>();
        for (String volume : schedule.volumes()) {
            T value = byVolume.get(volume);
            if (value != null) {
                ordered.put(volume, value);
            }
        }
        return Collections.unmodifiableMap(ordered);
    }

    /** Each volume's newest managed snapshot time: from the plan's listing, else from what was taken. */
    private static Map<String, Instant> newest(SnapshotSchedule schedule, @Nullable RetentionPlan plan,
            Map<String, Snapshot> taken) {
        Map<String, Instant> newest = plan == null ? new LinkedHashMap<>() : ScheduleStatus.newestOf(plan);
        taken.forEach((volume, snapshot) -> {
            Instant created = snapshot.createdAt();
            if (created != null) {
                newest.merge(volume, created, ScheduleStatus::later);
            }
        });
        return inVolumeOrder(schedule, newest);
    }

    /**
     * The schedule run.
     *
     * @return the schedule
     */
    public SnapshotSchedule schedule() {
        return schedule;
    }

    /**
     * When the run started (the time in the taken snapshots' names).
     *
     * @return the instant
     */
    public Instant startedAt() {
        return startedAt;
    }

    /**
     * How long the run took, takes, waits and prune included.
     *
     * @return the duration
     */
    public Duration took() {
        return took;
    }

    /**
     * The snapshots taken, each once {@code AVAILABLE}, by volume.
     *
     * @return volume id to its new snapshot, in the schedule's volume order, unmodifiable; empty when
     *     the schedule does not take
     */
    public Map<String, Snapshot> taken() {
        return taken;
    }

    /**
     * The volumes whose snapshot could not be taken: the create's error, or the wait's
     * ({@code KoyebWaitTimeoutException}, {@code KoyebUnexpectedStatusException}).
     *
     * @return volume id to what failed, in the schedule's volume order, unmodifiable
     */
    public Map<String, KoyebException> failures() {
        return failures;
    }

    /**
     * What the prune did with each planned deletion ({@code DELETED}, {@code ALREADY_GONE},
     * {@code CHANGED}, {@code FAILED}, {@code DEFERRED}); empty in a dry run or when the prune failed.
     *
     * @return the outcomes, unmodifiable
     */
    public List<RetentionOutcome> outcomes() {
        return outcomes;
    }

    /**
     * The prune's plan: every snapshot of the schedule's volumes, kept, deleted or ignored, and why.
     *
     * @return the plan, or empty when the prune's listing failed
     */
    public Optional<RetentionPlan> plan() {
        return Optional.ofNullable(plan);
    }

    /**
     * Why the prune did nothing: its listing's error, or {@code RetentionLimitExceededException} when
     * the plan deletes more than {@code maxDeletions}.
     *
     * @return the error, or empty when the prune ran
     */
    public Optional<KoyebException> pruneFailure() {
        return Optional.ofNullable(pruneFailure);
    }

    /**
     * Whether the prune only planned.
     *
     * @return true for a dry run
     */
    public boolean dryRun() {
        return schedule.dryRun();
    }

    /**
     * The deletions left for later runs by {@code deleteAtMost}: in a dry run, those a run would
     * leave; otherwise the {@code DEFERRED} outcomes'.
     *
     * @return the snapshots, oldest first, unmodifiable
     */
    public List<Snapshot> deferred() {
        if (plan != null && schedule.dryRun()) {
            return plan.deferred(schedule.retentionOptions());
        }
        return outcomes.stream().filter(o -> o.result() == RetentionOutcome.Result.DEFERRED)
                .map(RetentionOutcome::snapshot).toList();
    }

    /**
     * Each volume's newest snapshot managed by the schedule ({@code AVAILABLE}, with its prefix) as the
     * run saw it: the one it took, or the newest of the prune's listing. A volume without any is absent.
     *
     * @return volume id to the creation time of its newest snapshot, unmodifiable
     */
    public Map<String, Instant> newestSnapshots() {
        return newest;
    }

    /**
     * Whether everything went: each volume taken (when the schedule takes), the prune applied, no
     * deletion failed.
     *
     * @return true when nothing failed
     */
    public boolean succeeded() {
        return failures.isEmpty() && pruneFailure == null
                && outcomes.stream().noneMatch(o -> o.result() == RetentionOutcome.Result.FAILED);
    }

    /** How many of the prune's outcomes for a volume have a result. */
    private long count(String volume, RetentionOutcome.Result result) {
        return outcomes.stream().filter(o -> o.result() == result && volume.equals(o.snapshot().parentVolumeId()))
                .count();
    }

    /**
     * The run as a report: a summary line, then one line per volume (taken or failed, kept, deleted,
     * deferred, failed deletions).
     *
     * @return the report
     */
    @Override
    public String toString() {
        StringBuilder report = new StringBuilder(128 + 96 * schedule.volumes().size());
        String prune;
        if (pruneFailure != null) {
            prune = ", prune failed: " + pruneFailure.getMessage();
        } else if (plan != null && schedule.dryRun()) {
            int deferred = plan.deferred(schedule.retentionOptions()).size();
            prune = ", prune dry run" + (deferred == 0 ? "" : String.format(Locale.ROOT, " (a run would delete the %d"
                    + " oldest and leave %d for later runs)", plan.toDelete(schedule.retentionOptions()).size(),
                    deferred));
        } else {
            long deferred = outcomes.stream().filter(o -> o.result() == RetentionOutcome.Result.DEFERRED).count();
            prune = deferred == 0 ? "" : ", " + deferred + " deletion(s) deferred to later runs";
        }
        report.append(String.format(Locale.ROOT, "Koyeb snapshot schedule %s: %d volume(s), took %d, failed %d%s, in %d ms",
                schedule.name(), schedule.volumes().size(), taken.size(), failures.size(), prune, took.toMillis()));
        for (String volume : schedule.volumes()) {
            report.append('\n').append("  ").append(volume).append(": ");
            Snapshot snapshot = taken.get(volume);
            KoyebException failure = failures.get(volume);
            if (snapshot != null) {
                report.append("took ").append(snapshot.id()).append(' ').append(snapshot.name());
            } else if (failure != null) {
                report.append("take failed: ").append(failure.getClass().getSimpleName()).append(": ")
                        .append(failure.getMessage());
            } else {
                report.append("no take");
            }
            if (plan != null) {
                RetentionPlan p = plan;
                long kept = p.decisions().stream().filter(d -> volume.equals(d.group())
                        && d.action() == RetentionDecision.Action.KEEP).count();
                long toDelete = p.decisions().stream().filter(d -> volume.equals(d.group())
                        && d.action() == RetentionDecision.Action.DELETE).count();
                report.append("; kept ").append(kept);
                if (schedule.dryRun()) {
                    report.append(", would delete ").append(toDelete);
                } else {
                    report.append(", deleted ").append(count(volume, RetentionOutcome.Result.DELETED));
                    long deferred = count(volume, RetentionOutcome.Result.DEFERRED);
                    long failed = count(volume, RetentionOutcome.Result.FAILED);
                    if (deferred > 0) {
                        report.append(", deferred ").append(deferred);
                    }
                    if (failed > 0) {
                        report.append(", failed ").append(failed);
                    }
                }
            }
        }
        return report.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ScheduleRun r && schedule.equals(r.schedule) && startedAt.equals(r.startedAt)
                && took.equals(r.took) && taken.equals(r.taken) && failures.equals(r.failures)
                && Objects.equals(plan == null ? null : plan.fingerprint(), r.plan == null ? null : r.plan.fingerprint())
                && outcomes.equals(r.outcomes) && Objects.equals(pruneFailure, r.pruneFailure);
    }

    @Override
    public int hashCode() {
        return Objects.hash(schedule, startedAt, took, taken, failures, outcomes);
    }
}
