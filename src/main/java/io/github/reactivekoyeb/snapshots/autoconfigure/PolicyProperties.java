package io.github.reactivekoyeb.snapshots.autoconfigure;

import io.github.reactivekoyeb.snapshots.ListSnapshotsRequest;
import io.github.reactivekoyeb.snapshots.retention.RetentionOptions;
import io.github.reactivekoyeb.snapshots.retention.RetentionPolicy;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import org.jspecify.annotations.Nullable;
import org.springframework.scheduling.support.CronExpression;

/**
 * What {@code koyeb.snapshots.retention.*} and each {@code koyeb.snapshots.schedules.<name>.*}
 * share: a cron, the keep rules of a {@link RetentionPolicy}, and how its plans are applied
 * ({@link RetentionOptions}). Each value goes through the domain's own check; an invalid one is
 * reported by its full property name.
 */
public abstract class PolicyProperties {

    /** When it runs: a Spring cron expression (seconds first), in the zone. */
    private String cron = "0 0 3 * * *";
    /** Whether runs only plan and log, deleting nothing. */
    private boolean dryRun = true;
    /** The most deletions a run may make; a plan that would delete more is not applied. None by default; 0 refuses any plan that deletes (a kill switch). */
    private @Nullable Integer maxDeletions;
    /** The most deletions a run sends, the oldest first; the rest is left for the next runs. None by default. */
    private @Nullable Integer deleteAtMost;
    /** Deletes in flight at once. */
    private int concurrency = RetentionOptions.DEFAULT_CONCURRENCY;
    /** Whether each snapshot is read just before its delete, and left alone if it changed since the plan. */
    private boolean recheck = true;
    /** How many of the newest snapshots of each volume are kept. */
    private int keepLast;
    /** How many hourly snapshots of each volume are kept. */
    private int keepHourly;
    /** How many daily snapshots of each volume are kept. */
    private int keepDaily;
    /** How many weekly (ISO week) snapshots of each volume are kept. */
    private int keepWeekly;
    /** How many monthly snapshots of each volume are kept. */
    private int keepMonthly;
    /** How many yearly snapshots of each volume are kept. */
    private int keepYearly;
    /** Every snapshot created within this of its volume's newest is kept. */
    private @Nullable Duration keepWithin;
    /** The zone of the policy's hours, days, weeks, months and years, and of the cron. */
    private String zone = "UTC";
    /** The start of the names of the snapshots the policy manages; empty for every name. */
    private String namePrefix = "";
    /** The organization whose snapshots are listed; all the token sees by default. */
    private @Nullable String organizationId;
    /** The region whose snapshots are listed; all by default. */
    private @Nullable String region;
    /**
     * The name of the ShedLock lock each scheduled run takes, when the application has a
     * {@code LockProvider} bean: one run per fleet. By default koyeb-snapshots-retention for the
     * retention, koyeb-snapshots-schedule-NAME for a schedule.
     */
    private @Nullable String lockName;
    /** How long a run holds the fleet's lock at most: a replica that dies mid-run leaves it then. */
    private Duration lockAtMostFor;
    /**
     * How long a run holds the fleet's lock at least, even when it ends sooner: longer than the
     * replicas' clocks differ, shorter than the time between two runs. By default 1 minute, or
     * half the time between two runs when that is shorter.
     */
    private @Nullable Duration lockAtLeastFor;

    /**
     * Creates the properties with their defaults.
     *
     * @param lockAtMostFor the default of {@code lock-at-most-for}
     */
    protected PolicyProperties(Duration lockAtMostFor) {
        this.lockAtMostFor = lockAtMostFor;
    }

    /**
     * The lock's name when {@code lock-name} is not set.
     *
     * @return the default lock name
     */
    protected abstract String defaultLockName();

    /** The fleet lock's settings, checked against the cron. */
    ScheduledRetention.LockSettings toLock() {
        CronExpression parsed = toCron();
        String name = lockName != null ? lockName : defaultLockName();
        ScheduledRetention.LockSettings[] built = new ScheduledRetention.LockSettings[1];
        set("lock-at-least-for", () -> built[0] = ScheduledRetention.LockSettings.of(name, lockAtMostFor,
                lockAtLeastFor, parsed, ZoneId.of(zone)));
        return built[0];
    }

