package io.github.reactivekoyeb.snapshots.bench;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * A server that is never the bottleneck: every page of the listing and the one snapshot reply are
 * rendered once, up front, and served as bytes; an optional delay per request stands for a distant
 * API.
 */
final class PageServer implements AutoCloseable {

    static final int PAGE_SIZE = 100;

    private final byte[][] pages;
    private final byte[][] gzipPages;
    /** Each snapshot's JSON, for the pages at other offsets than multiples of the page size. */
    private final byte[][] items;
    private final int total;
    private final java.util.Map<Long, byte[]> windows = new java.util.concurrent.ConcurrentHashMap<>();
    private final AtomicLong bodyBytes = new AtomicLong();
    private volatile boolean compression;
    private volatile long bitsPerSecond;
    private final byte[] snapshotReply;
    private final DisposableServer server;
    private final AtomicLong connections = new AtomicLong();
    private final AtomicLong requests = new AtomicLong();
    private volatile Duration latency = Duration.ZERO;

    PageServer(int total) {
        int pageCount = Math.max(1, (total + PAGE_SIZE - 1) / PAGE_SIZE);
        pages = new byte[pageCount][];
        for (int p = 0; p < pageCount; p++) {
            pages[p] = renderPage(p, total).getBytes(StandardCharsets.UTF_8);
        }
        gzipPages = new byte[pageCount][];
        for (int p = 0; p < pageCount; p++) {
            gzipPages[p] = gzip(pages[p]);
        }
        this.total = total;
        items = new byte[total][];
        for (int i = 0; i < total; i++) {
            items[i] = renderSnapshot(i + 1).getBytes(StandardCharsets.UTF_8);
        }
        snapshotReply = ("{\"snapshot\":" + renderSnapshot(1) + "}").getBytes(StandardCharsets.UTF_8);
        server = HttpServer.create().host("127.0.0.1").port(0)
                .doOnChannelInit((observer, channel, address) -> connections.incrementAndGet())
                .handle((request, response) -> {
                    requests.incrementAndGet();
                    String accepted = request.requestHeaders().get("Accept-Encoding");
                    boolean gzip = compression && accepted != null && accepted.contains("gzip");
                    byte[] body = route(request.uri(), gzip);
                    if (gzip && body != snapshotReply) {
                        response.header("Content-Encoding", "gzip");
                    }
                    bodyBytes.addAndGet(body.length);
                    Mono<Void> send = response.header("Content-Type", "application/json")
                            .header("Content-Length", String.valueOf(body.length))
                            .send(Mono.just(Unpooled.wrappedBuffer(body))).then();
                    // a slow link: the body takes its size over the bandwidth to cross it
                    long bps = bitsPerSecond;
                    Duration delay = bps == 0 ? latency : latency.plusNanos(body.length * 8L * 1_000_000_000L / bps);
                    return delay.isZero() ? send : Mono.delay(delay).then(send);
                })
                .bindNow();
    }

    private byte[] route(String uri, boolean gzip) {
        if (!uri.startsWith("/v1/snapshots?")) {
            return snapshotReply;
        }
        var parameters = new QueryStringDecoder(uri).parameters();
        List<String> offsetParameter = parameters.get("offset");
        List<String> limitParameter = parameters.get("limit");
        long offset = Long.parseLong(offsetParameter == null ? "0" : offsetParameter.get(0));
        int limit = Math.min(PAGE_SIZE, Integer.parseInt(limitParameter == null ? "100" : limitParameter.get(0)));
        if (offset % PAGE_SIZE == 0 && limit == PAGE_SIZE) {
            int index = (int) (offset / PAGE_SIZE);
            if (index >= pages.length) {
                return "{\"snapshots\":[],\"limit\":\"100\",\"has_next\":false}".getBytes(StandardCharsets.UTF_8);
            }
            return gzip ? gzipPages[index] : pages[index];
        }
        // another window (a consistent listing's overlapping pages): assembled from the rendered
        // items, and kept (below a million snapshots) so that after the warm-up it costs what a
        // pre-rendered page does
        byte[] page = total > 200_000 ? window(offset, limit)
                : windows.computeIfAbsent(offset * 1_000 + limit, key -> window(offset, limit));
        return gzip ? gzip(page) : page;
    }

    private byte[] window(long offset, int limit) {
        int from = (int) Math.min(offset, total);
        int to = Math.min(total, from + limit);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(450 * limit);
        out.writeBytes("{\"snapshots\":[".getBytes(StandardCharsets.UTF_8));
        for (int i = from; i < to; i++) {
            if (i > from) {
                out.write(',');
            }
            out.writeBytes(items[i]);
        }
        out.writeBytes(("],\"limit\":\"" + limit + "\",\"offset\":\"" + offset + "\",\"has_next\":" + (to < total)
                + "}").getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private static String renderPage(int page, int total) {
        int from = page * PAGE_SIZE;
        int to = Math.min(total, from + PAGE_SIZE);
        StringBuilder sb = new StringBuilder(450 * PAGE_SIZE).append("{\"snapshots\":[");
        for (int i = from; i < to; i++) {
            sb.append(i == from ? "" : ",").append(renderSnapshot(i + 1));
        }
        return sb.append("],\"limit\":\"").append(PAGE_SIZE).append("\",\"offset\":\"").append(from)
                .append("\",\"has_next\":").append(to < total).append('}').toString();
    }

    /** One snapshot as Koyeb renders it (int64 as strings, RFC 3339 timestamps). */
    static String renderSnapshot(int n) {
        return "{\"id\":\"8c6d2e0a-" + String.format("%04x-4%03x-a%03x-%012x", n & 0xFFFF, n % 4096, (n * 7) % 4096, n)
                + "\",\"name\":\"nightly-backup-" + n + "\",\"size\":\"" + (10_737_418_240L + n)
                + "\",\"created_at\":\"2026-03-14T09:26:53.589793Z\",\"updated_at\":\"2026-03-14T09:31:02.384626Z\""
                + ",\"deleted_at\":null,\"organization_id\":\"4f7d2a6b-8c1e-4b3a-9f5d-2e6c8a1b7d3f\""
                + ",\"parent_volume_id\":\"b2e9c4d1-7a3f-4e8b-9c6d-1f2a3b4c5d6e\",\"region\":\"fra\""
                + ",\"status\":\"SNAPSHOT_STATUS_AVAILABLE\",\"type\":\"SNAPSHOT_TYPE_REMOTE\"}";
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.port();
    }

    void latency(Duration latency) {
        this.latency = latency;
    }

    /** Whether pages are sent gzip-compressed to a request that accepts it, as Koyeb does. */
    void compression(boolean enabled) {
        this.compression = enabled;
    }

    /** A link of this bandwidth between client and server; 0 for loopback speed. */
    void bandwidth(long bitsPerSecond) {
        this.bitsPerSecond = bitsPerSecond;
    }

    /** The bytes of bodies sent so far. */
    long bodyBytes() {
        return bodyBytes.get();
    }

    private static byte[] gzip(byte[] plain) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(plain.length / 4);
        try (java.util.zip.GZIPOutputStream zip = new java.util.zip.GZIPOutputStream(out)) {
            zip.write(plain);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    long connections() {
        return connections.get();
    }

    long requests() {
        return requests.get();
    }

    int pageBytes() {
        return pages[0].length;
    }

    @Override
    public void close() {
        server.disposeNow();
    }
}
