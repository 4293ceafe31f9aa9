package io.github.reactivekoyeb.snapshots.testing;

import io.github.reactivekoyeb.snapshots.Snapshot;
import io.github.reactivekoyeb.snapshots.SnapshotStatus;
import io.github.reactivekoyeb.snapshots.SnapshotType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * The fake server's in-memory snapshots, in listing order (creation order, or where a change put
 * them), with Koyeb's life cycle computed from
 * the clock: a created snapshot reads {@code CREATING} until {@code creationDelay} has passed,
 * then {@code AVAILABLE}; a deleted one reads {@code DELETING} until {@code deletionDelay} has
 * passed, then {@code DELETED}. Thread-safe (every method holds the store's lock briefly).
 */
final class FakeSnapshotStore {

    private static final class Entry {
        Snapshot snapshot;
        final @Nullable Instant availableAt;
        @Nullable Instant deletedAt;

        Entry(Snapshot snapshot, @Nullable Instant availableAt) {
            this.snapshot = snapshot;
            this.availableAt = availableAt;
        }

        Snapshot view(Instant now) {
            Snapshot s = snapshot;
            if (deletedAt != null) {
                boolean gone = !now.isBefore(deletedAt);
                return new Snapshot(s.id(), s.name(), s.size(), s.createdAt(), gone ? deletedAt : s.updatedAt(),
                        gone ? deletedAt : null, s.organizationId(), s.parentVolumeId(), s.region(),
                        gone ? SnapshotStatus.DELETED : SnapshotStatus.DELETING, s.type());
            }
            if (availableAt != null && s.status() == SnapshotStatus.CREATING && !now.isBefore(availableAt)) {
                return new Snapshot(s.id(), s.name(), s.size(), s.createdAt(), availableAt, s.deletedAt(),
                        s.organizationId(), s.parentVolumeId(), s.region(), SnapshotStatus.AVAILABLE, s.type());
            }
            return s;
        }
    }

    private static final String[] REGIONS = {"fra", "was", "sin"};

    private final Map<String, Entry> entries = new HashMap<>();
    /** The listing order: creation order, or where a change put a snapshot. */
    private final List<Entry> order = new ArrayList<>();
    private long seeded;
    private long historic;
    private final Clock clock;
    private volatile Duration creationDelay;
    private volatile Duration deletionDelay;

    FakeSnapshotStore(Clock clock, Duration creationDelay, Duration deletionDelay) {
        this.clock = clock;
        this.creationDelay = creationDelay;
        this.deletionDelay = deletionDelay;
    }

    void setCreationDelay(Duration delay) {
        this.creationDelay = delay;
    }

    void setDeletionDelay(Duration delay) {
        this.deletionDelay = delay;
    }

    Instant now() {
        return clock.instant();
    }

    /**
     * Adds {@code count} generated snapshots after those held: ids {@code snap-000001}..., names
     * {@code snapshot-1}..., regions cycling through fra, was, sin, every fifth CREATING.
     */
    synchronized List<Snapshot> seed(int count, String organizationId) {
        List<Snapshot> added = new ArrayList<>(count);
        Instant base = Instant.parse("2026-01-01T00:00:00Z");
        for (int i = 0; i < count; i++) {
            long n = ++seeded;
            Snapshot s = new Snapshot(String.format(Locale.ROOT, "snap-%06d", n), "snapshot-" + n,
                    n * 1_073_741_824L, base.plusSeconds(n), base.plusSeconds(n), null, organizationId,
                    "vol-" + (n % 7), REGIONS[(int) (n % REGIONS.length)],
                    n % 5 == 0 ? SnapshotStatus.CREATING : SnapshotStatus.AVAILABLE,
                    n % 2 == 0 ? SnapshotType.REMOTE : SnapshotType.LOCAL);
            put(s);
            added.add(s);
        }
        return added;
    }

    /** Adds AVAILABLE snapshots of a volume created at the times given: ids {@code hist-000001}... */
    synchronized List<Snapshot> history(String volumeId, String namePrefix, List<Instant> times, String organizationId) {
        List<Snapshot> added = new ArrayList<>(times.size());
        for (Instant createdAt : times) {
            long n = ++historic;
            Snapshot s = new Snapshot(String.format(Locale.ROOT, "hist-%06d", n), namePrefix + createdAt,
                    1_073_741_824L, createdAt, createdAt, null, organizationId, volumeId, REGIONS[(int) (n % REGIONS.length)],
                    SnapshotStatus.AVAILABLE, SnapshotType.REMOTE);
            put(s);
            added.add(s);
        }
        return added;
    }

    synchronized void put(Snapshot snapshot) {
        Entry entry = new Entry(snapshot, null);
        Entry before = entries.put(snapshot.id(), entry);
        if (before == null) {
            order.add(entry);
        } else {
            order.set(order.indexOf(before), entry);
        }
    }

    synchronized Snapshot create(Snapshot creating) {
        Entry entry = new Entry(creating, now().plus(creationDelay));
        Entry before = entries.put(creating.id(), entry);
        if (before != null) {
            order.remove(before);
        }
        order.add(entry);
        return entry.view(now());
    }

    /** Puts a snapshot at a position of the listing order (clamped to 0..size); its status stays. */
    synchronized void insert(int position, Snapshot snapshot) {
        Entry entry = new Entry(snapshot, null);
        Entry before = entries.put(snapshot.id(), entry);
        if (before != null) {
            order.remove(before);
        }
        order.add(Math.max(0, Math.min(position, order.size())), entry);
    }

    /** Forgets the snapshot at a position of the listing order. */
    synchronized Snapshot removeAt(int position) {
        Entry entry = order.remove(position);
        entries.remove(entry.snapshot.id());
        return entry.snapshot;
    }

    synchronized int size() {
        return order.size();
    }

    /** The snapshot at a position of the listing order, as stored. */
    synchronized Snapshot at(int position) {
        return order.get(position).snapshot;
    }

    synchronized @Nullable Snapshot get(String id) {
        Entry entry = entries.get(id);
        return entry == null ? null : entry.view(now());
    }

    synchronized @Nullable Snapshot rename(String id, @Nullable String name) {
        Entry entry = entries.get(id);
        if (entry == null) {
            return null;
        }
        Instant now = now();
        Snapshot s = entry.snapshot;
        entry.snapshot = new Snapshot(s.id(), name, s.size(), s.createdAt(), now, s.deletedAt(), s.organizationId(),
                s.parentVolumeId(), s.region(), s.status(), s.type());
        return entry.view(now);
    }

    synchronized @Nullable Snapshot delete(String id) {
        Entry entry = entries.get(id);
        if (entry == null) {
            return null;
        }
        if (entry.deletedAt == null) {
            entry.deletedAt = now().plus(deletionDelay);
        }
        return entry.view(now());
    }

    synchronized boolean remove(String id) {
        Entry entry = entries.remove(id);
        return entry != null && order.remove(entry);
    }

    synchronized void clear() {
        entries.clear();
        order.clear();
    }

    /** Forgets every snapshot, and generated ids start again at {@code snap-000001}; sets both delays. */
    synchronized void reset(Duration creationDelay, Duration deletionDelay) {
        clear();
        seeded = 0;
        historic = 0;
        this.creationDelay = creationDelay;
        this.deletionDelay = deletionDelay;
    }

    /** One page of the snapshots matching the filter, and the number of matches in all. */
    synchronized Page page(Predicate<Snapshot> filter, long offset, int limit) {
        Instant now = now();
        List<Snapshot> items = new ArrayList<>(Math.min(limit, 128));
        long matched = 0;
        for (Entry entry : order) {
            Snapshot view = entry.view(now);
            if (!filter.test(view)) {
                continue;
            }
            if (matched >= offset && items.size() < limit) {
                items.add(view);
            }
            matched++;
        }
        return new Page(items, matched);
    }

    synchronized List<Snapshot> all() {
        Instant now = now();
        List<Snapshot> all = new ArrayList<>(order.size());
        for (Entry entry : order) {
            all.add(entry.view(now));
        }
        return all;
    }

    static Predicate<Snapshot> filter(@Nullable String organizationId, Set<SnapshotStatus> statuses,
            @Nullable String region) {
        return s -> (organizationId == null || organizationId.equals(s.organizationId()))
                && (statuses.isEmpty() || statuses.contains(s.status()))
                && (region == null || region.equals(s.region()));
    }

    record Page(List<Snapshot> items, long total) {
    }
}
