package io.github.reactivekoyeb.snapshots.testing;

import io.github.reactivekoyeb.snapshots.ErrorField;
import io.github.reactivekoyeb.snapshots.Snapshot;
import io.github.reactivekoyeb.snapshots.SnapshotStatus;
import io.github.reactivekoyeb.snapshots.SnapshotType;
import io.github.reactivekoyeb.snapshots.internal.WireJson;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPOutputStream;
import javax.net.ssl.KeyManagerFactory;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.Http11SslContextSpec;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.resources.LoopResources;

/**
 * A fake Koyeb Snapshots API for tests: a real non-blocking HTTP server (Reactor Netty) on
 * 127.0.0.1 and a random port, with Koyeb's semantics held in memory.
 *
 * <p><b>Store.</b> {@code GET /v1/snapshots} pages with {@code limit} (default 10, at most 100),
 * {@code offset} and {@code has_next}, and filters on {@code organization_id}, repeated
 * {@code statuses} and {@code region}. {@code POST /v1/snapshots} creates a snapshot in
 * {@code CREATING} that reads {@code AVAILABLE} after the creation delay, and answers 400 with
 * {@code fields} when {@code parent_volume_id} is missing. {@code POST /v1/snapshots/{id}}
 * renames; {@code DELETE} marks {@code DELETING}, then {@code DELETED} after the deletion delay.
 * An unknown id gives 404; with a token configured, a missing or wrong token gives 401. Like
 * Koyeb's protobuf JSON, 64-bit integers are sent as strings (configurable); answers are gzip-compressed
 * when the request accepts it (configurable), and {@link #bodyBytesWritten()} counts the bytes sent.
 *
 * <p><b>Scripts and faults.</b> {@link #enqueue(FakeResponse)} replaces the answer to the next
 * request (a status with {@code Retry-After}, a disconnect, a truncated body...);
 * {@link #failNext(int, int)} is the shorthand for N failures; {@link #latency(Duration)} delays
 * every answer.
 *
 * <p><b>Recording.</b> {@link #requests()} lists every request received, in order.
 *
 * <pre>{@code
 * try (FakeKoyebServer server = FakeKoyebServer.builder().token("test-token").build()) {
 *     server.seed(250);
 *     ReactiveSnapshotsClient client = ReactiveSnapshotsClient.builder()
 *             .baseUrl(server.baseUrl()).token("test-token").build();
 *     server.failNext(1, 503, "1");
 *     StepVerifier.create(client.listSnapshots()).expectNextCount(250).verifyComplete();
 *     assertThat(server.requests()).hasSize(4);
 * }
 * }</pre>
 *
 * <p>Thread-safe. {@link #builder()}{@code .build()} and {@link #start()} bind the port before
 * they return (a short blocking call, for test set-up threads only); {@link #close()} stops it.
 */
public final class FakeKoyebServer implements AutoCloseable {

    /** The page size of a list request without {@code limit}, as on Koyeb: {@value}. */
    public static final int DEFAULT_LIMIT = 10;
    /** The largest page the server returns: {@value}. */
    public static final int MAX_LIMIT = 100;

    private static final String COLLECTION = "/v1/snapshots";
    private static final String[] REGIONS = {"fra", "was", "sin"};

    private final FakeSnapshotStore store;
    private volatile @Nullable String token;
    private final String organizationId;
    private final String region;
    private final int maxLimit;
    private final WireJson json = WireJson.get();
    private final boolean int64AsStrings;
    private final Queue<FakeResponse> script = new ConcurrentLinkedQueue<>();
    private volatile @Nullable Storm storm;
    private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    private final AtomicLong ids = new AtomicLong();
    private final AtomicLong faultsServed = new AtomicLong();
    private final AtomicLong connectionsOpened = new AtomicLong();
    private final AtomicInteger openConnections = new AtomicInteger();
    private final AtomicInteger received = new AtomicInteger();
    private final boolean recordRequests;
    private final boolean compression;
    private final AtomicLong bodyBytesWritten = new AtomicLong();
    private volatile @Nullable RandomFaults randomFaults;
    private volatile Duration latency;
    private final LoopResources loops;
    private final DisposableServer server;
    private final String scheme;

