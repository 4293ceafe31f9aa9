package io.github.reactivekoyeb.snapshots.retention;

import io.github.reactivekoyeb.snapshots.ListSnapshotsRequest;
import io.github.reactivekoyeb.snapshots.Snapshot;
import io.github.reactivekoyeb.snapshots.SnapshotStatus;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Which snapshots to keep: restic's {@code forget} rules, applied to each volume's snapshots alone.
 *
 * <pre>{@code
 * RetentionPolicy policy = RetentionPolicy.builder()
 *         .keepLast(3).keepDaily(7).keepWeekly(4).keepMonthly(12)
 *         .zone(ZoneId.of("Europe/Paris"))
 *         .namePrefix("nightly-")
 *         .build();
 * }</pre>
 *
 * <p>Snapshots are grouped by {@link Snapshot#parentVolumeId()} (those without one form a group of
 * their own). A snapshot is <em>managed</em> when its status is {@link SnapshotStatus#AVAILABLE},
 * its name starts with the {@linkplain Builder#namePrefix(String) prefix} and it has a creation
 * time; every other one is ignored: never deleted, never counted. The managed snapshots of a group
 * are walked newest first ({@code createdAt}, then the greater id on a tie):
 *
 * <ul>
 *   <li>{@code keepLast(n)} keeps the {@code n} newest;</li>
 *   <li>{@code keepHourly(n)} .. {@code keepYearly(n)} keep a snapshot when its bucket (the hour, the
 *       calendar day, the ISO week of the week-based year, the month or the year of its
 *       {@code createdAt} in the policy's {@linkplain Builder#zone(ZoneId) zone}) differs from the
 *       bucket of the last snapshot that same rule kept, while the rule has count left, each keep
 *       using one; a rule with count left when the walk reaches the oldest managed snapshot keeps
 *       that one too ("oldest daily");</li>
 *   <li>{@code keepWithin(d)} keeps every snapshot created strictly after the group's newest
 *       {@code createdAt} minus {@code d}.</li>
 * </ul>
 *
 * <p>Rules count independently (one snapshot may be the daily and the weekly one). A snapshot any
 * rule keeps is kept, the others are deleted; the newest managed snapshot of a group is never
 * deleted. Nothing depends on the clock or on the JVM's default time zone: the same snapshots and
 * policy give the same plan on every machine.
 *
 * <p>Immutable and thread-safe.
 */
public final class RetentionPolicy {

    /**
     * The longest {@code keepWithin}: 100,000 years of 365.2425 days. Longer windows reach past the
     * calendar {@link java.time.Instant} can count in, and are refused when the policy is built; this
     * one keeps every snapshot of the last 100,000 years.
     */
    public static final Duration MAX_KEEP_WITHIN = Duration.ofSeconds(100_000L * 31_556_952L);

    private final int keepLast;
    private final int keepHourly;
    private final int keepDaily;
    private final int keepWeekly;
    private final int keepMonthly;
    private final int keepYearly;
    private final @Nullable Duration keepWithin;
    private final ZoneId zone;
    private final String namePrefix;
    private final ListSnapshotsRequest listing;
    private final Set<String> volumes;

    private RetentionPolicy(Builder b) {
        this.keepLast = b.keepLast;
        this.keepHourly = b.keepHourly;
        this.keepDaily = b.keepDaily;
        this.keepWeekly = b.keepWeekly;
        this.keepMonthly = b.keepMonthly;
        this.keepYearly = b.keepYearly;
        this.keepWithin = b.keepWithin;
        this.zone = b.zone;
        this.namePrefix = b.namePrefix;
        this.listing = b.listing;
        this.volumes = b.volumes;
    }

    /**
     * A builder that keeps nothing yet, in UTC, managing every name and listing every snapshot; at
     * least one rule must be set before {@link Builder#build()}.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * How many of the newest snapshots are kept.
     *
     * @return 0 or more
     */
    public int keepLast() {
        return keepLast;
    }

    /**
     * How many hourly snapshots are kept (the newest of each hour).
     *
     * @return 0 or more
     */
    public int keepHourly() {
        return keepHourly;
    }

    /**
     * How many daily snapshots are kept (the newest of each calendar day).
     *
     * @return 0 or more
     */
    public int keepDaily() {
        return keepDaily;
    }

    /**
     * How many weekly snapshots are kept (the newest of each ISO week).
     *
     * @return 0 or more
     */
    public int keepWeekly() {
        return keepWeekly;
    }

    /**
     * How many monthly snapshots are kept (the newest of each month).
     *
     * @return 0 or more
     */
    public int keepMonthly() {
        return keepMonthly;
    }

    /**
     * How many yearly snapshots are kept (the newest of each year).
     *
     * @return 0 or more
     */
    public int keepYearly() {
        return keepYearly;
    }

    /**
     * Every snapshot created strictly after the group's newest minus this is kept.
     *
     * @return the duration, or empty when the rule is not set
     */
    public Optional<Duration> keepWithin() {
        return Optional.ofNullable(keepWithin);
    }

    /**
     * The zone the hours, days, weeks, months and years are counted in.
     *
     * @return the zone; UTC by default
     */
    public ZoneId zone() {
        return zone;
    }

    /**
     * The start of the names of the snapshots this policy manages.
     *
     * @return the prefix; empty (every name) by default
     */
    public String namePrefix() {
        return namePrefix;
    }

    /**
     * The filters of the listing the plan is made from (organization, region); planning always
     * lists consistently, whatever this says.
     *
     * @return the listing; every snapshot by default
     */
    public ListSnapshotsRequest listing() {
        return listing;
    }

    /**
     * The volumes planned: a plan leaves the snapshots of other volumes out (not even ignored).
     *
     * @return the volume ids, in the order given, unmodifiable; empty (the default) for every volume
     */
    public Set<String> volumes() {
        return volumes;
    }

    /**
     * Whether a plan of this policy holds a snapshot: every one when {@link #volumes()} is empty,
     * else those of its volumes.
     */
    boolean plans(Snapshot snapshot) {
        return volumes.isEmpty() || volumes.contains(snapshot.parentVolumeId());
    }

    /**
     * A builder holding this policy's rules, zone, names, listing and volumes: to derive another.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.keepLast = keepLast;
        b.keepHourly = keepHourly;
        b.keepDaily = keepDaily;
        b.keepWeekly = keepWeekly;
        b.keepMonthly = keepMonthly;
        b.keepYearly = keepYearly;
        b.keepWithin = keepWithin;
        b.zone = zone;
        b.namePrefix = namePrefix;
        b.listing = listing;
        b.volumes = volumes;
        return b;
    }

    /**
     * Whether this policy manages a snapshot: one with an id the client can send (not blank,
     * {@code .}, {@code ..}, nor with a control character), {@code AVAILABLE}, with a creation time
     * and a name that starts with the prefix. The others are ignored, each with its reason.
     *
     * @param snapshot a snapshot
     * @return true when the policy counts it and may delete it
     * @throws NullPointerException if {@code snapshot} is null
     */
    public boolean manages(Snapshot snapshot) {
        return whyIgnored(snapshot) == null;
    }

    /** Why the policy ignores a snapshot, or null when it manages it. */
    @Nullable String whyIgnored(Snapshot snapshot) {
        String id = snapshot.id();
        if (id == null) {
            return "no id";
        }
        if (!sendable(id)) {
            return "an id the client cannot send (blank, '.', '..' or a control character)";
        }
        SnapshotStatus status = snapshot.status();
        if (status != SnapshotStatus.AVAILABLE) {
            return "status " + (status == null ? "unknown" : status.name());
        }
        if (snapshot.createdAt() == null) {
            return "no creation time";
        }
        String name = snapshot.name();
        if (!namePrefix.isEmpty() && (name == null || !name.startsWith(namePrefix))) {
            return "name not managed (not \"" + namePrefix + "...\")";
        }
        return null;
    }

    /** Whether the client can send a request for this id (it refuses the others at once). */
    private static boolean sendable(String id) {
        if (id.isBlank() || id.equals(".") || id.equals("..")) {
            return false;
        }
        return id.chars().noneMatch(Character::isISOControl);
    }

    /** The rules set, in the order the table and the messages give them, e.g. {@code daily 7}. */
    List<String> rules() {
        List<String> rules = new ArrayList<>();
        for (Rule rule : Rule.values()) {
            if (count(rule) > 0) {
                rules.add(rule.label + " " + count(rule));
            }
        }
        if (keepWithin != null) {
            rules.add("within " + Durations.compact(keepWithin));
        }
        return rules;
    }

    /** The count of a bucket rule. */
    int count(Rule rule) {
        return switch (rule) {
            case LAST -> keepLast;
            case HOURLY -> keepHourly;
            case DAILY -> keepDaily;
            case WEEKLY -> keepWeekly;
            case MONTHLY -> keepMonthly;
            case YEARLY -> keepYearly;
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RetentionPolicy p && keepLast == p.keepLast && keepHourly == p.keepHourly
                && keepDaily == p.keepDaily && keepWeekly == p.keepWeekly && keepMonthly == p.keepMonthly
                && keepYearly == p.keepYearly && Objects.equals(keepWithin, p.keepWithin) && zone.equals(p.zone)
                && namePrefix.equals(p.namePrefix) && listing.equals(p.listing) && volumes.equals(p.volumes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(keepLast, keepHourly, keepDaily, keepWeekly, keepMonthly, keepYearly, keepWithin, zone,
                namePrefix, listing, volumes);
    }

    /** The rules, the zone and the managed names, e.g. {@code keep last 3, daily 7 (UTC, names "nightly-...")}. */
    @Override
    public String toString() {
        return "keep " + String.join(", ", rules()) + " (" + zone.getId()
                + (namePrefix.isEmpty() ? ", every name" : ", names \"" + namePrefix + "...\"")
                + (volumes.isEmpty() ? "" : ", " + volumes.size() + " volume(s)") + ")";
    }

    /** Builds a {@link RetentionPolicy}. Not thread-safe. */
    public static final class Builder {
        private int keepLast;
        private int keepHourly;
        private int keepDaily;
        private int keepWeekly;
        private int keepMonthly;
        private int keepYearly;
        private @Nullable Duration keepWithin;
        private ZoneId zone = ZoneOffset.UTC;
        private String namePrefix = "";
        private ListSnapshotsRequest listing = ListSnapshotsRequest.all();
        private Set<String> volumes = Set.of();

        private Builder() {
        }

        /**
         * Plans only these volumes' snapshots; the others are left out of the plan (the listing
         * still reads them: the API lists by organization and region, not by volume). Default
         * empty: every volume.
         *
         * @param volumeIds the volume ids, or none for every volume
         * @return this builder
         * @throws NullPointerException if the collection or an id is null
         * @throws IllegalArgumentException if an id is blank
         */
        public Builder volumes(Collection<String> volumeIds) {
            Set<String> ids = new LinkedHashSet<>();
            for (String id : Objects.requireNonNull(volumeIds, "volumes")) {
                if (Objects.requireNonNull(id, "a volume id").isBlank()) {
                    throw new IllegalArgumentException("a volume id must not be blank");
                }
                ids.add(id);
            }
            this.volumes = Collections.unmodifiableSet(ids);
            return this;
        }

        /**
         * Keeps the {@code n} newest snapshots.
         *
         * @param n 0 (the rule is off) or more
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder keepLast(int n) {
            this.keepLast = count("keepLast", n);
            return this;
        }

        /**
         * Keeps the newest snapshot of each of the {@code n} last hours that have one.
         *
         * @param n 0 (the rule is off) or more
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder keepHourly(int n) {
            this.keepHourly = count("keepHourly", n);
            return this;
        }

        /**
         * Keeps the newest snapshot of each of the {@code n} last calendar days that have one.
         *
         * @param n 0 (the rule is off) or more
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder keepDaily(int n) {
            this.keepDaily = count("keepDaily", n);
            return this;
        }

        /**
         * Keeps the newest snapshot of each of the {@code n} last ISO weeks that have one.
         *
         * @param n 0 (the rule is off) or more
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder keepWeekly(int n) {
            this.keepWeekly = count("keepWeekly", n);
            return this;
        }

        /**
         * Keeps the newest snapshot of each of the {@code n} last months that have one.
         *
         * @param n 0 (the rule is off) or more
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder keepMonthly(int n) {
            this.keepMonthly = count("keepMonthly", n);
            return this;
        }

        /**
         * Keeps the newest snapshot of each of the {@code n} last years that have one.
         *
         * @param n 0 (the rule is off) or more
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder keepYearly(int n) {
            this.keepYearly = count("keepYearly", n);
            return this;
        }

        /**
         * Keeps every snapshot created strictly after the newest snapshot of its group minus
         * {@code duration}.
         *
         * @param duration a positive duration, at most {@link #MAX_KEEP_WITHIN}
         * @return this builder
         * @throws NullPointerException if null
         * @throws IllegalArgumentException if zero, negative or longer than {@link #MAX_KEEP_WITHIN} (a
         *     window beyond the calendar)
         */
        public Builder keepWithin(Duration duration) {
            Objects.requireNonNull(duration, "keepWithin");
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException("keepWithin must be positive, was " + duration);
            }
            if (duration.compareTo(MAX_KEEP_WITHIN) > 0) {
                throw new IllegalArgumentException("keepWithin must be at most 100000 years (MAX_KEEP_WITHIN, which"
                        + " keeps every snapshot of 100000 years), was " + duration.toDays() + " days: a window beyond the"
                        + " calendar");
            }
            this.keepWithin = duration;
            return this;
        }

        /**
         * The zone in which hours, days, weeks, months and years are counted; default UTC. A day is
         * a calendar day of the zone (23 or 25 hours when its clocks change).
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
         * Manages only the snapshots whose name starts with this; the others are ignored. Default
         * empty: every name. Renaming a snapshot out of the prefix protects it.
         *
         * @param prefix the start of the managed names, or empty for all
         * @return this builder
         * @throws NullPointerException if null
         */
        public Builder namePrefix(String prefix) {
            this.namePrefix = Objects.requireNonNull(prefix, "namePrefix");
            return this;
        }

        /**
         * The listing's filters (organization, region, statuses, page size); default every snapshot.
         *
         * @param listing the listing; it must start at offset 0: a plan is made from a whole listing
         * @return this builder
         * @throws NullPointerException if null
         * @throws IllegalArgumentException if it starts at another offset
         */
        public Builder listing(ListSnapshotsRequest listing) {
            Objects.requireNonNull(listing, "listing");
            if (listing.startOffset() != 0) {
                throw new IllegalArgumentException("listing must start at offset 0 (a plan is made from the whole"
                        + " listing), was " + listing.startOffset());
            }
            this.listing = listing;
            return this;
        }

        /**
         * Builds the policy.
         *
         * @return a new, immutable policy
         * @throws IllegalArgumentException if it keeps nothing: every count 0 and no {@code keepWithin}
         */
        public RetentionPolicy build() {
            if (keepLast + keepHourly + keepDaily + keepWeekly + keepMonthly + keepYearly == 0 && keepWithin == null) {
                throw new IllegalArgumentException("a retention policy must keep something: set keepLast, keepHourly,"
                        + " keepDaily, keepWeekly, keepMonthly, keepYearly or keepWithin");
            }
            return new RetentionPolicy(this);
        }

        private static int count(String rule, int n) {
            if (n < 0) {
                throw new IllegalArgumentException(rule + " must be 0 or more, was " + n);
            }
            return n;
        }
    }
}
