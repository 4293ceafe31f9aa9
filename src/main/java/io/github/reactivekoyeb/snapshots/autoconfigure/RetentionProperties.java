package io.github.reactivekoyeb.snapshots.autoconfigure;

import io.github.reactivekoyeb.snapshots.ListSnapshotsRequest;
import io.github.reactivekoyeb.snapshots.retention.RetentionOptions;
import io.github.reactivekoyeb.snapshots.retention.RetentionPolicy;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.scheduling.support.CronExpression;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

/**
 * {@code koyeb.snapshots.retention.*}: a {@link RetentionPolicy} that the application runs on a
 * schedule ({@link ScheduledRetention}). Off by default; with {@code enabled=true} it plans the
 * policy at each {@code cron} time and, unless {@code dry-run} (the default: true), applies it.
 *
 * <pre>
 * koyeb.snapshots.retention.enabled=true
 * koyeb.snapshots.retention.cron=0 30 3 * * *
 * koyeb.snapshots.retention.keep-daily=7
 * koyeb.snapshots.retention.keep-weekly=4
 * koyeb.snapshots.retention.keep-monthly=12
 * koyeb.snapshots.retention.zone=Europe/Paris
 * koyeb.snapshots.retention.name-prefix=nightly-
 * koyeb.snapshots.retention.dry-run=false
 * koyeb.snapshots.retention.max-deletions=200
 * </pre>
 *
 * <p>Each value goes through the domain's own check when the application starts: an invalid one
 * fails start-up with that check's message, named by the full property.
 */
@ConfigurationProperties(prefix = RetentionProperties.PREFIX)
public class RetentionProperties implements Validator {

    /** The prefix of these properties: {@value}. */
    public static final String PREFIX = "koyeb.snapshots.retention";

    /** Whether the policy runs on its schedule. */
    private boolean enabled;
    /** When the policy runs: a Spring cron expression (seconds first), in the policy's zone. */
    private String cron = "0 0 3 * * *";
    /** Whether runs only plan and log, deleting nothing. */
    private boolean dryRun = true;
    /** The most deletions a run may make; a plan that would delete more is not applied. None by default. */
    private @Nullable Integer maxDeletions;
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
     * The name of the ShedLock lock the scheduled runs take, when the application has a
     * {@code LockProvider} bean: one run per fleet.
     */
    private String lockName = DEFAULT_LOCK_NAME;
    /** How long a run holds the fleet's lock at most: a replica that dies mid-run leaves it then. */
    private Duration lockAtMostFor = Duration.ofMinutes(30);
    /**
     * How long a run holds the fleet's lock at least, even when it ends sooner: longer than the
     * replicas' clocks differ, shorter than the time between two runs. By default 1 minute, or
     * half the time between two runs when that is shorter.
     */
    private @Nullable Duration lockAtLeastFor;

    /** The default lock name: {@value}. */
    public static final String DEFAULT_LOCK_NAME = "koyeb-snapshots-retention";

    /** Creates the properties with their defaults; Spring binds them. */
    public RetentionProperties() {
    }

    /**
     * The policy these properties describe.
     *
     * @return the policy
     * @throws IllegalArgumentException (or {@link DateTimeException}) naming the first invalid property
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
        return options.build();
    }

    /**
     * The schedule.
     *
     * @return the cron expression
     * @throws IllegalArgumentException naming the property when it does not parse
     */
    public CronExpression toCron() {
        CronExpression[] parsed = new CronExpression[1];
        set("cron", () -> parsed[0] = CronExpression.parse(cron));
        return parsed[0];
    }

    /** The fleet lock's settings, checked against the cron. */
    ScheduledRetention.LockSettings toLock() {
        CronExpression parsed = toCron();
        ScheduledRetention.LockSettings[] built = new ScheduledRetention.LockSettings[1];
        set("lock-at-least-for", () -> built[0] = ScheduledRetention.LockSettings.of(lockName, lockAtMostFor,
                lockAtLeastFor, parsed, ZoneId.of(zone)));
        return built[0];
    }

    private static void set(String property, Runnable set) {
        try {
            set.run();
        } catch (IllegalArgumentException | DateTimeException | NullPointerException e) {
            throw new IllegalArgumentException(PREFIX + '.' + property + ": " + e.getMessage(), e);
        }
    }

    @Override
    public boolean supports(Class<?> clazz) {
        return RetentionProperties.class.isAssignableFrom(clazz);
    }

    @Override
    public void validate(Object target, Errors errors) {
        RetentionProperties p = (RetentionProperties) target;
        if (!p.enabled) {
            return;
        }
        for (Runnable check : new Runnable[] {p::toPolicy, p::toOptions, p::toCron, p::toLock}) {
            try {
                check.run();
            } catch (IllegalArgumentException | DateTimeException e) {
                errors.reject("invalid", String.valueOf(e.getMessage()));
            }
        }
    }

    /**
     * Whether the policy runs on its schedule; default false.
     *
     * @return true when enabled
     */
    public boolean isEnabled() {
        return enabled;
    }

    /**
     * Turns the scheduled runs on or off.
     *
     * @param enabled true to run the policy on its schedule
     */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /**
     * When the policy runs, a Spring cron expression in the policy's zone; default
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

    @Override
    public String toString() {
        return "RetentionProperties{enabled=" + enabled + ", cron=" + cron + ", dryRun=" + dryRun + ", keep last "
                + keepLast + ", hourly " + keepHourly + ", daily " + keepDaily + ", weekly " + keepWeekly + ", monthly "
                + keepMonthly + ", yearly " + keepYearly + ", within " + keepWithin + ", zone " + zone + '}';
    }

    /**
     * The fleet lock's name.
     *
     * @return the name
     */
    public String getLockName() {
        return lockName;
    }

    /**
     * Names the fleet lock.
     *
     * @param lockName the name
     */
    public void setLockName(String lockName) {
        this.lockName = lockName;
    }

    /**
     * How long a run holds the lock at most.
     *
     * @return the duration
     */
    public Duration getLockAtMostFor() {
        return lockAtMostFor;
    }

    /**
     * Sets how long a run holds the lock at most.
     *
     * @param lockAtMostFor the duration
     */
    public void setLockAtMostFor(Duration lockAtMostFor) {
        this.lockAtMostFor = lockAtMostFor;
    }

    /**
     * How long a run holds the lock at least.
     *
     * @return the duration, or null for the default
     */
    public @Nullable Duration getLockAtLeastFor() {
        return lockAtLeastFor;
    }

    /**
     * Sets how long a run holds the lock at least.
     *
     * @param lockAtLeastFor the duration
     */
    public void setLockAtLeastFor(@Nullable Duration lockAtLeastFor) {
        this.lockAtLeastFor = lockAtLeastFor;
    }
}
