package io.github.reactivekoyeb.snapshots;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One page of a snapshot listing, as emitted by
 * {@link ReactiveSnapshotsClient#listSnapshotPages(ListSnapshotsRequest)}.
 *
 * <p>Immutable. {@code offset} and {@code limit} are those the server reported for this page
 * (or those the client asked for when the server omitted them); the next page starts at
 * {@code offset + limit}. Its JSON form is the API's {@code ListSnapshotsReply}
 * ({@code snapshots}, {@code offset}, {@code limit}, {@code has_next}).
 *
 * @param snapshots the snapshots of this page, in the server's order (null reads as empty)
 * @param offset the offset of the first snapshot of this page in the whole listing
 * @param limit the page size this page was served with
 * @param hasNext whether the server reported more snapshots after this page
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"snapshots", "offset", "limit", "has_next"})
public record SnapshotPage(
        @JsonProperty("snapshots") List<Snapshot> snapshots,
        @JsonProperty("offset") long offset,
        @JsonProperty("limit") long limit,
        @JsonProperty("has_next") boolean hasNext) {

    /**
     * Copies the list; a null list (a reply without {@code snapshots}) reads as empty.
     *
     * @param snapshots the snapshots of this page, or null for none
     * @param offset the offset of the first snapshot of this page
     * @param limit the page size this page was served with
     * @param hasNext whether more snapshots follow
     * @throws NullPointerException if {@code snapshots} holds null
     */
    public SnapshotPage(@Nullable List<Snapshot> snapshots, long offset, long limit, boolean hasNext) {
        this.snapshots = snapshots == null ? List.of() : List.copyOf(snapshots);
        this.offset = offset;
        this.limit = limit;
        this.hasNext = hasNext;
    }
}
