package io.github.reactivekoyeb.snapshots.schedule;

import io.github.reactivekoyeb.snapshots.WaitOptions;
import io.github.reactivekoyeb.snapshots.retention.RetentionOptions;
import io.github.reactivekoyeb.snapshots.retention.RetentionPolicy;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.scheduling.support.CronExpression;

/**
 * A snapshot schedule: a set of volumes, when to snapshot them (a cron in a zone), how their
 * snapshots are named, and which to keep (a {@link RetentionPolicy}). {@link SnapshotSchedules#run}
 * runs it once: take, wait until {@code AVAILABLE}, prune.
 *
 * <pre>{@code
 * SnapshotSchedule nightly = SnapshotSchedule.builder()
 *         .name("databases")
 *         .volumes("vol-pg-1", "vol-pg-2")
 *         .cron("0 0 2 * * *")                       // 2 a.m. every day
 *         .zone(ZoneId.of("Europe/Paris"))
 *         .namePrefix("nightly-")                    // nightly-20261207T020000+0100
 *         .retention(RetentionPolicy.builder().keepDaily(7).keepWeekly(4).keepMonthly(12).build())
 *         .build();
 * }</pre>
 *
 * <p><b>Names.</b> Each snapshot a run takes is named {@link #namePrefix()} followed by the run's
 * start in the schedule's zone, {@code uuuuMMdd'T'HHmmss} and the zone's offset ({@code Z} for
 * UTC, else {@code +hhmm}): {@code nightly-20261207T020000+0100}. The names sort by time within one
 * offset, and two runs of the same second share a name (each snapshot has its own id).
 *
 * <p><b>What is pruned.</b> Only snapshots of the schedule's volumes whose name starts with its
 * prefix: the schedule's prefix and zone replace the policy's, and the policy is restricted to the
 * schedule's volumes ({@link #prunePolicy()}). A snapshot renamed out of the prefix, or of another volume, is never touched.
 * The prefix must not be empty for that reason.
 *
 * <p>Immutable and thread-safe.
 */
public final class SnapshotSchedule {

    /** The default cron: {@value}, 3 a.m. every day. */
    public static final String DEFAULT_CRON = "0 0 3 * * *";
    /** The default number of creates in flight at once: {@value}. */
    public static final int DEFAULT_CONCURRENCY = 8;
    /**
     * The default wait for each snapshot to be {@code AVAILABLE}: polls after 1 s, x1.5, at most
     * every 10 s, for at most 30 minutes (the create included).
     */
    public static final WaitOptions DEFAULT_WAIT = WaitOptions.builder().timeout(Duration.ofMinutes(30)).build();

    private static final DateTimeFormatter NAME_TIME = DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmssXX", Locale.ROOT);
    private static final int GAPS_READ = 16;

    private final String name;
    private final List<String> volumes;
    private final String cronText;
    private final CronExpression cron;
    private final ZoneId zone;
    private final String namePrefix;
    private final RetentionPolicy retention;
    private final RetentionPolicy prunePolicy;
    private final RetentionOptions options;
    private final boolean take;
    private final boolean dryRun;
    private final int concurrency;
    private final WaitOptions waitOptions;
    private final Duration staleAfter;

    private SnapshotSchedule(Builder b, String name, RetentionPolicy retention, CronExpression cron, String prefix,
            Duration staleAfter) {
        this.name = name;
        this.volumes = List.copyOf(b.volumes);
        this.cronText = b.cron;
        this.cron = cron;
        this.zone = b.zone;
        this.namePrefix = prefix;
        this.retention = retention;
        this.prunePolicy = retention.toBuilder().namePrefix(prefix).zone(b.zone).volumes(this.volumes).build();
        this.options = b.options;
        this.take = b.take;
        this.dryRun = b.dryRun;
        this.concurrency = b.concurrency;
        this.waitOptions = b.waitOptions;
        this.staleAfter = staleAfter;
    }

    /**
     * A builder; {@code name}, {@code volumes} and {@code retention} must be set.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The schedule's name: in its log lines, meters ({@code schedule} tag) and health details.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * The volumes snapshotted and pruned, each once, in the order given.
     *
     * @return the volume ids, unmodifiable, at least one
     */
    public List<String> volumes() {
        return volumes;
    }

    /**
     * When the schedule runs: a Spring cron expression (six fields, seconds first) in {@link #zone()}.
     *
     * @return the expression as given
     */
    public String cron() {
        return cronText;
    }