    private FakeKoyebServer(Builder builder) {
        this.store = new FakeSnapshotStore(builder.clock, builder.creationDelay, builder.deletionDelay);
        this.token = builder.token;
        this.organizationId = builder.organizationId;
        this.region = builder.region;
        this.maxLimit = builder.maxLimit;
        this.latency = builder.latency;
        this.int64AsStrings = builder.int64AsStrings;
        this.recordRequests = builder.recordRequests;
        this.compression = builder.compression;
        // event loops of its own, not Reactor Netty's global ones: a Spring application context
        // that closes disposes the global resources (ReactorResourceFactory), and a server shared
        // by several test classes must keep serving until its own close()
        this.loops = LoopResources.create("fake-koyeb", 1, Math.max(2, Runtime.getRuntime().availableProcessors()),
                true);
        HttpServer http = HttpServer.create().runOn(loops);
        KeyManagerFactory keys = builder.tlsKeys;
        if (keys != null) {
            http = http.secure(spec -> spec.sslContext(Http11SslContextSpec.forServer(keys)));
        }
        this.scheme = keys == null ? "http" : "https";
        try {
            this.server = http
                    .host("127.0.0.1")
                    .port(builder.port)
                    .childOption(ChannelOption.SO_LINGER, -1)
                    .doOnChannelInit((observer, channel, address) -> {
                        connectionsOpened.incrementAndGet();
                        openConnections.incrementAndGet();
                        channel.closeFuture().addListener(closed -> openConnections.decrementAndGet());
                    })
                    .handle(this::handle)
                    .bindNow(Duration.ofSeconds(10));
        } catch (RuntimeException e) {
            loops.dispose();
            throw e;
        }
    }

    /**
     * Starts a server with the defaults: no token required, creation and deletion delays of
     * 1 s, no latency.
     *
     * @return the running server
     */
    public static FakeKoyebServer start() {
        return builder().build();
    }

    /**
     * A builder for a server with settings.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The base URL to give the client, e.g. {@code http://127.0.0.1:40123} ({@code https} when the
     * server was built with {@link Builder#https(KeyManagerFactory)}).
     *
     * @return the URL, without a trailing slash
     */
    public String baseUrl() {
        return scheme + "://127.0.0.1:" + server.port();
    }

    /**
     * The port the server listens on.
     *
     * @return the port
     */
    public int port() {
        return server.port();
    }

    // ---------------------------------------------------------------- store

    /**
     * Adds {@code count} generated snapshots, in order, after those already held: ids
     * {@code snap-000001}..., names {@code snapshot-1}..., regions cycling through {@code fra},
     * {@code was}, {@code sin}, every fifth {@code CREATING} and the others {@code AVAILABLE}.
     *
     * @param count how many
     * @return the snapshots added, in order
     */
    public List<Snapshot> seed(int count) {
        List<Snapshot> added = new ArrayList<>(count);
        Instant base = Instant.parse("2026-01-01T00:00:00Z");
        for (int i = 0; i < count; i++) {
            long n = ids.incrementAndGet();
            Snapshot s = new Snapshot(String.format(Locale.ROOT, "snap-%06d", n), "snapshot-" + n,
                    n * 1_073_741_824L, base.plusSeconds(n), base.plusSeconds(n), null, organizationId,
                    "vol-" + (n % 7), REGIONS[(int) (n % REGIONS.length)],
                    n % 5 == 0 ? SnapshotStatus.CREATING : SnapshotStatus.AVAILABLE,
                    n % 2 == 0 ? SnapshotType.REMOTE : SnapshotType.LOCAL);
            store.put(s);
            added.add(s);
        }
        return added;
    }

    /**
     * Adds (or replaces) a snapshot as it is; its status does not change by itself.
     *
     * @param snapshot the snapshot; its id must not be null
     * @return the snapshot
     */
    public Snapshot put(Snapshot snapshot) {
        Objects.requireNonNull(snapshot.id(), "snapshot.id");
        store.put(snapshot);
        return snapshot;
    }

    /**
     * A snapshot as the API would return it now.
     *
     * @param id the id
     * @return the snapshot, or empty when unknown
     */
    public Optional<Snapshot> snapshot(String id) {
        return Optional.ofNullable(store.get(id));
    }