    /**
     * The full name of these properties, e.g. {@code koyeb.snapshots.retention}: what an invalid
     * value's message names.
     *
     * @return the prefix, without a trailing dot
     */
    protected abstract String prefix();

    /**
     * The policy these properties describe.
     *
     * @return the policy
     * @throws IllegalArgumentException naming the first invalid property
     */
    public RetentionPolicy toPolicy() {
        RetentionPolicy.Builder policy = RetentionPolicy.builder();
        set("keep-last", () -> policy.keepLast(keepLast));
        set("keep-hourly", () -> policy.keepHourly(keepHourly));
        set("keep-daily", () -> policy.keepDaily(keepDaily));
        set("keep-weekly", () -> policy.keepWeekly(keepWeekly));
        set("keep-monthly", () -> policy.keepMonthly(keepMonthly));
        set("keep-yearly", () -> policy.keepYearly(keepYearly));
        Duration within = keepWithin;
        if (within != null) {
            set("keep-within", () -> policy.keepWithin(within));
        }
        set("zone", () -> policy.zone(ZoneId.of(zone)));
        policy.namePrefix(namePrefix);
        policy.listing(ListSnapshotsRequest.builder().organizationId(organizationId).region(region).build());
        RetentionPolicy[] built = new RetentionPolicy[1];
        set("keep-*", () -> built[0] = policy.build());
        return built[0];
    }

    /**
     * The options of each run.
     *
     * @return the options
     * @throws IllegalArgumentException naming the first invalid property
     */
    public RetentionOptions toOptions() {
        RetentionOptions.Builder options = RetentionOptions.builder().recheck(recheck);
        set("concurrency", () -> options.concurrency(concurrency));
        Integer max = maxDeletions;
        if (max != null) {
            set("max-deletions", () -> options.maxDeletions(max));
        }
        Integer atMost = deleteAtMost;
        if (atMost != null) {
            set("delete-at-most", () -> options.deleteAtMost(atMost));
        }
        return options.build();
    }

    /**
     * The schedule: a cron that fires, in the zone.
     *
     * @return the cron expression
     * @throws IllegalArgumentException naming the property when it does not parse or never fires
     *     (such as {@code 0 0 0 30 2 *}, February 30th)
     */
    public CronExpression toCron() {
        CronExpression[] parsed = new CronExpression[1];
        set("cron", () -> parsed[0] = firing(cron, ZoneId.of(zone)));
        return parsed[0];
    }

    /** A cron expression that parses and fires at least once from now in the zone. */
    static CronExpression firing(String cron, ZoneId zone) {
        CronExpression parsed = CronExpression.parse(cron);
        if (parsed.next(ZonedDateTime.now(zone)) == null) {
            throw new IllegalArgumentException("'" + cron + "' never fires (no date matches all its fields)");
        }
        return parsed;
    }

    /** Sets one value; an invalid one throws, its message naming the full property. */
    final void set(String property, Runnable set) {
        try {
            set.run();
        } catch (IllegalArgumentException | DateTimeException | NullPointerException e) {
            throw new IllegalArgumentException(prefix() + '.' + property + ": " + e.getMessage(), e);
        }
    }

    /**
     * When the policy runs, a Spring cron expression in the zone; default
     * {@code 0 0 3 * * *} (3 a.m. every day).
     *
     * @return the expression
     */
    public String getCron() {
        return cron;
    }

    /**
     * Sets when the policy runs.
     *
     * @param cron a Spring cron expression (six fields, seconds first)
     */
    public void setCron(String cron) {
        this.cron = cron;
    }

    /**
     * Whether runs only plan and log, deleting nothing; default true: turn it off once the logged
     * plans are what you want.
     *
     * @return true for a dry run
     */
    public boolean isDryRun() {
        return dryRun;
    }

