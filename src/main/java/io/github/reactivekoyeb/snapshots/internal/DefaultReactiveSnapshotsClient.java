package io.github.reactivekoyeb.snapshots.internal;

import io.github.reactivekoyeb.snapshots.ClientEventListener;
import io.github.reactivekoyeb.snapshots.CreateSnapshotRequest;
import io.github.reactivekoyeb.snapshots.ListSnapshotsRequest;
import io.github.reactivekoyeb.snapshots.ReactiveSnapshotsClient;
import io.github.reactivekoyeb.snapshots.Snapshot;
import io.github.reactivekoyeb.snapshots.SnapshotEvent;
import io.github.reactivekoyeb.snapshots.SnapshotPage;
import io.github.reactivekoyeb.snapshots.SnapshotStatus;
import io.github.reactivekoyeb.snapshots.UpdateSnapshotRequest;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpMethod;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The client: turns each operation into {@link ApiRequest}s for the {@link HttpExchanger}. */
final class DefaultReactiveSnapshotsClient implements ReactiveSnapshotsClient {

    private static final String COLLECTION = "/v1/snapshots";
    private static final String ITEM_TEMPLATE = "/v1/snapshots/{id}";

    private final HttpExchanger exchanger;
    private final String baseUrl;
    private final int defaultPageSize;
    private final ClientEventListener listener;
    private final Runnable onClose;
    private final @Nullable PoolMetrics poolMetrics;
    private final int defaultReadAhead;

    DefaultReactiveSnapshotsClient(HttpExchanger exchanger, String baseUrl, int defaultPageSize,
            ClientEventListener listener, Runnable onClose, @Nullable PoolMetrics poolMetrics, int defaultReadAhead) {
        this.exchanger = exchanger;
        this.baseUrl = baseUrl;
        this.defaultPageSize = defaultPageSize;
        this.listener = listener;
        this.onClose = onClose;
        this.poolMetrics = poolMetrics;
        this.defaultReadAhead = defaultReadAhead;
    }

    @Override
    public Mono<Snapshot> createSnapshot(CreateSnapshotRequest request) {
        Objects.requireNonNull(request, "request");
        byte[] body = WireJson.get().write(request);
        return exchanger.exchange(new ApiRequest(HttpMethod.POST, COLLECTION, COLLECTION, null, body, false),
                DefaultReactiveSnapshotsClient::readSnapshot);
    }

    @Override
    public Mono<Snapshot> getSnapshot(String id) {
        return exchanger.exchange(item(HttpMethod.GET, id), DefaultReactiveSnapshotsClient::readSnapshot);
    }

    @Override
    public Mono<Snapshot> updateSnapshot(String id, UpdateSnapshotRequest request) {
        checkId(id);
        Objects.requireNonNull(request, "request");
        ApiRequest update = new ApiRequest(HttpMethod.POST, ITEM_TEMPLATE, itemPath(id), null,
                WireJson.get().write(request), false);
        return exchanger.exchange(update, DefaultReactiveSnapshotsClient::readSnapshot);
    }

    @Override
    public Mono<Snapshot> deleteSnapshot(String id) {
        return exchanger.exchange(item(HttpMethod.DELETE, id), DefaultReactiveSnapshotsClient::readSnapshot);
    }

    @Override
    public Flux<Snapshot> listSnapshots() {
        return listSnapshots(ListSnapshotsRequest.all());
    }

    @Override
    public Flux<Snapshot> listSnapshots(ListSnapshotsRequest request) {
        return new PageFlattener(listSnapshotPages(request));
    }

