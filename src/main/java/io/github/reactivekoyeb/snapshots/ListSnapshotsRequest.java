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
    private final boolean consistent;

    private ListSnapshotsRequest(Builder builder) {
        this.organizationId = builder.organizationId;
        this.statuses = List.copyOf(builder.statuses);
        this.region = builder.region;
        this.pageSize = builder.pageSize;
        this.startOffset = builder.startOffset;
        this.readAhead = builder.readAhead;
        this.consistent = builder.consistent;
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
        builder.consistent = consistent;
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

    /**
     * Whether the listing stays exact while snapshots are created and removed.
     *
     * @return true when the request asks for it
     * @see Builder#consistent(boolean)
     */
    public boolean consistent() {
        return consistent;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ListSnapshotsRequest other
                && Objects.equals(organizationId, other.organizationId)
                && statuses.equals(other.statuses)
                && Objects.equals(region, other.region)
                && pageSize == other.pageSize
                && startOffset == other.startOffset
                && readAhead == other.readAhead && consistent == other.consistent;
    }

    @Override
    public int hashCode() {
        return Objects.hash(organizationId, statuses, region, pageSize, startOffset, readAhead, consistent);
    }

    @Override
    public String toString() {
        return "ListSnapshotsRequest{organizationId=" + organizationId + ", statuses=" + statuses
                + ", region=" + region + ", pageSize=" + (pageSize == 0 ? "default" : pageSize)
                + ", startOffset=" + startOffset + ", readAhead=" + (readAhead < 0 ? "default" : readAhead) + (consistent ? ", consistent" : "") + '}';
    }

    /** Builds a {@link ListSnapshotsRequest}; each setter checks its value at once. Not thread-safe. */
    public static final class Builder {
        private @Nullable String organizationId;
        private final List<SnapshotStatus> statuses = new ArrayList<>();
        private @Nullable String region;
        private int pageSize;
        private long startOffset;
        private int readAhead = -1;
        private boolean consistent;

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
         * Keeps the listing exact while other services create and remove snapshots: every
         * snapshot that exists and matches the filter for the whole listing is emitted exactly
         * once, and no id twice. Off by default: a plain listing sends exactly the
         * {@code offset + limit} requests of offset paging, and a snapshot created or removed
         * before its position while it runs can make it repeat one or skip one.
         *
         * <p>How: each page after the first starts a few positions before the end of the
         * previous one (its overlap, {@code pageSize / 11}, 1 to 9 for the usual sizes; the
         * page's {@code limit} grows by as much, up to 100) and finds there the last snapshots it
         * emitted, so that a shift of the collection is measured, not suffered; only what is new
         * to the listing is emitted. Memory stays that of a page and 32 ids, whatever the
         * listing's length. With no change, it reads at most 10% more bytes and, for pages of 90
         * or more, at most 10% more requests.
         *
         * <p><b>Bound:</b> while, between two page requests, fewer snapshots are removed before
         * the listing's position than the overlap and no more than a page is created there, no
         * extra request is sent. Past that bound it repairs itself: up to 4 requests for wider
         * windows, and a wider overlap while such shifts go on; if none of the last 32 snapshots
         * it emitted exists any more, it fails with {@link KoyebListingDriftException} rather
         * than leave a hole. It assumes what offset paging does: the snapshots that stay keep
         * their relative order.
         *
         * <p>It composes with read-ahead (guesses that a shift made wrong are dropped or still
         * used, the anchor found in them), {@code startOffset} (exact from there on), filters,
         * the retry of one page and cancellation. A page of a consistent listing
         * ({@code listSnapshotPages}) holds only what is new to the listing.
         *
         * @param consistent true for an exact listing
         * @return this builder
         */
        public Builder consistent(boolean consistent) {
            this.consistent = consistent;
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