    /**
     * Every snapshot held, in listing order, as the API would return them now.
     *
     * @return a new list
     */
    public List<Snapshot> snapshots() {
        return store.all();
    }

    /**
     * Forgets a snapshot at once (it then reads 404).
     *
     * @param id the id
     * @return whether it was held
     */
    public boolean remove(String id) {
        return store.remove(id);
    }

    /** Forgets every snapshot. */
    public void clearSnapshots() {
        store.clear();
    }

    /**
     * How long a created snapshot stays {@code CREATING}.
     *
     * @param delay the delay, for snapshots created from now on
     */
    public void creationDelay(Duration delay) {
        store.setCreationDelay(Objects.requireNonNull(delay, "delay"));
    }

    /**
     * How long a deleted snapshot stays {@code DELETING}.
     *
     * @param delay the delay, for deletes from now on
     */
    public void deletionDelay(Duration delay) {
        store.setDeletionDelay(Objects.requireNonNull(delay, "delay"));
    }

    // ---------------------------------------------------------------- faults

    /**
     * Replaces the answer to the next request not already scripted. Scripts are used in order.
     *
     * @param response the answer or fault
     * @return this server
     */
    public FakeKoyebServer enqueue(FakeResponse response) {
        script.add(Objects.requireNonNull(response, "response"));
        return this;
    }

    /**
     * The next {@code count} requests fail with this status and an {@code Error} body.
     *
     * @param count how many
     * @param status the HTTP status
     * @return this server
     */
    public FakeKoyebServer failNext(int count, int status) {
        for (int i = 0; i < count; i++) {
            enqueue(FakeResponse.status(status));
        }
        return this;
    }

    /**
     * The next {@code count} requests fail with this status and {@code Retry-After}.
     *
     * @param count how many
     * @param status the HTTP status
     * @param retryAfter the header's value: seconds or an HTTP date
     * @return this server
     */
    public FakeKoyebServer failNext(int count, int status, String retryAfter) {
        for (int i = 0; i < count; i++) {
            enqueue(FakeResponse.status(status).withRetryAfter(retryAfter));
        }
        return this;
    }

    /**
     * Every request that arrives within {@code window} from now gets this answer (a 503 storm,
     * say); scripted answers wait until it is over.
     *
     * @param window how long the storm lasts
     * @param response the answer during the storm
     * @return this server
     */
    public FakeKoyebServer failFor(Duration window, FakeResponse response) {
        this.storm = new Storm(System.nanoTime() + window.toNanos(), Objects.requireNonNull(response, "response"));
        return this;
    }

    /**
     * How many requests got a scripted answer or a storm's answer instead of the store's.
     *
     * @return the count since the server started
     */
    public long faultsServed() {
        return faultsServed.get();
    }

    private record Storm(long untilNanos, FakeResponse response) {
    }

    /** {@link #randomFaults}: Random is thread-safe and lock-free. */
    private record RandomFaults(double probability, Random random, List<FakeResponse> faults) {
        @Nullable FakeResponse draw() {
            return random.nextDouble() < probability ? faults.get(random.nextInt(faults.size())) : null;
        }
    }

    /**
     * From now on, requires this token (else 401), as when the API's token is rotated.
     *
     * @param token the token, or null to accept any request
     */
    public void requireToken(@Nullable String token) {
        this.token = token;
    }

    /**
     * Delays every answer (scripted or not) by this much.
     *
     * @param latency the added latency, zero for none
     */
    public void latency(Duration latency) {
        this.latency = Objects.requireNonNull(latency, "latency");
    }

    /**
     * Answers each request, with the given probability, with one of the faults, drawn at random:
     * a server that fails now and then, as a real network does (Retrofit's
     * {@code NetworkBehavior}). Scripted answers and storms come first. Seeded, so that a run can
     * be repeated; {@link #clearScript()} or a probability of 0 turns it off.
     *
     * @param probability from 0 to 1
     * @param seed the seed of the draws
     * @param faults the faults to draw from, at least one
     * @return this server
     * @throws IllegalArgumentException if the probability is outside 0..1 or no fault is given
     */
    public FakeKoyebServer randomFaults(double probability, long seed, FakeResponse... faults) {
        if (!(probability >= 0 && probability <= 1)) {
            throw new IllegalArgumentException("probability must be between 0 and 1, was " + probability);
        }
        if (faults.length == 0) {
            throw new IllegalArgumentException("at least one fault is needed");
        }
        this.randomFaults = probability == 0 ? null : new RandomFaults(probability, new Random(seed),
                List.of(faults));
        return this;
    }

