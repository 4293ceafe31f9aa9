package io.github.reactivekoyeb.snapshots;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;

/**
 * Filters and paging for {@link ReactiveSnapshotsClient#listSnapshots(ListSnapshotsRequest)} and
 * {@link ReactiveSnapshotsClient#listSnapshotPages(ListSnapshotsRequest)}.
 *
 * <p>Immutable; build one with {@link #builder()}. The builder checks each value as it is set
 * and throws at once: a page size outside {@value #MIN_PAGE_SIZE}..{@value #MAX_PAGE_SIZE} or a
 * negative offset gives {@link IllegalArgumentException}, a null argument
 * {@link NullPointerException}.
 *
 * <pre>{@code
 * ListSnapshotsRequest request = ListSnapshotsRequest.builder()
 *         .statuses(SnapshotStatus.AVAILABLE, SnapshotStatus.CREATING)
 *         .region("fra")
 *         .pageSize(50)
 *         .build();
 * }</pre>
 */
public final class ListSnapshotsRequest {

    /** The page size used when neither the request nor the client sets one: {@value}. */
    public static final int DEFAULT_PAGE_SIZE = 100;
    /** The smallest page size the client sends: {@value}. */
    public static final int MIN_PAGE_SIZE = 1;
    /** The largest page size the client sends (the API's own maximum): {@value}. */
    public static final int MAX_PAGE_SIZE = 100;
    /** The largest read-ahead, in pages: {@value}. */
    public static final int MAX_READ_AHEAD = 16;

    private static final ListSnapshotsRequest ALL = builder().build();

    private final @Nullable String organizationId;
    private final List<SnapshotStatus> statuses;
    private final @Nullable String region;
    private final int pageSize; // 0: not set
    private final long startOffset;
    private final int readAhead; // -1: not set, the client's default applies

    private ListSnapshotsRequest(Builder builder) {
        this.organizationId = builder.organizationId;
        this.statuses = List.copyOf(builder.statuses);
        this.region = builder.region;
        this.pageSize = builder.pageSize;
        this.startOffset = builder.startOffset;
        this.readAhead = builder.readAhead;
    }

    /**
     * A request for every snapshot, with the client's default page size.
     *
     * @return the shared unfiltered request
     */
    public static ListSnapshotsRequest all() {
        return ALL;
    }

    /**
     * A builder with no filter, no page size (the client's default applies) and offset 0.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder holding this request's values.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        Builder builder = new Builder();
        builder.organizationId = organizationId;
        builder.statuses.addAll(statuses);
        builder.region = region;
        builder.pageSize = pageSize;
        builder.startOffset = startOffset;
        builder.readAhead = readAhead;
        return builder;
    }

    /**
     * The organization filter, sent as {@code organization_id}.
     *
     * @return the organization id, or null for no filter
     */
    public @Nullable String organizationId() {
        return organizationId;
    }

    /**
     * The status filter, sent as repeated {@code statuses} query parameters.
     *
     * @return an unmodifiable list, empty for no filter
     */
    public List<SnapshotStatus> statuses() {
        return statuses;
    }

    /**
     * The region filter, sent as {@code region}.
     *
     * @return the region, or null for no filter
     */
    public @Nullable String region() {
        return region;
    }

    /**
     * The page size, sent as {@code limit}.
     *
     * @return the page size, or empty when the client's default applies
     */
    public OptionalInt pageSize() {
        return pageSize == 0 ? OptionalInt.empty() : OptionalInt.of(pageSize);
    }

    /**
     * The offset of the first page, sent as {@code offset}; use it to resume a listing.
     *
     * @return the start offset, 0 by default
     */
    public long startOffset() {
        return startOffset;
    }

    /**
     * How many page requests this request keeps in flight ahead of demand, shaped like
     * {@link #pageSize()}.
     *
     * @return 0 to {@value #MAX_READ_AHEAD}, or empty when the request sets none and the client's
     *     default ({@code ReactiveSnapshotsClient.Builder.defaultReadAhead}, Boot's
     *     {@code koyeb.snapshots.read-ahead}, itself 0 unless configured) applies
     * @see Builder#readAhead(int)
     */
    public OptionalInt readAhead() {
        return readAhead < 0 ? OptionalInt.empty() : OptionalInt.of(readAhead);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ListSnapshotsRequest other
                && Objects.equals(organizationId, other.organizationId)
                && statuses.equals(other.statuses)
                && Objects.equals(region, other.region)
                && pageSize == other.pageSize
                && startOffset == other.startOffset
                && readAhead == other.readAhead;
    }

    @Override
    public int hashCode() {
        return Objects.hash(organizationId, statuses, region, pageSize, startOffset, readAhead);
    }

    @Override
    public String toString() {
        return "ListSnapshotsRequest{organizationId=" + organizationId + ", statuses=" + statuses
                + ", region=" + region + ", pageSize=" + (pageSize == 0 ? "default" : pageSize)
                + ", startOffset=" + startOffset + ", readAhead=" + (readAhead < 0 ? "default" : readAhead) + '}';
    }

