package io.github.reactivekoyeb.snapshots.internal;

import io.github.reactivekoyeb.snapshots.ClientEventListener;
import io.github.reactivekoyeb.snapshots.KoyebErrorDetails;
import io.github.reactivekoyeb.snapshots.KoyebListingDriftException;
import io.github.reactivekoyeb.snapshots.ListSnapshotsRequest;
import io.github.reactivekoyeb.snapshots.Snapshot;
import io.github.reactivekoyeb.snapshots.SnapshotPage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * A consistent listing's {@link Pager.Policy}: pages that overlap, re-reading the last
 * {@code overlap} positions of the previous page, so that a shift of the collection under the
 * cursor is measured instead of suffered.
 *
 * <p>It remembers the last {@value #ANCHORS} snapshots it emitted (their ids and where they
 * stood), nothing else: memory is O(page + {@value #ANCHORS}), whatever the listing's length. In
 * each page it finds the latest of them (the anchor); what follows it and has not been emitted is
 * new to the listing and is emitted; what comes before it was emitted already or was created
 * meanwhile. Snapshots created or removed before the cursor shift the anchor, not the result.
 * That holds as long as the relative order of the snapshots that stay does not change, which is
 * how an offset-paged API lists.
 *
 * <p>The page after a page starts {@code overlap} positions before that page's end. While fewer
 * than {@code overlap} snapshots are removed before the cursor between two page requests (and no
 * more than a page is created), the anchor is in the next page and no extra request is sent. Past
 * that, a repair: windows of the largest page before the cursor, then after it, up to
 * {@value #MAX_REPAIRS} requests, and the overlap widens (up to {@value #ANCHORS}) while shifts
 * that large go on, narrowing again by one a page when they stop. If none of the remembered
 * snapshots is found again, the listing fails with {@link KoyebListingDriftException}: never a
 * silent hole.
 */
final class ConsistentPaging implements Pager.Policy {

    /** How many of the last snapshots emitted are remembered as anchors. */
    static final int ANCHORS = 32;
    /** The most repair requests in a row before the listing drifts. */
    static final int MAX_REPAIRS = 4;

    private static final int MAX_LIMIT = ListSnapshotsRequest.MAX_PAGE_SIZE;

    private final BiFunction<Long, Integer, Mono<SnapshotPage>> fetch;
    private final long startOffset;
    private final int pageSize;
    private final int baseOverlap;
    private final ClientEventListener listener;

    /** The last snapshots emitted, by id: the order they were emitted in and where they stood. */
    private final Map<String, long[]> anchors = new HashMap<>();
    private final String[] ring = new String[ANCHORS];
    private long emitted;
    /** The position after the last page read, as it read; -1 before the first page. */
    private long cursor = -1;
    private int overlap;
    private int repairs;
    private int stalls;
    private long repairWindow = -1;

    ConsistentPaging(BiFunction<Long, Integer, Mono<SnapshotPage>> fetch, long startOffset, int pageSize,
            ClientEventListener listener) {
        this.fetch = fetch;
        this.startOffset = startOffset;
        this.pageSize = pageSize;
        this.baseOverlap = baseOverlap(pageSize);
        this.overlap = baseOverlap;
        this.listener = listener;
    }

    /**
     * The overlap of a page size: a tenth and a little less, so that with no change a consistent
     * listing reads at most 10% more bytes than a plain one, and at least 1.
     */
    static int baseOverlap(int pageSize) {
        return Math.max(1, Math.min(pageSize / 11, ANCHORS));
    }

    @Override
    public long firstOffset() {
        return startOffset;
    }

    private int limitAt(long offset) {
        if (offset == repairWindow) {
            return MAX_LIMIT;
        }
        return cursor < 0 && offset == startOffset ? pageSize : Math.min(MAX_LIMIT, pageSize + overlap);
    }

    @Override
    public Mono<SnapshotPage> fetch(long offset) {
        return fetch.apply(offset, limitAt(offset));
    }

    @Override
    public long guessAfter(long offset) {
        return offset + limitAt(offset) - overlap;
    }

    @Override
    public Pager.Step onPage(long requested, SnapshotPage page) {
        List<Snapshot> items = page.snapshots();
        long at = page.offset();
        if (cursor < 0) {
            remember(items, at, 0);
            cursor = at + items.size();
            return new Pager.Step(items.isEmpty() ? null : page, next(items.size()),
                    !page.hasNext() || items.isEmpty());
        }
        int found = -1;
        long latest = -1;
        long anchorPosition = 0;
        for (int i = 0; i < items.size(); i++) {
            long[] anchor = anchors.get(items.get(i).id());
            if (anchor != null && anchor[0] > latest) {
                latest = anchor[0];
                anchorPosition = anchor[1];
                found = i;
            }
        }
        if (found < 0) {
            if (items.isEmpty() && at == 0 && !page.hasNext()) {
                return new Pager.Step(null, 0, true); // nothing is left: everything that stayed was emitted
            }
            return repair(requested, items.size());
        }
        adapt(at + found - anchorPosition);
        List<Snapshot> fresh = new ArrayList<>(items.size() - found);
        for (int i = found + 1; i < items.size(); i++) {
            if (!anchors.containsKey(items.get(i).id())) {
                fresh.add(items.get(i));
            }
        }
        remember(items, at, found + 1);
        long before = cursor;
        cursor = at + items.size();
        repairs = 0;
        repairWindow = -1;
        if (fresh.isEmpty() && cursor <= before) {
            // nothing new and no step forward: a server that answers another offset than asked
            // would keep the listing in place for ever; it gets a typed error instead
            if (++stalls > MAX_REPAIRS) {
                throw drifted();
            }
        } else {
            stalls = 0;
        }
        SnapshotPage emit = fresh.isEmpty() ? null : new SnapshotPage(fresh, at + found + 1, page.limit(),
                page.hasNext());
        return new Pager.Step(emit, next(items.size()), !page.hasNext());
    }

    /** The next request: {@code overlap} positions back from the cursor, fewer when pages are that short. */
    private long next(int pageLength) {
        overlap = Math.min(overlap, Math.max(0, pageLength - 1));
        return Math.max(0, cursor - overlap);
    }

    /** Widens the overlap after a shift to the left (removals) as large as it, narrows it slowly after. */
    private void adapt(long shift) {
        if (-shift >= overlap) {
            overlap = (int) Math.min(ANCHORS, Math.max(overlap, -shift + baseOverlap));
        } else if (overlap > baseOverlap) {
            overlap--;
        }
    }

    /** A window before the cursor, then after it, for the anchor that the last page did not hold. */
    private Pager.Step repair(long requested, int pageLength) {
        repairs++;
        if (repairs > MAX_REPAIRS) {
            throw drifted();
        }
        long window;
        if (repairs <= MAX_REPAIRS / 2) {
            window = Math.max(0, cursor - (long) MAX_LIMIT * repairs);
        } else {
            window = requested + Math.max(pageLength, 1) + (long) MAX_LIMIT * (repairs - MAX_REPAIRS / 2 - 1);
        }
        if (window == repairWindow) {
            window = requested + Math.max(pageLength, 1); // the window before reached 0 already
        }
        overlap = Math.min(ANCHORS, overlap * 2);
        repairWindow = window;
        listener.onListingRepair(window, repairs);
        return new Pager.Step(null, window, false);
    }

    private static KoyebListingDriftException drifted() {
        return new KoyebListingDriftException(ANCHORS, MAX_REPAIRS,
                KoyebErrorDetails.builder("GET", "/v1/snapshots").attempts(MAX_REPAIRS).build());
    }

    /**
     * Remembers the page's snapshots from {@code from} on as the latest emitted, at their
     * positions; only the last {@value #ANCHORS} of them can be anchors, so only those are kept.
     */
    private void remember(List<Snapshot> items, long at, int from) {
        for (int i = Math.max(from, items.size() - ANCHORS); i < items.size(); i++) {
            String id = items.get(i).id();
            if (id == null || anchors.containsKey(id)) {
                continue;
            }
            int slot = (int) (emitted % ANCHORS);
            @Nullable String evicted = ring[slot];
            if (evicted != null) {
                anchors.remove(evicted);
            }
            ring[slot] = id;
            anchors.put(id, new long[] {emitted++, at + i});
        }
    }
}