    /** Drops every scripted answer not used yet, ends a storm and stops random faults. */
    public void clearScript() {
        script.clear();
        storm = null;
        randomFaults = null;
    }

    // ---------------------------------------------------------------- recording

    /**
     * Every request received so far, in order of arrival.
     *
     * @return an unmodifiable snapshot of the record
     */
    public List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    /**
     * How many requests were received so far.
     *
     * @return the count
     */
    public int requestCount() {
        return received.get();
    }

    /**
     * The last request received.
     *
     * @return the request
     * @throws IllegalStateException if none was recorded
     */
    public RecordedRequest lastRequest() {
        if (requests.isEmpty()) {
            throw new IllegalStateException("no request received");
        }
        return requests.get(requests.size() - 1);
    }

    /**
     * How many bytes of bodies the server has written for the store's answers (compressed when
     * they were), since it started: what compression saves on the wire.
     *
     * @return the count
     */
    public long bodyBytesWritten() {
        return bodyBytesWritten.get();
    }

    /**
     * How many connections clients have opened to the server since it started.
     *
     * @return the count
     */
    public long connectionsOpened() {
        return connectionsOpened.get();
    }

    /**
     * How many client connections are open now: what a test of a cancelled call checks, since a
     * cancel closes its connection.
     *
     * @return the count
     */
    public int openConnections() {
        return openConnections.get();
    }

    /** Forgets the requests recorded so far, and sets {@link #requestCount()} back to 0. */
    public void clearRequests() {
        requests.clear();
        received.set(0);
    }

    /**
     * Stops the server and its event loops; a request in flight is cut. Until then the server
     * serves, whatever applications using it do with Reactor Netty's global resources.
     */
    @Override
    public void close() {
        try {
            server.disposeNow(Duration.ofSeconds(5));
        } finally {
            loops.disposeLater(Duration.ZERO, Duration.ofSeconds(5)).block(Duration.ofSeconds(10));
        }
    }

    @Override
    public String toString() {
        return "FakeKoyebServer{" + baseUrl() + '}';
    }

    // ---------------------------------------------------------------- HTTP

    private Publisher<Void> handle(HttpServerRequest request, HttpServerResponse response) {
        return request.receive().aggregate().asString(StandardCharsets.UTF_8).defaultIfEmpty("")
                .flatMap(body -> {
                    RecordedRequest recorded = record(request, body);
                    FakeResponse scripted = nextScripted();
                    Duration wait = latency.plus(scripted == null ? Duration.ZERO : scripted.delay());
                    Mono<Void> answer = Mono.defer(() -> answer(recorded, scripted, response));
                    return wait.isZero() ? answer : Mono.delay(wait).then(answer);
                });
    }

    private @Nullable FakeResponse nextScripted() {
        Storm current = storm;
        FakeResponse scripted = current != null && System.nanoTime() < current.untilNanos() ? current.response()
                : script.poll();
        RandomFaults random = randomFaults;
        if (scripted == null && random != null) {
            scripted = random.draw();
        }
        if (scripted != null && scripted.kind() != FakeResponse.Kind.DELAY_THEN_STORE) {
            faultsServed.incrementAndGet();
        }
        return scripted;
    }

    private RecordedRequest record(HttpServerRequest request, String body) {
        String uri = request.uri();
        int q = uri.indexOf('?');
        String path = q < 0 ? uri : uri.substring(0, q);
        String rawQuery = q < 0 ? null : uri.substring(q + 1);
        Map<String, List<String>> params = rawQuery == null ? Map.of()
                : new QueryStringDecoder(rawQuery, StandardCharsets.UTF_8, false).parameters();
        Map<String, List<String>> headers = new LinkedHashMap<>();
        request.requestHeaders().forEach(h -> headers.computeIfAbsent(h.getKey().toLowerCase(Locale.ROOT),
                k -> new ArrayList<>()).add(h.getValue()));
        RecordedRequest recorded = new RecordedRequest(request.method().name(), path, rawQuery, params, headers, body,
                Instant.now());
        received.incrementAndGet();
        if (recordRequests) {
            requests.add(recorded);
        }
        return recorded;
    }

