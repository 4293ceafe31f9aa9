package io.github.reactivekoyeb.snapshots.testing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.jspecify.annotations.Nullable;

/**
 * The changes scheduled before list requests ({@code GET /v1/snapshots}): one for every list
 * request, and some for chosen ones, counted from when they were scheduled. Applied one request at
 * a time, with the server's seeded random source, so that a run can be repeated. Thread-safe.
 */
final class ChangeScript {

    private final FakeSnapshotStore store;
    private final String organizationId;
    private final long seed;
    private final Random random;
    private final FakeChange.ChangeIds ids = new FakeChange.ChangeIds();
    private final Map<Integer, List<FakeChange>> chosen = new HashMap<>();
    private @Nullable FakeChange everyList;
    private int listRequests;

    ChangeScript(FakeSnapshotStore store, String organizationId, long seed) {
        this.store = store;
        this.organizationId = organizationId;
        this.seed = seed;
        this.random = new Random(seed);
    }

    long seed() {
        return seed;
    }

    synchronized void beforeEveryListRequest(@Nullable FakeChange change) {
        everyList = change;
    }

    synchronized void beforeListRequest(int n, FakeChange change) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be 1 (the next list request) or more, was " + n);
        }
        chosen.computeIfAbsent(listRequests + n, k -> new ArrayList<>()).add(change);
    }

    synchronized void clear() {
        chosen.clear();
        everyList = null;
    }

    /** Applies what is scheduled before this request, when it is a list request. */
    synchronized void beforeAnswer(RecordedRequest request) {
        if (!request.method().equals("GET") || !request.path().equals("/v1/snapshots")) {
            return;
        }
        listRequests++;
        long cursor;
        try {
            String offset = request.queryParameter("offset");
            cursor = offset == null || offset.isEmpty() ? 0 : Math.max(0, Long.parseLong(offset));
        } catch (NumberFormatException e) {
            cursor = 0;
        }
        List<FakeChange> now = chosen.remove(listRequests);
        if (now != null) {
            for (FakeChange change : now) {
                change.apply(store, cursor, random, ids, organizationId);
            }
        }
        FakeChange every = everyList;
        if (every != null) {
            every.apply(store, cursor, random, ids, organizationId);
        }
    }
}