    /** Builds a {@link ListSnapshotsRequest}; each setter checks its value at once. Not thread-safe. */
    public static final class Builder {
        private @Nullable String organizationId;
        private final List<SnapshotStatus> statuses = new ArrayList<>();
        private @Nullable String region;
        private int pageSize;
        private long startOffset;
        private int readAhead = -1;

        private Builder() {
        }

        /**
         * Lists only the snapshots of one organization.
         *
         * @param organizationId the organization id, or null for no filter
         * @return this builder
         */
        public Builder organizationId(@Nullable String organizationId) {
            this.organizationId = organizationId;
            return this;
        }

        /**
         * Lists only snapshots in one of these statuses; replaces any statuses set before.
         *
         * @param statuses the statuses; none for no filter
         * @return this builder
         * @throws NullPointerException if the array or one of its elements is null
         * @throws IllegalArgumentException for {@link SnapshotStatus#UNKNOWN}, which has no wire value
         */
        public Builder statuses(SnapshotStatus... statuses) {
            Objects.requireNonNull(statuses, "statuses");
            return statuses(List.of(statuses));
        }

        /**
         * Lists only snapshots in one of these statuses; replaces any statuses set before.
         *
         * @param statuses the statuses; empty for no filter
         * @return this builder
         * @throws NullPointerException if the collection or one of its elements is null
         * @throws IllegalArgumentException for {@link SnapshotStatus#UNKNOWN}, which has no wire value
         */
        public Builder statuses(Iterable<SnapshotStatus> statuses) {
            Objects.requireNonNull(statuses, "statuses");
            List<SnapshotStatus> checked = new ArrayList<>();
            for (SnapshotStatus status : statuses) {
                Objects.requireNonNull(status, "statuses must not contain null");
                if (status == SnapshotStatus.UNKNOWN) {
                    throw new IllegalArgumentException("UNKNOWN is not a status the API can filter on");
                }
                if (!checked.contains(status)) {
                    checked.add(status);
                }
            }
            this.statuses.clear();
            this.statuses.addAll(checked);
            return this;
        }

        /**
         * Lists only the snapshots of one region.
         *
         * @param region the region, e.g. {@code fra}, or null for no filter
         * @return this builder
         */
        public Builder region(@Nullable String region) {
            this.region = region;
            return this;
        }

        /**
         * The number of snapshots asked for per request.
         *
         * @param pageSize {@value #MIN_PAGE_SIZE} to {@value #MAX_PAGE_SIZE}
         * @return this builder
         * @throws IllegalArgumentException if the size is outside that range
         */
        public Builder pageSize(int pageSize) {
            if (pageSize < MIN_PAGE_SIZE || pageSize > MAX_PAGE_SIZE) {
                throw new IllegalArgumentException("pageSize must be between " + MIN_PAGE_SIZE + " and "
                        + MAX_PAGE_SIZE + ", was " + pageSize);
            }
            this.pageSize = pageSize;
            return this;
        }

        /**
         * The offset of the first page: a listing started here resumes an earlier one.
         *
         * @param startOffset 0 or more
         * @return this builder
         * @throws IllegalArgumentException if the offset is negative
         */
        public Builder startOffset(long startOffset) {
            if (startOffset < 0) {
                throw new IllegalArgumentException("startOffset must not be negative, was " + startOffset);
            }
            this.startOffset = startOffset;
            return this;
        }

        /**
         * Keeps up to {@code pages} page requests in flight ahead of demand, for listings from a
         * distant API: with read-ahead {@code k} and a round trip of {@code t}, a fast consumer
         * gets a page about every {@code t / k} instead of every {@code t}.
         *
         * <p>Snapshots are still emitted in exactly the server's order, each once: pages arriving
         * out of order wait for their turn, and pages requested past the end of the listing are
         * cancelled or dropped. The next offsets are predicted from the page size; if the server
         * pages differently (it caps the page size, say) the client drops its guesses and follows
         * the reply. Memory holds at most {@code pages} pages besides the one being emitted.
         * {@code take(5)} sends at most {@code max(1, pages)} requests; cancelling sends no further
         * request and cuts those in flight (their connections are closed, never returned to the
         * pool); a failed page is retried on its own.
         *
         * <p>Offset paging reads a collection that may change meanwhile; read-ahead widens the
         * window in which a snapshot created or deleted during the listing shifts a later page.
         *
         * @param pages 0 (the default: a page is requested only when the subscriber needs it) to
         *     {@value #MAX_READ_AHEAD}
         * @return this builder
         * @throws IllegalArgumentException if outside that range
         */
        public Builder readAhead(int pages) {
            if (pages < 0 || pages > MAX_READ_AHEAD) {
                throw new IllegalArgumentException("readAhead must be between 0 and " + MAX_READ_AHEAD + ", was " + pages);
            }
            this.readAhead = pages;
            return this;
        }

        /**
         * Builds the immutable request.
         *
         * @return a new request
         */
        public ListSnapshotsRequest build() {
            return new ListSnapshotsRequest(this);
        }
    }
}