    private Mono<Void> answer(RecordedRequest request, @Nullable FakeResponse scripted, HttpServerResponse response) {
        if (scripted != null && scripted.kind() != FakeResponse.Kind.DELAY_THEN_STORE) {
            return scripted(scripted, response);
        }
        Reply reply = route(request);
        response.status(reply.status).header("Content-Type", "application/json");
        byte[] body = reply.body.getBytes(StandardCharsets.UTF_8);
        String accepted = request.header("accept-encoding");
        if (compression && accepted != null && accepted.toLowerCase(Locale.ROOT).contains("gzip")) {
            body = gzip(body);
            response.header("Content-Encoding", "gzip");
        }
        bodyBytesWritten.addAndGet(body.length);
        response.header("Content-Length", String.valueOf(body.length));
        return response.sendByteArray(Mono.just(body)).then();
    }

    private Mono<Void> scripted(FakeResponse scripted, HttpServerResponse response) {
        switch (scripted.kind()) {
            case DISCONNECT:
                return Mono.fromRunnable(() -> response.withConnection(c -> c.channel().close()));
            case RESET:
                return Mono.fromRunnable(() -> response.withConnection(c -> {
                    c.channel().config().setOption(ChannelOption.SO_LINGER, 0);
                    c.channel().close();
                }));
            case TRUNCATE:
                return sendPartOfBody(scripted, response, Objects.requireNonNull(scripted.body()).length() / 2);
            case CLOSE_AFTER_HEADERS:
                return sendPartOfBody(scripted, response, 0);
            case DRIP: {
                byte[] bytes = Objects.requireNonNull(scripted.body()).getBytes(StandardCharsets.UTF_8);
                scripted.headers().forEach(response::header);
                response.status(scripted.statusCode()).header("Content-Length", String.valueOf(bytes.length));
                Flux<byte[]> drip = Flux.range(0, bytes.length)
                        .delayElements(scripted.dripInterval())
                        .map(i -> new byte[] {bytes[i]});
                return response.sendByteArray(drip).then();
            }
            default: {
                response.status(scripted.statusCode());
                scripted.headers().forEach(response::header);
                String body = scripted.body();
                return body == null ? response.send().then()
                        : response.sendString(Mono.just(body), StandardCharsets.UTF_8).then();
            }
        }
    }