    @Override
    public Flux<SnapshotPage> listSnapshotPages(ListSnapshotsRequest request) {
        Objects.requireNonNull(request, "request");
        int pageSize = request.pageSize().orElse(defaultPageSize);
        String filters = filterQuery(request);
        int readAhead = request.readAhead().orElse(defaultReadAhead);
        if (request.consistent()) {
            return new Pager(() -> new ConsistentPaging((offset, limit) -> fetchPage(filters, limit, offset),
                    request.startOffset(), pageSize, listener), readAhead);
        }
        return new Pager(Pager.plain(offset -> fetchPage(filters, pageSize, offset), request.startOffset(), pageSize),
                readAhead);
    }

    @Override
    public Flux<SnapshotEvent> watchSnapshots(ListSnapshotsRequest request, Duration interval) {
        return Watcher.watch(this, request, interval, listener);
    }

    private Mono<SnapshotPage> fetchPage(String filters, int limit, long offset) {
        String query = "limit=" + limit + "&offset=" + offset + filters;
        ApiRequest page = new ApiRequest(HttpMethod.GET, COLLECTION, COLLECTION, query, null, true);
        return exchanger.exchange(page, in -> {
            SnapshotPage fetched = toPage(WireJson.get().readListReply(in), limit, offset);
            listener.onPage(fetched.offset(), fetched.snapshots().size());
            return fetched;
        });
    }

    private static String filterQuery(ListSnapshotsRequest request) {
        StringBuilder query = new StringBuilder();
        if (request.organizationId() != null) {
            query.append("&organization_id=").append(UriEncoder.encode(request.organizationId()));
        }
        for (SnapshotStatus status : request.statuses()) {
            query.append("&statuses=").append(UriEncoder.encode(status.wireValue()));
        }
        if (request.region() != null) {
            query.append("&region=").append(UriEncoder.encode(request.region()));
        }
        return query.toString();
    }

    /** A list reply as a page: absent parts read as empty, or as what was asked for. */
    static SnapshotPage toPage(ListSnapshotsReply reply, int pageSize, long offset) {
        List<Snapshot> snapshots = reply.snapshots() == null ? List.of() : reply.snapshots();
        for (Snapshot snapshot : snapshots) {
            if (snapshot == null) {
                throw new MalformedReplyException("snapshots holds a null element");
            }
        }
        long pageOffset = reply.offset() == null || reply.offset() < 0 ? offset : reply.offset();
        long limit = reply.limit() == null || reply.limit() <= 0 ? pageSize : reply.limit();
        return new SnapshotPage(snapshots, pageOffset, limit, Boolean.TRUE.equals(reply.hasNext()));
    }

    private static Snapshot readSnapshot(InputStream in) {
        WireJson.SnapshotReply reply = WireJson.get().readSnapshotReply(in);
        if (reply == null || reply.snapshot() == null) {
            throw new MalformedReplyException("reply has no snapshot");
        }
        return reply.snapshot();
    }

    /** A bodiless, resendable request on one snapshot (get, delete). */
    private static ApiRequest item(HttpMethod method, String id) {
        checkId(id);
        return new ApiRequest(method, ITEM_TEMPLATE, itemPath(id), null, null, true);
    }

    private static String itemPath(String id) {
        return COLLECTION + '/' + UriEncoder.encode(id);
    }

    /** Rejects ids that could leave their path segment or forge a header, before any request. */
    static void checkId(String id) {
        Objects.requireNonNull(id, "id");
        if (id.isBlank()) {
            throw new IllegalArgumentException("id must not be blank");
        }
        if (id.equals(".") || id.equals("..")) {
            throw new IllegalArgumentException("id must not be '.' or '..'");
        }
        if (Text.hasControlCharacter(id)) {
            throw new IllegalArgumentException("id must not contain control characters");
        }
    }

    /** The metrics of the client's own pool; null when it runs on an application's builder. */
    @Nullable PoolMetrics poolMetrics() {
        return poolMetrics;
    }

    @Override
    public void close() {
        onClose.run();
    }

    @Override
    public String toString() {
        return "ReactiveSnapshotsClient{baseUrl=" + baseUrl + ", defaultPageSize=" + defaultPageSize + '}';
    }
}