    /**
     * Sets whether runs only plan and log.
     *
     * @param dryRun false to delete
     */
    public void setDryRun(boolean dryRun) {
        this.dryRun = dryRun;
    }

    /**
     * The most deletions a run may make: a plan that would delete more is not applied at all
     * ({@link RetentionOptions#maxDeletions()}); default none.
     *
     * @return the maximum, or null for none
     */
    public @Nullable Integer getMaxDeletions() {
        return maxDeletions;
    }

    /**
     * Sets the most deletions a run may make.
     *
     * @param maxDeletions 0 or more, or null for none
     */
    public void setMaxDeletions(@Nullable Integer maxDeletions) {
        this.maxDeletions = maxDeletions;
    }

    /**
     * Deletes in flight at once; default {@value RetentionOptions#DEFAULT_CONCURRENCY}.
     *
     * @return 1 to 256
     */
    public int getConcurrency() {
        return concurrency;
    }

    /**
     * Sets the deletes in flight at once.
     *
     * @param concurrency 1 to 256
     */
    public void setConcurrency(int concurrency) {
        this.concurrency = concurrency;
    }

    /**
     * Whether each snapshot is read just before its delete; default true.
     *
     * @return true to read first
     */
    public boolean isRecheck() {
        return recheck;
    }

    /**
     * Sets whether each snapshot is read just before its delete.
     *
     * @param recheck false to delete without reading first
     */
    public void setRecheck(boolean recheck) {
        this.recheck = recheck;
    }

    /**
     * How many of the newest snapshots of each volume are kept; default 0.
     *
     * @return the count
     */
    public int getKeepLast() {
        return keepLast;
    }

    /**
     * Sets how many of the newest snapshots are kept.
     *
     * @param keepLast 0 or more
     */
    public void setKeepLast(int keepLast) {
        this.keepLast = keepLast;
    }

    /**
     * How many hourly snapshots of each volume are kept; default 0.
     *
     * @return the count
     */
    public int getKeepHourly() {
        return keepHourly;
    }

    /**
     * Sets how many hourly snapshots are kept.
     *
     * @param keepHourly 0 or more
     */
    public void setKeepHourly(int keepHourly) {
        this.keepHourly = keepHourly;
    }

    /**
     * How many daily snapshots of each volume are kept; default 0.
     *
     * @return the count
     */
    public int getKeepDaily() {
        return keepDaily;
    }

    /**
     * Sets how many daily snapshots are kept.
     *
     * @param keepDaily 0 or more
     */
    public void setKeepDaily(int keepDaily) {
        this.keepDaily = keepDaily;
    }

    /**
     * How many weekly snapshots of each volume are kept; default 0.
     *
     * @return the count
     */
    public int getKeepWeekly() {
        return keepWeekly;
    }

    /**
     * Sets how many weekly snapshots are kept.
     *
     * @param keepWeekly 0 or more
     */
    public void setKeepWeekly(int keepWeekly) {
        this.keepWeekly = keepWeekly;
    }

    /**
     * How many monthly snapshots of each volume are kept; default 0.
     *
     * @return the count
     */
    public int getKeepMonthly() {
        return keepMonthly;
    }

    /**
     * Sets how many monthly snapshots are kept.
     *
     * @param keepMonthly 0 or more
     */
    public void setKeepMonthly(int keepMonthly) {
        this.keepMonthly = keepMonthly;
    }

    /**
     * How many yearly snapshots of each volume are kept; default 0.
     *
     * @return the count
     */
    public int getKeepYearly() {
        return keepYearly;
    }

    /**
     * Sets how many yearly snapshots are kept.
     *
     * @param keepYearly 0 or more
     */
    public void setKeepYearly(int keepYearly) {
        this.keepYearly = keepYearly;
    }

    /**
     * Every snapshot created within this of its volume's newest is kept; default none.
     *
     * @return the duration, or null
     */
    public @Nullable Duration getKeepWithin() {
        return keepWithin;
    }