    /**
     * Writes the head (announcing the whole body) and the first {@code chars} characters of the
     * body below Reactor Netty's HTTP layer, which would otherwise complete the body, then closes.
     */
    private static Mono<Void> sendPartOfBody(FakeResponse scripted, HttpServerResponse response, int chars) {
        String body = Objects.requireNonNull(scripted.body());
        byte[] whole = body.getBytes(StandardCharsets.UTF_8);
        byte[] part = body.substring(0, chars).getBytes(StandardCharsets.UTF_8);
        DefaultHttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(scripted.statusCode()));
        scripted.headers().forEach((name, value) -> head.headers().set(name, value));
        head.headers().set(HttpHeaderNames.CONTENT_LENGTH, whole.length);
        response.withConnection(c -> {
            c.channel().write(head);
            c.channel().writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(part)))
                    .addListener(ChannelFutureListener.CLOSE);
        });
        return Mono.never();
    }

    private record Reply(int status, String body) {
    }

    private Reply route(RecordedRequest request) {
        String required = token;
        if (required != null && !("Bearer " + required).equals(request.header("authorization"))) {
            return error(401, "the token is missing or not valid");
        }
        String path = request.path();
        if (path.equals(COLLECTION)) {
            switch (request.method()) {
                case "GET":
                    return list(request);
                case "POST":
                    return create(request);
                default:
                    return error(405, "method not allowed");
            }
        }
        if (!path.startsWith(COLLECTION + "/") || path.indexOf('/', COLLECTION.length() + 1) >= 0) {
            return error(404, "no such route: " + path);
        }
        String id = URLDecoder.decode(path.substring(COLLECTION.length() + 1).replace("+", "%2B"),
                StandardCharsets.UTF_8);
        Snapshot result;
        switch (request.method()) {
            case "GET":
                result = store.get(id);
                break;
            case "POST": {
                Map<String, String> body = json.readStringFields(request.body());
                if (body == null) {
                    return validation("name", "body is not a JSON object");
                }
                result = store.rename(id, body.get("name"));
                break;
            }
            case "DELETE":
                result = store.delete(id);
                break;
            default:
                return error(405, "method not allowed");
        }
        return result == null ? error(404, "Snapshot not found") : snapshotReply(result);
    }

    private Reply list(RecordedRequest request) {
        long offset;
        int limit;
        try {
            String o = request.queryParameter("offset");
            String l = request.queryParameter("limit");
            offset = o == null || o.isEmpty() ? 0 : Long.parseLong(o);
            limit = l == null || l.isEmpty() ? DEFAULT_LIMIT : Integer.parseInt(l);
        } catch (NumberFormatException e) {
            return validation("limit", "limit and offset must be integers");
        }
        if (offset < 0 || limit < 0) {
            return validation(offset < 0 ? "offset" : "limit", "must not be negative");
        }
        if (limit == 0) {
            limit = DEFAULT_LIMIT;
        }
        limit = Math.min(limit, maxLimit);
        Set<SnapshotStatus> statuses = EnumSet.noneOf(SnapshotStatus.class);
        for (String s : request.queryParameters("statuses")) {
            SnapshotStatus status = SnapshotStatus.fromWireValue(s);
            if (status == null || status == SnapshotStatus.UNKNOWN) {
                return validation("statuses", "unknown status " + s);
            }
            statuses.add(status);
        }
        FakeSnapshotStore.Page page = store.page(FakeSnapshotStore.filter(request.queryParameter("organization_id"),
                statuses, request.queryParameter("region")), offset, limit);
        boolean hasNext = offset + limit < page.total();
        return new Reply(200, json.listReply(page.items(), limit, offset, hasNext, int64AsStrings));
    }

    private Reply create(RecordedRequest request) {
        Map<String, String> body = json.readStringFields(request.body());
        String parent = body == null ? null : body.get("parent_volume_id");
        if (body == null || parent == null || parent.isBlank()) {
            return validation("parent_volume_id", "must be set to the id of the volume to snapshot");
        }
        Instant now = store.now();
        Snapshot created = store.create(new Snapshot(newId(), body.get("name"), 10_737_418_240L,
                now, now, null, organizationId, parent, region, SnapshotStatus.CREATING, SnapshotType.LOCAL));
        return snapshotReply(created);
    }

    private static byte[] gzip(byte[] plain) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(plain.length / 4 + 64);
        try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
            zip.write(plain);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A random version-4 UUID; UUID.randomUUID() would read /dev/urandom on the event loop. */
    private static String newId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & ~(0xC000L << 48)) | (0x8000L << 48);
        return new UUID(high, low).toString();
    }

    private Reply snapshotReply(Snapshot snapshot) {
        return new Reply(200, json.snapshotReply(snapshot, int64AsStrings));
    }

    private Reply error(int status, String message) {
        return new Reply(status, json.errorBody(status, codeFor(status), message, List.of()));
    }

    private Reply validation(String field, String description) {
        return new Reply(400, json.errorBody(400, "invalid_argument", "validation error",
                List.of(new ErrorField(field, description))));
    }

    static String codeFor(int status) {
        switch (status) {
            case 400:
                return "invalid_argument";
            case 401:
                return "unauthenticated";
            case 403:
                return "permission_denied";
            case 404:
                return "not_found";
            case 429:
                return "resource_exhausted";
            case 503:
                return "unavailable";
            default:
                return HttpResponseStatus.valueOf(status).reasonPhrase().toLowerCase(Locale.ROOT).replace(' ', '_');
        }
    }

    /** Settings of a {@link FakeKoyebServer}. Not thread-safe. */
    public static final class Builder {
        private @Nullable String token;
        private Duration creationDelay = Duration.ofSeconds(1);
        private Duration deletionDelay = Duration.ofSeconds(1);
        private Duration latency = Duration.ZERO;
        private String organizationId = "org-fake";
        private String region = "fra";
        private boolean int64AsStrings = true;
        private int maxLimit = MAX_LIMIT;
        private Clock clock = Clock.systemUTC();
        private int port;
        private @Nullable KeyManagerFactory tlsKeys;
        private boolean recordRequests = true;
        private boolean compression = true;

        private Builder() {
        }

        /**
         * Requires {@code Authorization: Bearer <token>} on every request (else 401).
         *
         * @param token the token, or null to accept any request
         * @return this builder
         */
        public Builder token(@Nullable String token) {
            this.token = token;
            return this;
        }

        /**
         * How long a created snapshot stays {@code CREATING}; default 1 s.
         *
         * @param delay the delay
         * @return this builder
         */
        public Builder creationDelay(Duration delay) {
            this.creationDelay = Objects.requireNonNull(delay, "delay");
            return this;
        }

        /**
         * How long a deleted snapshot stays {@code DELETING}; default 1 s.
         *
         * @param delay the delay
         * @return this builder
         */
        public Builder deletionDelay(Duration delay) {
            this.deletionDelay = Objects.requireNonNull(delay, "delay");
            return this;
        }

        /**
         * Added to every answer; default none.
         *
         * @param latency the latency
         * @return this builder
         */
        public Builder latency(Duration latency) {
            this.latency = Objects.requireNonNull(latency, "latency");
            return this;
        }

        /**
         * The organization of created and seeded snapshots; default {@code org-fake}.
         *
         * @param organizationId the id
         * @return this builder
         */
        public Builder organizationId(String organizationId) {
            this.organizationId = Objects.requireNonNull(organizationId, "organizationId");
            return this;
        }

        /**
         * The region of created snapshots; default {@code fra}.
         *
         * @param region the region
         * @return this builder
         */
        public Builder region(String region) {
            this.region = Objects.requireNonNull(region, "region");
            return this;
        }

        /**
         * Whether 64-bit integers ({@code size}, {@code limit}, {@code offset}) are sent as JSON
         * strings, as Koyeb's protobuf JSON does; default true.
         *
         * @param asStrings false to send JSON numbers
         * @return this builder
         */
        public Builder int64AsStrings(boolean asStrings) {
            this.int64AsStrings = asStrings;
            return this;
        }

        /**
         * The largest page the server returns, whatever {@code limit} asks for; default
         * {@value FakeKoyebServer#MAX_LIMIT}. A smaller one makes a server that pages differently
         * from what the client asked.
         *
         * @param maxLimit 1 or more
         * @return this builder
         */
        public Builder maxLimit(int maxLimit) {
            if (maxLimit < 1) {
                throw new IllegalArgumentException("maxLimit must be positive");
            }
            this.maxLimit = maxLimit;
            return this;
        }

        /**
         * The clock of the life-cycle transitions; default the system clock.
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Serves HTTPS with this key and certificate (for instance a self-signed one, to test how a
         * client handles trust); default plain HTTP.
         *
         * @param keys the server's key material
         * @return this builder
         */
        public Builder https(KeyManagerFactory keys) {
            this.tlsKeys = Objects.requireNonNull(keys, "keys");
            return this;
        }

        /**
         * Whether the store's answers are gzip-compressed for a request that accepts gzip, as
         * Koyeb's are; default true.
         *
         * @param enabled false to answer plain whatever the request accepts
         * @return this builder
         */
        public Builder compression(boolean enabled) {
            this.compression = enabled;
            return this;
        }

        /**
         * Whether every request is kept for {@link FakeKoyebServer#requests()}; default true. A
         * long soak turns it off so that the record does not grow without bound;
         * {@link FakeKoyebServer#requestCount()} counts either way.
         *
         * @param record false to keep none
         * @return this builder
         */
        public Builder recordRequests(boolean record) {
            this.recordRequests = record;
            return this;
        }

        /**
         * The port to listen on; default 0, a free port.
         *
         * @param port the port
         * @return this builder
         */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /**
         * Starts the server on 127.0.0.1; returns once the port is bound.
         *
         * @return the running server
         */
        public FakeKoyebServer build() {
            return new FakeKoyebServer(this);
        }
    }
}
