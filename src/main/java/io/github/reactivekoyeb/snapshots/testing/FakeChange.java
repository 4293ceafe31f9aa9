package io.github.reactivekoyeb.snapshots.testing;

import io.github.reactivekoyeb.snapshots.Snapshot;
import io.github.reactivekoyeb.snapshots.SnapshotStatus;
import io.github.reactivekoyeb.snapshots.SnapshotType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * A change to the fake server's snapshots, made as other services would make it while a listing
 * runs: snapshots created or removed at chosen positions of the listing order, or at positions
 * drawn at random (from the server's seed, {@link FakeKoyebServer.Builder#seed(long)}), before or
 * after the position of the list request it is applied before (its {@code offset}, the listing's
 * cursor). Give one to {@link FakeKoyebServer#changeBeforeListRequests(FakeChange)} or
 * {@link FakeKoyebServer#changeBeforeListRequest(int, FakeChange)}. Immutable.
 *
 * <pre>{@code
 * server.changeBeforeListRequests(FakeChange.createAt(0, 3));                  // 3 new at the head
 * server.changeBeforeListRequests(FakeChange.removeBeforeCursor(8, s -> s.id().startsWith("tmp-")));
 * server.changeBeforeListRequests(FakeChange.createAnywhere(2).and(FakeChange.removeAnywhere(2)));
 * }</pre>
 *
 * <p>Created snapshots are {@code AVAILABLE}, with ids {@code chg-000001}... and names
 * {@code created-1}...
 */
public final class FakeChange {

    /** Where the change happens: at a fixed position, before the cursor, or anywhere. */
    private enum Where {
        AT, BEFORE_CURSOR, AFTER_CURSOR, ANYWHERE
    }

    private final boolean create;
    private final int count;
    private final Where where;
    private final int position;
    private final Predicate<Snapshot> eligible;
    private final List<FakeChange> then;

    private FakeChange(boolean create, int count, Where where, int position, Predicate<Snapshot> eligible,
            List<FakeChange> then) {
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative, was " + count);
        }
        this.create = create;
        this.count = count;
        this.where = where;
        this.position = position;
        this.eligible = Objects.requireNonNull(eligible, "eligible");
        this.then = List.copyOf(then);
    }

    /**
     * Creates {@code count} snapshots at this position of the listing order (0: the head, where an
     * API listing newest first puts new snapshots).
     *
     * @param position 0 or more; past the end means at the end
     * @param count how many
     * @return the change
     */
    public static FakeChange createAt(int position, int count) {
        return new FakeChange(true, count, Where.AT, position, s -> true, List.of());
    }

    /**
     * Removes {@code count} snapshots from this position of the listing order on.
     *
     * @param position 0 or more
     * @param count how many (fewer when the listing ends before)
     * @return the change
     */
    public static FakeChange removeAt(int position, int count) {
        return new FakeChange(false, count, Where.AT, position, s -> true, List.of());
    }

    /**
     * Creates {@code count} snapshots at random positions before the cursor (the offset of the
     * list request the change is applied before): each one shifts the rest of the listing by one.
     *
     * @param count how many
     * @return the change
     */
    public static FakeChange createBeforeCursor(int count) {
        return new FakeChange(true, count, Where.BEFORE_CURSOR, 0, s -> true, List.of());
    }

    /**
     * Removes {@code count} snapshots drawn at random among the eligible ones before the cursor
     * (fewer when there are not that many).
     *
     * @param count how many
     * @param eligible which may be removed, e.g. those the test created to be short-lived
     * @return the change
     */
    public static FakeChange removeBeforeCursor(int count, Predicate<Snapshot> eligible) {
        return new FakeChange(false, count, Where.BEFORE_CURSOR, 0, eligible, List.of());
    }

    /**
     * Creates {@code count} snapshots at random positions at or after the cursor.
     *
     * @param count how many
     * @return the change
     */
    public static FakeChange createAfterCursor(int count) {
        return new FakeChange(true, count, Where.AFTER_CURSOR, 0, s -> true, List.of());
    }

    /**
     * Creates {@code count} snapshots at random positions anywhere in the listing order.
     *
     * @param count how many
     * @return the change
     */
    public static FakeChange createAnywhere(int count) {
        return new FakeChange(true, count, Where.ANYWHERE, 0, s -> true, List.of());
    }

    /**
     * Removes {@code count} snapshots drawn at random among the eligible ones anywhere.
     *
     * @param count how many
     * @param eligible which may be removed
     * @return the change
     */
    public static FakeChange removeAnywhere(int count, Predicate<Snapshot> eligible) {
        return new FakeChange(false, count, Where.ANYWHERE, 0, eligible, List.of());
    }

    /**
     * This change, then another, applied together.
     *
     * @param next the other change
     * @return the combined change
     */
    public FakeChange and(FakeChange next) {
        List<FakeChange> all = new ArrayList<>(then);
        all.add(Objects.requireNonNull(next, "next"));
        return new FakeChange(create, count, where, position, eligible, all);
    }

    /** Applies the change to the store, for a list request at {@code cursor}. */
    void apply(FakeSnapshotStore store, long cursor, java.util.Random random, ChangeIds ids,
            String organizationId) {
        for (int i = 0; i < count; i++) {
            int size = store.size();
            int bound = (int) Math.min(cursor, size);
            if (create) {
                int at = switch (where) {
                    case AT -> position + i;
                    case BEFORE_CURSOR -> random.nextInt(bound + 1);
                    case AFTER_CURSOR -> bound + random.nextInt(size - bound + 1);
                    case ANYWHERE -> random.nextInt(size + 1);
                };
                store.insert(at, ids.next(organizationId));
            } else {
                int from = where == Where.AT ? Math.min(position, size) : 0;
                int to = where == Where.BEFORE_CURSOR ? bound : size;
                List<Integer> candidates = new ArrayList<>();
                for (int p = from; p < to; p++) {
                    if (eligible.test(store.at(p))) {
                        candidates.add(p);
                    }
                }
                if (candidates.isEmpty()) {
                    break;
                }
                int at = where == Where.AT ? candidates.get(0) : candidates.get(random.nextInt(candidates.size()));
                store.removeAt(at);
            }
        }
        for (FakeChange next : then) {
            next.apply(store, cursor, random, ids, organizationId);
        }
    }

    @Override
    public String toString() {
        return "FakeChange{" + (create ? "create " : "remove ") + count + " " + where.name().toLowerCase(Locale.ROOT)
                + (where == Where.AT ? " " + position : "") + (then.isEmpty() ? "" : ", then " + then) + '}';
    }

    /** The ids and names of the snapshots that changes create. */
    static final class ChangeIds {
        private long next;

        synchronized Snapshot next(String organizationId) {
            long n = ++next;
            Instant now = Instant.parse("2026-06-01T00:00:00Z").plusSeconds(n);
            return new Snapshot(String.format(Locale.ROOT, "chg-%06d", n), "created-" + n, 1_073_741_824L, now, now,
                    null, organizationId, "vol-chg", "fra", SnapshotStatus.AVAILABLE, SnapshotType.LOCAL);
        }
    }
}