    /**
     * Sets the window of snapshots kept.
     *
     * @param keepWithin a positive duration, or null for none
     */
    public void setKeepWithin(@Nullable Duration keepWithin) {
        this.keepWithin = keepWithin;
    }

    /**
     * The zone of the policy's days, weeks, months and years, and of the cron; default UTC.
     *
     * @return a zone id, e.g. {@code Europe/Paris}
     */
    public String getZone() {
        return zone;
    }

    /**
     * Sets the zone.
     *
     * @param zone a zone id
     */
    public void setZone(String zone) {
        this.zone = zone;
    }

    /**
     * The start of the names of the snapshots the policy manages; default empty: every name.
     *
     * @return the prefix
     */
    public String getNamePrefix() {
        return namePrefix;
    }

    /**
     * Sets the start of the managed names.
     *
     * @param namePrefix the prefix, or empty for every name
     */
    public void setNamePrefix(String namePrefix) {
        this.namePrefix = namePrefix;
    }

    /**
     * The organization whose snapshots are listed; default all the token sees.
     *
     * @return the organization id, or null
     */
    public @Nullable String getOrganizationId() {
        return organizationId;
    }

    /**
     * Sets the organization whose snapshots are listed.
     *
     * @param organizationId the id, or null for all
     */
    public void setOrganizationId(@Nullable String organizationId) {
        this.organizationId = organizationId;
    }

    /**
     * The region whose snapshots are listed; default all.
     *
     * @return the region, or null
     */
    public @Nullable String getRegion() {
        return region;
    }

    /**
     * Sets the region whose snapshots are listed.
     *
     * @param region the region, or null for all
     */
    public void setRegion(@Nullable String region) {
        this.region = region;
    }

    /**
     * The most deletions a run sends, the oldest first; the plan's others are left for the next
     * runs ({@link RetentionOptions#deleteAtMost()}); default none.
     *
     * @return the cap, or null for none
     */
    public @Nullable Integer getDeleteAtMost() {
        return deleteAtMost;
    }

    /**
     * Sets the most deletions a run sends.
     *
     * @param deleteAtMost 1 or more, or null for none
     */
    public void setDeleteAtMost(@Nullable Integer deleteAtMost) {
        this.deleteAtMost = deleteAtMost;
    }

    /**
     * The fleet lock's name.
     *
     * @return the name, or null for the default ({@link #defaultLockName()})
     */
    public @Nullable String getLockName() {
        return lockName;
    }

    /**
     * Sets the fleet lock's name.
     *
     * @param lockName the name, or null for the default
     */
    public void setLockName(@Nullable String lockName) {
        this.lockName = lockName;
    }

    /**
     * How long a run holds the fleet's lock at most.
     *
     * @return the duration
     */
    public Duration getLockAtMostFor() {
        return lockAtMostFor;
    }

    /**
     * Sets how long a run holds the fleet's lock at most.
     *
     * @param lockAtMostFor a positive duration
     */
    public void setLockAtMostFor(Duration lockAtMostFor) {
        this.lockAtMostFor = lockAtMostFor;
    }

    /**
     * How long a run holds the fleet's lock at least.
     *
     * @return the duration, or null for the default (1 minute, or half the time between two runs
     *     when shorter)
     */
    public @Nullable Duration getLockAtLeastFor() {
        return lockAtLeastFor;
    }

    /**
     * Sets how long a run holds the fleet's lock at least.
     *
     * @param lockAtLeastFor a duration, or null for the default
     */
    public void setLockAtLeastFor(@Nullable Duration lockAtLeastFor) {
        this.lockAtLeastFor = lockAtLeastFor;
    }

    /** The rules, the zone and the cron, for logs; no secret is among them. */
    String describe() {
        return "cron=" + cron + ", dryRun=" + dryRun + ", keep last " + keepLast + ", hourly " + keepHourly + ", daily "
                + keepDaily + ", weekly " + keepWeekly + ", monthly " + keepMonthly + ", yearly " + keepYearly
                + ", within " + keepWithin + ", zone " + zone;
    }
}
