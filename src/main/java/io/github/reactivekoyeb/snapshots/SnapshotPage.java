package io.github.reactivekoyeb.snapshots;

import java.util.List;
import java.util.Objects;

/**
 * One page of a snapshot listing, as emitted by
 * {@link ReactiveSnapshotsClient#listSnapshotPages(ListSnapshotsRequest)}.
 *
 * <p>Immutable. {@code offset} and {@code limit} are those the server reported for this page
 * (or those the client asked for when the server omitted them); the next page starts at
 * {@code offset + limit}.
 *
 * @param snapshots the snapshots of this page, in the server's order (never null, may be empty)
 * @param offset the offset of the first snapshot of this page in the whole listing
 * @param limit the page size this page was served with
 * @param hasNext whether the server reported more snapshots after this page
 */
public record SnapshotPage(List<Snapshot> snapshots, long offset, long limit, boolean hasNext) {

    /**
     * Checks and copies the arguments.
     *
     * @throws NullPointerException if {@code snapshots} is null or holds null
     */
    public SnapshotPage {
        snapshots = List.copyOf(Objects.requireNonNull(snapshots, "snapshots"));
    }
}