    /**
     * The zone of the cron, of the snapshots' names and of the policy's days, weeks, months, years.
     *
     * @return the zone; UTC by default
     */
    public ZoneId zone() {
        return zone;
    }

    /**
     * The start of the names of the snapshots this schedule takes and prunes.
     *
     * @return the prefix, never empty; by default the policy's prefix when it has one, else
     *     {@code <name>-}
     */
    public String namePrefix() {
        return namePrefix;
    }

    /**
     * The retention policy, as given: its rules are what the prune keeps.
     *
     * @return the policy given to {@link Builder#retention(RetentionPolicy)}
     * @see #prunePolicy()
     */
    public RetentionPolicy retention() {
        return retention;
    }

    /**
     * The policy the prune plans: the {@linkplain #retention() given rules} with this schedule's
     * prefix, zone and volumes in place of the policy's own.
     *
     * @return the policy planned
     */
    public RetentionPolicy prunePolicy() {
        return prunePolicy;
    }

    /**
     * How the prune applies its plan (concurrency, {@code deleteAtMost}, {@code maxDeletions}, recheck).
     *
     * @return the options; {@link RetentionOptions#defaults()} by default
     */
    public RetentionOptions retentionOptions() {
        return options;
    }

    /**
     * Whether a run takes snapshots; when false it only prunes (and reports).
     *
     * @return true by default
     */
    public boolean take() {
        return take;
    }

    /**
     * Whether a run's prune only plans, deleting nothing (the takes still happen when {@link #take()}).
     *
     * @return false by default
     */
    public boolean dryRun() {
        return dryRun;
    }

    /**
     * How many creates are in flight at once (a wait does not hold a place: polls are bounded by
     * the client's rate limiter).
     *
     * @return 1 to 256; {@value #DEFAULT_CONCURRENCY} by default
     */
    public int concurrency() {
        return concurrency;
    }

    /**
     * How each taken snapshot is waited for until {@code AVAILABLE}.
     *
     * @return the poll schedule and timeout; {@link #DEFAULT_WAIT} by default
     */
    public WaitOptions waitOptions() {
        return waitOptions;
    }

    /**
     * How old a volume's newest snapshot may grow before the volume is stale (its backups have
     * stopped): what {@link SnapshotSchedules#status(SnapshotSchedule)} and the health report use.
     *
     * @return the age; by default twice the longest time between two runs of the cron (read over
     *     its next 16 runs), plus the wait's timeout
     */
    public Duration staleAfter() {
        return staleAfter;
    }

    /**
     * The cron's next time strictly after an instant.
     *
     * @param after the instant
     * @return the next run, or empty if the cron never fires again
     * @throws NullPointerException if {@code after} is null
     */
    public Optional<Instant> nextRunAfter(Instant after) {
        ZonedDateTime next = cron.next(ZonedDateTime.ofInstant(Objects.requireNonNull(after, "after"), zone));
        return Optional.ofNullable(next).map(ZonedDateTime::toInstant);
    }

