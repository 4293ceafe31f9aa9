package io.github.reactivekoyeb.snapshots.autoconfigure;

import io.github.reactivekoyeb.snapshots.WaitOptions;
import io.github.reactivekoyeb.snapshots.schedule.SnapshotSchedule;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One {@code koyeb.snapshots.schedules.<name>.*}: the volumes, whether to take, and the cron, keep
 * rules and deletion settings it shares with {@code koyeb.snapshots.retention.*} (deletions are a
 * dry run until {@code dry-run=false}; the takes happen either way).
 *
 * <pre>
 * koyeb.snapshots.schedules.databases.volumes=vol-pg-1,vol-pg-2
 * koyeb.snapshots.schedules.databases.cron=0 0 2 * * *
 * koyeb.snapshots.schedules.databases.zone=Europe/Paris
 * koyeb.snapshots.schedules.databases.name-prefix=nightly-
 * koyeb.snapshots.schedules.databases.keep-daily=7
 * koyeb.snapshots.schedules.databases.keep-weekly=4
 * koyeb.snapshots.schedules.databases.stale-after=26h
 * koyeb.snapshots.schedules.databases.dry-run=false
 * </pre>
 */
public class ScheduleProperties extends PolicyProperties {

    /** Whether this schedule runs. */
    private boolean enabled = true;
    /** The volumes snapshotted and pruned. */
    private List<String> volumes = new ArrayList<>();
    /** Whether runs take snapshots; false: they only prune. */
    private boolean take = true;
    /** How many volumes are snapshotted at once. */
    private int takeConcurrency = SnapshotSchedule.DEFAULT_CONCURRENCY;
    /** How long each new snapshot is waited for until AVAILABLE, its create included. */
    private Duration waitTimeout = SnapshotSchedule.DEFAULT_WAIT.timeout();
    /**
     * How old a volume's newest snapshot may grow before the health report calls it stale. By default
     * twice the longest time between two runs, plus the wait timeout.
     */
    private @Nullable Duration staleAfter;
    private String name = "";

    /** Creates the properties with their defaults; Spring binds them. */
    public ScheduleProperties() {
        super(Duration.ofHours(1));
    }

    /** Names these properties (their key under {@code koyeb.snapshots.schedules}); returns this. */
    ScheduleProperties named(String name) {
        this.name = name;
        return this;
    }

    @Override
    protected String prefix() {
        return SnapshotSchedulesProperties.PREFIX + '.' + name;
    }

    /**
     * The schedule these properties describe.
     *
     * @return the schedule
     * @throws IllegalArgumentException naming the first invalid property
     */
    public SnapshotSchedule toSchedule() {
        SnapshotSchedule.Builder schedule = SnapshotSchedule.builder();
        set("name", () -> schedule.name(name));
        set("volumes", () -> schedule.volumes(volumes));
        toCron();
        schedule.cron(getCron());
        set("zone", () -> schedule.zone(ZoneId.of(getZone())));
        String prefix = getNamePrefix();
        if (!prefix.isEmpty()) {
            set("name-prefix", () -> schedule.namePrefix(prefix));
        }
        schedule.retention(toPolicy()).retentionOptions(toOptions()).take(take).dryRun(isDryRun());
        set("take-concurrency", () -> schedule.concurrency(takeConcurrency));
        set("wait-timeout", () -> schedule.waitOptions(WaitOptions.withTimeout(waitTimeout)));
        Duration stale = staleAfter;
        if (stale != null) {
            set("stale-after", () -> schedule.staleAfter(stale));
        }
        SnapshotSchedule[] built = new SnapshotSchedule[1];
        set("volumes", () -> {
            try {
                built[0] = schedule.build();
            } catch (IllegalStateException missing) {
                throw new IllegalArgumentException(missing.getMessage(), missing);
            }
        });
        return built[0];
    }

    @Override
    protected String defaultLockName() {
        return "koyeb-snapshots-schedule-" + name;
    }

    /**
     * Whether this schedule runs; default true.
     *
     * @return true when it runs
     */
    public boolean isEnabled() {
        return enabled;
    }

    /**
     * Turns this schedule on or off.
     *
     * @param enabled false to leave it out
     */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /**
     * The volumes snapshotted and pruned.
     *
     * @return the volume ids
     */
    public List<String> getVolumes() {
        return volumes;
    }

    /**
     * Sets the volumes.
     *
     * @param volumes volume ids, each once
     */
    public void setVolumes(List<String> volumes) {
        this.volumes = volumes;
    }

    /**
     * Whether runs take snapshots; default true.
     *
     * @return false when runs only prune
     */
    public boolean isTake() {
        return take;
    }

    /**
     * Sets whether runs take snapshots.
     *
     * @param take false to only prune
     */
    public void setTake(boolean take) {
        this.take = take;
    }

    /**
     * How many volumes are snapshotted at once; default {@value SnapshotSchedule#DEFAULT_CONCURRENCY}.
     *
     * @return 1 to 256
     */
    public int getTakeConcurrency() {
        return takeConcurrency;
    }

    /**
     * Sets how many volumes are snapshotted at once.
     *
     * @param takeConcurrency 1 to 256
     */
    public void setTakeConcurrency(int takeConcurrency) {
        this.takeConcurrency = takeConcurrency;
    }

    /**
     * How long each new snapshot is waited for; default 30 minutes.
     *
     * @return the timeout
     */
    public Duration getWaitTimeout() {
        return waitTimeout;
    }

    /**
     * Sets how long each new snapshot is waited for.
     *
     * @param waitTimeout a positive duration
     */
    public void setWaitTimeout(Duration waitTimeout) {
        this.waitTimeout = waitTimeout;
    }

    /**
     * How old a volume's newest snapshot may grow before it is stale; default null: twice the
     * longest time between two runs, plus the wait timeout.
     *
     * @return the age, or null for the default
     */
    public @Nullable Duration getStaleAfter() {
        return staleAfter;
    }

    /**
     * Sets how old a volume's newest snapshot may grow before it is stale.
     *
     * @param staleAfter a positive duration, or null for the default
     */
    public void setStaleAfter(@Nullable Duration staleAfter) {
        this.staleAfter = staleAfter;
    }


    @Override
    public String toString() {
        return "ScheduleProperties{" + name + ", volumes=" + volumes + ", take=" + take + ", " + describe() + '}';
    }
}
