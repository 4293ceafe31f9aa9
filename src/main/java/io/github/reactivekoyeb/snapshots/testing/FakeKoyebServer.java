package io.github.reactivekoyeb.snapshots.testing;

import io.github.reactivekoyeb.snapshots.Snapshot;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * A fake Koyeb Snapshots API for tests: a real non-blocking HTTP server (Reactor Netty) on
 * 127.0.0.1 and a random port, in the style of OkHttp's {@code MockWebServer}: it listens and
 * records, and something else decides each answer.
 *
 * <p><b>Store.</b> By default the Koyeb API answers ({@code KoyebApiRoutes}), from snapshots held
 * in memory: {@code GET /v1/snapshots} pages with {@code limit} (default 10, at most 100),
 * {@code offset} and {@code has_next}, and filters on {@code organization_id}, repeated
 * {@code statuses} and {@code region}. {@code POST /v1/snapshots} creates a snapshot in
 * {@code CREATING} that reads {@code AVAILABLE} after the creation delay, and answers 400 with
 * {@code fields} when {@code parent_volume_id} is missing. {@code POST /v1/snapshots/{id}}
 * renames; {@code DELETE} marks {@code DELETING}, then {@code DELETED} after the deletion delay.
 * An unknown id gives 404; with a token configured, a missing or wrong token gives 401. Like
 * Koyeb's protobuf JSON, 64-bit integers are sent as strings (configurable); answers are
 * gzip-compressed when the request accepts it (configurable).
 *
 * <p><b>Scripts, faults and expectations.</b> {@link #enqueue(FakeResponse)} replaces the answer
 * to the next request (a status with {@code Retry-After}, a disconnect, a truncated body...);
 * {@link #failNext(int, int)} is the shorthand for N failures, {@link #failFor} a storm,
 * {@link #randomFaults} a network that fails now and then, {@link #latency(Duration)} delays every
 * answer. {@link #expect(String, String)} and {@link #verify()} check that exactly the expected
 * requests came, in order.
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
 * <p>One clock ({@link Builder#clock(Clock)}) for all it reads the time for: the life cycles,
 * storms and the time requests arrived. Thread-safe. {@link #builder()}{@code .build()} and
 * {@link #start()} bind the port before they return (a short blocking call, for test set-up
 * threads only); {@link #close()} stops it.
 */
public final class FakeKoyebServer implements AutoCloseable {

    /** The page size of a list request without {@code limit}, as on Koyeb: {@value}. */
    public static final int DEFAULT_LIMIT = 10;
    /** The largest page the server returns: {@value}. */
    public static final int MAX_LIMIT = 100;

    private final FakeSnapshotStore store;
    private final KoyebApiRoutes api;
    private final FaultScript script;
    private final ChangeScript changes;
    private final Dispatcher dispatcher;
    private final FakeRateLimit rateLimit;
    private final RequestLog log;
    private final String organizationId;
    private final FakeHttpServer server;
    private final Builder settings;

    private FakeKoyebServer(Builder builder) {
        this.settings = builder.copyTo(new Builder());
        // one clock for everything the fake reads the time for: life cycles, storms, arrivals
        Clock clock = builder.clock;
        this.store = new FakeSnapshotStore(clock, builder.creationDelay, builder.deletionDelay);
        this.api = new KoyebApiRoutes(store, new FakeJson(builder.int64AsStrings), builder.token, builder.organizationId,
                builder.region, builder.maxLimit);
        this.script = new FaultScript(clock);
        this.changes = new ChangeScript(store, builder.organizationId, builder.seed);
        this.rateLimit = new FakeRateLimit(clock, builder.rateLimit);
        this.dispatcher = new Dispatcher(script, changes, api, rateLimit, builder.compression, builder.latency);
        this.log = new RequestLog(clock, builder.recordRequests);
        this.organizationId = builder.organizationId;
        this.server = new FakeHttpServer(builder.port, builder.tlsKeys, this::handle);
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
        return server.baseUrl();
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
        return store.seed(count, organizationId);
    }

    /**
     * Adds a history of one volume: {@code count} {@code AVAILABLE} snapshots, the first created at
     * {@code first} and one every {@code every} after, named {@code namePrefix} followed by their
     * creation time ({@code nightly-2026-01-01T03:00:00Z}), with ids {@code hist-000001}... For the
     * tests of a retention policy:
     *
     * <pre>{@code
     * koyeb.seedHistory("vol-1", "nightly-", Instant.parse("2025-01-01T03:00:00Z"), Duration.ofDays(1), 400);
     * RetentionPlan plan = SnapshotRetention.of(client).plan(policy).block();
     * }</pre>
     *
     * @param volumeId the snapshots' {@code parentVolumeId}
     * @param namePrefix the start of their names
     * @param first when the first one was created
     * @param every the time between two
     * @param count how many, 0 or more
     * @return the snapshots added, oldest first
     * @throws IllegalArgumentException if {@code every} is not positive or {@code count} is negative
     */
    public List<Snapshot> seedHistory(String volumeId, String namePrefix, Instant first, Duration every, int count) {
        Objects.requireNonNull(every, "every");
        if (every.isNegative() || every.isZero() || count < 0) {
            throw new IllegalArgumentException("a history needs a positive interval and a count of 0 or more, was "
                    + every + " and " + count);
        }
        List<Instant> times = new java.util.ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            times.add(first.plus(every.multipliedBy(i)));
        }
        return seedHistory(volumeId, namePrefix, times);
    }

    /**
     * Adds a history of one volume at chosen times: one {@code AVAILABLE} snapshot created at each,
     * named and numbered as by {@link #seedHistory(String, String, Instant, Duration, int)}.
     *
     * @param volumeId the snapshots' {@code parentVolumeId}
     * @param namePrefix the start of their names
     * @param createdAt the creation times, in any order
     * @return the snapshots added, in the order of the times
     */
    public List<Snapshot> seedHistory(String volumeId, String namePrefix, Collection<Instant> createdAt) {
        Objects.requireNonNull(volumeId, "volumeId");
        Objects.requireNonNull(namePrefix, "namePrefix");
        return store.history(volumeId, namePrefix, List.copyOf(createdAt), organizationId);
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

    // ---------------------------------------------------------------- scripts and faults

    /**
     * Replaces the answer to the next request not already scripted. Scripts are used in order.
     *
     * @param response the answer or fault
     * @return this server
     */
    public FakeKoyebServer enqueue(FakeResponse response) {
        script.enqueue(1, Objects.requireNonNull(response, "response"));
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
        script.enqueue(count, FakeResponse.status(status));
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
        script.enqueue(count, FakeResponse.status(status).withRetryAfter(retryAfter));
        return this;
    }

    /**
     * Holds the answers to the next {@code count} requests until all of them have arrived, then
     * answers them together: a burst whose requests are all in flight before any reply, whatever
     * the threads' timing (two 429s that a client meets at once, say).
     *
     * @param count how many requests to hold together; 0 or 1 holds none
     * @return this server
     * @throws IllegalArgumentException if {@code count} is negative
     */
    public FakeKoyebServer holdTogether(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative: " + count);
        }
        dispatcher.holdTogether(count);
        return this;
    }

    /**
     * Every request that arrives within {@code window} from now (by the server's clock) gets this
     * answer (a 503 storm, say); scripted answers wait until it is over.
     *
     * @param window how long the storm lasts
     * @param response the answer during the storm
     * @return this server
     */
    public FakeKoyebServer failFor(Duration window, FakeResponse response) {
        script.stormFor(Objects.requireNonNull(window, "window"), Objects.requireNonNull(response, "response"));
        return this;
    }

    /**
     * Answers each request, with the given probability, with one of the faults, drawn at random:
     * a server that fails now and then, as a real network does (Retrofit's
     * {@code NetworkBehavior}). Expectations, storms and scripted answers come first. Seeded, so
     * that a run can be repeated; {@link #clearScript()} or a probability of 0 turns it off.
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
        script.randomFaults(probability, seed, List.of(faults));
        return this;
    }

    /**
     * Expects this request next, answered by whatever would answer it otherwise (the store, unless
     * a fault is scripted), in the style of r2dbc-postgresql's {@code TestClient}. Once a request
     * is expected, requests must come in the order expected: one that does not match the next
     * expectation is answered 500 and recorded as unexpected, for {@link #verify()}.
     *
     * @param method the HTTP method, e.g. {@code GET}
     * @param path the raw path, e.g. {@code /v1/snapshots/snap-000001}; with {@code ?query}, the
     *     raw query must match too
     * @return this server
     */
    public FakeKoyebServer expect(String method, String path) {
        script.expect(Objects.requireNonNull(method, "method"), Objects.requireNonNull(path, "path"), null);
        return this;
    }

    /**
     * Expects this request next, answered with {@code answer}; see {@link #expect(String, String)}.
     *
     * @param method the HTTP method
     * @param path the raw path, with {@code ?query} to match the query too
     * @param answer the answer or fault
     * @return this server
     */
    public FakeKoyebServer expect(String method, String path, FakeResponse answer) {
        script.expect(Objects.requireNonNull(method, "method"), Objects.requireNonNull(path, "path"),
                Objects.requireNonNull(answer, "answer"));
        return this;
    }

    /**
     * Checks the expectations: every expected request came, in order, and no other.
     *
     * @throws AssertionError naming the requests expected and not received, and those received and
     *     not expected
     */
    public void verify() {
        script.verify();
    }

    /**
     * How many requests got a scripted answer or a storm's answer instead of the store's.
     *
     * @return the count since the server started or was {@linkplain #reset() reset}
     */
    public long faultsServed() {
        return script.faultsServed();
    }

    /**
     * Drops every scripted answer, expectation and change not used yet, ends a storm and stops
     * random faults.
     */
    public void clearScript() {
        script.clear();
        changes.clear();
    }

    /**
     * Makes this change to the snapshots before every list request ({@code GET /v1/snapshots})
     * from now on, as other services do while a listing runs; {@code null} stops it.
     *
     * @param change the change, or null for none
     * @return this server
     */
    public FakeKoyebServer changeBeforeListRequests(@Nullable FakeChange change) {
        changes.beforeEveryListRequest(change);
        return this;
    }

    /**
     * Makes this change before the {@code n}-th list request from now (1: the next one).
     *
     * @param n 1 or more
     * @param change the change
     * @return this server
     */
    public FakeKoyebServer changeBeforeListRequest(int n, FakeChange change) {
        changes.beforeListRequest(n, Objects.requireNonNull(change, "change"));
        return this;
    }

    /**
     * The seed of the random positions of changes and faults, to print so that a run can be
     * repeated with {@link Builder#seed(long)}.
     *
     * @return the seed
     */
    public long seed() {
        return changes.seed();
    }

    /**
     * From now on, requires this token (else 401), as when the API's token is rotated.
     *
     * @param token the token, or null to accept any request
     */
    public void requireToken(@Nullable String token) {
        api.requireToken(token);
    }

    /**
     * Delays every answer (scripted or not) by this much.
     *
     * @param latency the added latency, zero for none
     */
    public void latency(Duration latency) {
        dispatcher.latency(Objects.requireNonNull(latency, "latency"));
    }

    /**
     * Sets or changes the rate limit while the server runs (see {@link Builder#rateLimit(double)}):
     * a first limit starts with a full bucket, a changed one keeps the tokens it has, up to the new
     * limit.
     *
     * @param requestsPerSecond the limit, positive, or 0 for none
     * @return this server
     * @throws IllegalArgumentException if it is negative or not finite
     */
    public FakeKoyebServer rateLimit(double requestsPerSecond) {
        rateLimit.limit(checkedRateLimit(requestsPerSecond));
        return this;
    }

    /**
     * How many requests the rate limit answered 429 since the start or {@link #clearRequests()}.
     *
     * @return the count
     */
    public long throttledCount() {
        return rateLimit.throttled();
    }

    /**
     * How many requests the rate limit let through (all of them while there is none) since the
     * start or {@link #clearRequests()}.
     *
     * @return the count
     */
    public long admittedCount() {
        return rateLimit.admitted();
    }

    static double checkedRateLimit(double requestsPerSecond) {
        if (!(requestsPerSecond >= 0) || Double.isInfinite(requestsPerSecond)) {
            throw new IllegalArgumentException("rateLimit must be 0 (none) or a positive number of requests per"
                    + " second, but was " + requestsPerSecond);
        }
        return requestsPerSecond;
    }

    // ---------------------------------------------------------------- recording

    /**
     * Every request received so far, in order of arrival.
     *
     * @return an unmodifiable snapshot of the record
     */
    public List<RecordedRequest> requests() {
        return log.requests();
    }

    /**
     * How many requests were received so far.
     *
     * @return the count
     */
    public int requestCount() {
        return log.count();
    }

    /**
     * The last request received.
     *
     * @return the request
     * @throws IllegalStateException if none was recorded
     */
    public RecordedRequest lastRequest() {
        return log.last();
    }

    /**
     * How many bytes of bodies the server has written for the store's answers (compressed when
     * they were), since it started: what compression saves on the wire.
     *
     * @return the count
     */
    public long bodyBytesWritten() {
        return dispatcher.bodyBytesWritten();
    }

    /**
     * How many connections clients have opened to the server since it started.
     *
     * @return the count
     */
    public long connectionsOpened() {
        return server.connectionsOpened();
    }

    /**
     * How many client connections are open now: what a test of a cancelled call checks, since a
     * cancel closes its connection.
     *
     * @return the count
     */
    public int openConnections() {
        return server.openConnections();
    }

    /** Forgets the requests recorded so far; sets {@link #requestCount()} and the rate limit's counts back to 0. */
    public void clearRequests() {
        log.clear();
        rateLimit.clearCounts();
    }

    /** The token the server was built to require, or null: what the Spring test support sends. */
    @Nullable String builtToken() {
        return settings.token;
    }

    /**
     * Puts the server back as it was built, for the next test: no snapshots (generated ids start
     * again at {@code snap-000001}), no scripted answers, faults, expectations or changes, no
     * recorded requests (and {@link #faultsServed()}, {@link #throttledCount()} and
     * {@link #admittedCount()} back to 0), and the built token, delays, latency and rate limit (with a full bucket).
     * It keeps its port. {@link FakeKoyebServerExtension} and {@link AutoConfigureFakeKoyebServer}
     * call it before each test.
     */
    public void reset() {
        script.reset();
        changes.clear();
        store.reset(settings.creationDelay, settings.deletionDelay);
        api.requireToken(settings.token);
        dispatcher.latency(settings.latency);
        dispatcher.holdTogether(0);
        rateLimit.reset(settings.rateLimit);
        log.clear();
    }

    /**
     * Stops the server and its event loops; a request in flight is cut. Until then the server
     * serves, whatever applications using it do with Reactor Netty's global resources.
     */
    @Override
    public void close() {
        server.close();
    }

    @Override
    public String toString() {
        return "FakeKoyebServer{" + baseUrl() + '}';
    }

    // ---------------------------------------------------------------- HTTP

    private Publisher<Void> handle(HttpServerRequest request, HttpServerResponse response) {
        return request.receive().aggregate().asString(StandardCharsets.UTF_8).defaultIfEmpty("")
                .flatMap(body -> dispatcher.dispatch(log.record(request, body), response));
    }

    /**
     * Settings of a {@link FakeKoyebServer}; every setter returns this builder. Not thread-safe.
     */
    public static final class Builder extends FakeServerSettings<Builder> {

        private Builder() {
        }

        @Override
        Builder self() {
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