    /**
     * The name of the snapshots a run started at this instant takes, e.g.
     * {@code nightly-20261207T020000+0100}.
     *
     * @param at the run's start
     * @return the prefix, then the time in the schedule's zone to the second, then the offset
     * @throws NullPointerException if {@code at} is null
     */
    public String snapshotName(Instant at) {
        return namePrefix + NAME_TIME.format(ZonedDateTime.ofInstant(Objects.requireNonNull(at, "at"), zone));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SnapshotSchedule s && name.equals(s.name) && volumes.equals(s.volumes)
                && cronText.equals(s.cronText) && zone.equals(s.zone) && namePrefix.equals(s.namePrefix)
                && retention.equals(s.retention) && options.equals(s.options) && take == s.take && dryRun == s.dryRun
                && concurrency == s.concurrency && waitOptions.equals(s.waitOptions) && staleAfter.equals(s.staleAfter);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, volumes, cronText, zone, namePrefix, retention, options, take, dryRun, concurrency,
                waitOptions, staleAfter);
    }

    @Override
    public String toString() {
        return "SnapshotSchedule{" + name + ", " + volumes.size() + " volume(s), " + cronText + " " + zone.getId()
                + ", names \"" + namePrefix + "...\", " + prunePolicy + (take ? "" : ", no take")
                + (dryRun ? ", dry run" : "") + '}';
    }

    /** Builds a {@link SnapshotSchedule}. Not thread-safe. */
    public static final class Builder {
        private @Nullable String name;
        private final Set<String> volumes = new LinkedHashSet<>();
        private String cron = DEFAULT_CRON;
        private ZoneId zone = ZoneOffset.UTC;
        private @Nullable String namePrefix;
        private @Nullable RetentionPolicy retention;
        private RetentionOptions options = RetentionOptions.defaults();
        private boolean take = true;
        private boolean dryRun;
        private int concurrency = DEFAULT_CONCURRENCY;
        private WaitOptions waitOptions = DEFAULT_WAIT;
        private @Nullable Duration staleAfter;

        private Builder() {
        }

        /**
         * The schedule's name; required.
         *
         * @param name not blank, without control characters
         * @return this builder
         * @throws NullPointerException if null
         * @throws IllegalArgumentException if blank or with a control character
         */
        public Builder name(String name) {
            Objects.requireNonNull(name, "name");
            if (name.isBlank() || name.chars().anyMatch(Character::isISOControl)) {
                throw new IllegalArgumentException("name must not be blank nor hold control characters");
            }
            this.name = name.strip();
            return this;
        }

        /**
         * The volumes to snapshot and prune (replacing any set before); at least one is required.
         *
         * @param volumeIds volume ids, each once
         * @return this builder
         * @throws NullPointerException if the array or an id is null
         * @throws IllegalArgumentException if an id is blank, {@code .} or {@code ..}, has a control
         *     character, or is given twice
         */
        public Builder volumes(String... volumeIds) {
            Objects.requireNonNull(volumeIds, "volumes");
            return volumes(List.of(volumeIds));
        }

        /**
         * The volumes to snapshot and prune (replacing any set before); at least one is required.
         *
         * @param volumeIds volume ids, each once
         * @return this builder
         * @throws NullPointerException if the collection or an id is null
         * @throws IllegalArgumentException as {@link #volumes(String...)}
         */
        public Builder volumes(Iterable<String> volumeIds) {
            Objects.requireNonNull(volumeIds, "volumes");
            Set<String> ids = new LinkedHashSet<>();
            for (String id : volumeIds) {
                Objects.requireNonNull(id, "a volume id");
                if (id.isBlank() || id.equals(".") || id.equals("..") || id.chars().anyMatch(Character::isISOControl)) {
                    throw new IllegalArgumentException("a volume id must not be blank, '.', '..' nor hold control"
                            + " characters");
                }
                if (!ids.add(id)) {
                    throw new IllegalArgumentException("volume " + id + " is given twice");
                }
            }
            volumes.clear();
            volumes.addAll(ids);
            return this;
        }

        /**
         * When the schedule runs; default {@value #DEFAULT_CRON}.
         *
         * @param cron a Spring cron expression (six fields, seconds first), in the schedule's zone
         * @return this builder
         * @throws NullPointerException if null
         * @throws IllegalArgumentException if it does not parse (checked at once) or never fires
         *     (checked by {@link #build()}: {@code 0 0 0 30 2 *})
         */
        public Builder cron(String cron) {
            CronExpression.parse(Objects.requireNonNull(cron, "cron"));
            this.cron = cron;
            return this;
        }

        /**
         * The zone of the cron, the names and the policy's calendar; default UTC.
         *
         * @param zone the zone
         * @return this builder
         * @throws NullPointerException if null
         */
        public Builder zone(ZoneId zone) {
            this.zone = Objects.requireNonNull(zone, "zone");
            return this;
        }

        /**
         * The start of the names of the snapshots taken and pruned; default the policy's prefix when
         * it has one, else the schedule's name and a dash.
         *
         * @param prefix not empty, without control characters
         * @return this builder
         * @throws NullPointerException if null
         * @throws IllegalArgumentException if empty (a prune would manage every name) or with a
         *     control character
         */
        public Builder namePrefix(String prefix) {
            Objects.requireNonNull(prefix, "namePrefix");
            if (prefix.isEmpty() || prefix.chars().anyMatch(Character::isISOControl)) {
                throw new IllegalArgumentException("namePrefix must not be empty (the prune would manage every"
                        + " snapshot of the volumes) nor hold control characters");
            }
            this.namePrefix = prefix;
            return this;
        }

        /**
         * What to keep; required. Its prefix, zone and volumes are replaced by the schedule's.
         *
         * @param policy the policy
         * @return this builder
         * @throws NullPointerException if null
         */
        public Builder retention(RetentionPolicy policy) {
            this.retention = Objects.requireNonNull(policy, "retention");
            return this;
        }

        /**
         * How the prune applies its plans; default {@link RetentionOptions#defaults()}. With
         * {@link RetentionOptions.Builder#deleteAtMost(int)} a backlog goes over several runs.
         *
         * @param options the options
         * @return this builder
         * @throws NullPointerException if null
         */
        public Builder retentionOptions(RetentionOptions options) {
            this.options = Objects.requireNonNull(options, "retentionOptions");
            return this;
        }

        /**
         * Whether runs take snapshots; default true. False: runs only prune.
         *
         * @param take false to only prune
         * @return this builder
         */
        public Builder take(boolean take) {
            this.take = take;
            return this;
        }

        /**
         * Whether the prune only plans, deleting nothing; default false.
         *
         * @param dryRun true to delete nothing
         * @return this builder
         */
        public Builder dryRun(boolean dryRun) {
            this.dryRun = dryRun;
            return this;
        }

        /**
         * How many creates are in flight at once; default {@value #DEFAULT_CONCURRENCY}. The waits
         * that follow do not hold a place.
         *
         * @param concurrency 1 to 256
         * @return this builder
         * @throws IllegalArgumentException if outside that range
         */
        public Builder concurrency(int concurrency) {
            if (concurrency < 1 || concurrency > 256) {
                throw new IllegalArgumentException("concurrency must be between 1 and 256, was " + concurrency);
            }
            this.concurrency = concurrency;
            return this;
        }

        /**
         * How each snapshot is waited for until {@code AVAILABLE}; default {@link #DEFAULT_WAIT}. A
         * snapshot not available within the timeout is a failure of its volume
         * ({@code KoyebWaitTimeoutException}).
         *
         * @param options the poll schedule and the timeout, the create included
         * @return this builder
         * @throws NullPointerException if null
         */
        public Builder waitOptions(WaitOptions options) {
            this.waitOptions = Objects.requireNonNull(options, "waitOptions");
            return this;
        }

        /**
         * How old a volume's newest snapshot may grow before it is reported stale; default twice
         * the longest time between two runs, plus the wait's timeout.
         *
         * @param age a positive duration
         * @return this builder
         * @throws NullPointerException if null
         * @throws IllegalArgumentException if zero or negative
         */
        public Builder staleAfter(Duration age) {
            Objects.requireNonNull(age, "staleAfter");
            if (age.isNegative() || age.isZero()) {
                throw new IllegalArgumentException("staleAfter must be positive, was " + age);
            }
            this.staleAfter = age;
            return this;
        }

        /**
         * Builds the schedule.
         *
         * @return a new, immutable schedule
         * @throws IllegalStateException if the name, the volumes or the policy is missing
         * @throws IllegalArgumentException if the cron never fires
         */
        public SnapshotSchedule build() {
            String n = name;
            RetentionPolicy policy = retention;
            if (n == null) {
                throw new IllegalStateException("a schedule needs a name");
            }
            if (volumes.isEmpty()) {
                throw new IllegalStateException("schedule " + n + " needs at least one volume");
            }
            if (policy == null) {
                throw new IllegalStateException("schedule " + n + " needs a retention policy");
            }
            CronExpression parsed = CronExpression.parse(cron);
            List<ZonedDateTime> runs = new ArrayList<>(GAPS_READ + 1);
            ZonedDateTime at = parsed.next(ZonedDateTime.now(zone));
            if (at == null) {
                throw new IllegalArgumentException("cron '" + cron + "' never fires (no date matches all its fields)");
            }
            while (at != null && runs.size() <= GAPS_READ) {
                runs.add(at);
                at = parsed.next(at);
            }
            Duration longest = Duration.ZERO;
            for (int i = 1; i < runs.size(); i++) {
                Duration gap = Duration.between(runs.get(i - 1), runs.get(i));
                longest = gap.compareTo(longest) > 0 ? gap : longest;
            }
            Duration stale = staleAfter != null ? staleAfter
                    : (longest.isZero() ? Duration.ofDays(2) : longest.multipliedBy(2)).plus(waitOptions.timeout());
            String prefix = namePrefix != null ? namePrefix
                    : !policy.namePrefix().isEmpty() ? policy.namePrefix() : n + "-";
            return new SnapshotSchedule(this, n, policy, parsed, prefix, stale);
        }
    }
}
