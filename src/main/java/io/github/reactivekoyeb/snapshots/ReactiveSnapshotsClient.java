package io.github.reactivekoyeb.snapshots;

import io.github.reactivekoyeb.snapshots.internal.DefaultClientBuilder;
import io.github.reactivekoyeb.snapshots.internal.Waiter;
import io.github.reactivekoyeb.snapshots.internal.Watcher;
import java.time.Duration;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A reactive, non-blocking client for the Koyeb Snapshots API ({@code /v1/snapshots}).
 *
 * <pre>{@code
 * ReactiveSnapshotsClient client = ReactiveSnapshotsClient.builder()
 *         .token(System.getenv("KOYEB_API_TOKEN"))
 *         .build();
 * client.listSnapshots(ListSnapshotsRequest.builder().statuses(SnapshotStatus.AVAILABLE).build())
 *         .take(10)
 *         .subscribe(s -> System.out.println(s.id() + " " + s.name()));
 * }</pre>
 *
 * <p><b>Cold and lazy.</b> Every method returns a publisher that sends nothing until it is
 * subscribed to; each subscription sends its own request(s). Nothing blocks: the client never
 * calls {@code block()} or sleeps, on any thread.
 *
 * <p><b>Arguments</b> are checked when the method is called, before any request: a null argument
 * throws {@link NullPointerException}, an invalid one (a blank id, the ids {@code .} and
 * {@code ..}, an id with a control character) {@link IllegalArgumentException}. They are thrown,
 * not emitted as error signals.
 *
 * <p><b>Errors</b> are emitted as error signals: {@link KoyebApiException} (or the subclass for
 * the status) when the server answers with an error status, {@link KoyebTransportException}
 * when no usable reply arrived. Both name the method and path, never the token.
 *
 * <p><b>Retries</b> follow the client's {@link RetryPolicy}.
 *
 * <p><b>Cancelling</b> (disposing) any call, listing or waiter sends nothing more and cuts each
 * HTTP exchange it has in flight: the exchange's connection is closed at once, so the server sees
 * it closed, and it never goes back to the pool; a call still waiting for a pooled connection
 * just stops waiting. A response timeout cuts its exchange the same way. A cancelled
 * {@code createSnapshot}, {@code updateSnapshot} or {@code deleteSnapshot} may still have reached
 * the server.
 *
 * <p>Instances are thread-safe and meant to be shared; {@link #close()} releases the connection
 * pool the client created for itself, if any.
 */
public interface ReactiveSnapshotsClient extends AutoCloseable {

    /** The base URL used when the builder is given none: {@value}. */
    String DEFAULT_BASE_URL = "https://app.koyeb.com";

    /** The response timeout used when the builder is given none: 30 s, per response. */
    Duration DEFAULT_RESPONSE_TIMEOUT = Duration.ofSeconds(30);

    /**
     * A builder with the defaults: {@value #DEFAULT_BASE_URL}, {@link RetryPolicy#defaults()},
     * a response timeout of 30 s, no token.
     *
     * @return a new builder
     */
    static Builder builder() {
        return new DefaultClientBuilder();
    }

    /**
     * Creates a snapshot ({@code POST /v1/snapshots}).
     *
     * <p>Emits the new snapshot, usually in status {@link SnapshotStatus#CREATING}. Never sent
     * again once it may have reached the server (no retry after a timeout or a connection
     * closed after sending).
     *
     * @param request the volume to snapshot and the snapshot's name
     * @return a cold {@code Mono} emitting the created snapshot, or an error signal:
     *     {@link KoyebValidationException} for an invalid request (e.g. no parent volume),
     *     another {@link KoyebApiException} or a {@link KoyebTransportException}
     * @throws NullPointerException if {@code request} is null
     */
    Mono<Snapshot> createSnapshot(CreateSnapshotRequest request);

    /**
     * Reads one snapshot ({@code GET /v1/snapshots/{id}}).
     *
     * @param id the snapshot id; percent-encoded into the path
     * @return a cold {@code Mono} emitting the snapshot, or an error signal:
     *     {@link KoyebNotFoundException} for an unknown id, another {@link KoyebApiException} or a
     *     {@link KoyebTransportException}
     * @throws NullPointerException if {@code id} is null
     * @throws IllegalArgumentException if {@code id} is blank, {@code .}, {@code ..} or holds a
     *     control character
     */
    Mono<Snapshot> getSnapshot(String id);

    /**
     * Renames a snapshot ({@code POST /v1/snapshots/{id}}). Never sent again once it may have
     * reached the server.
     *
     * @param id the snapshot id
     * @param request the new values
     * @return a cold {@code Mono} emitting the updated snapshot, or an error signal as for
     *     {@link #getSnapshot(String)}
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code id} is invalid, as for {@link #getSnapshot(String)}
     */
    Mono<Snapshot> updateSnapshot(String id, UpdateSnapshotRequest request);

    /**
     * Deletes a snapshot ({@code DELETE /v1/snapshots/{id}}).
     *
     * <p>Emits the snapshot as the server returns it, usually in status
     * {@link SnapshotStatus#DELETING}. A delete whose connection failed after sending may be
     * retried; the retry may then see {@link KoyebNotFoundException}.
     *
     * @param id the snapshot id
     * @return a cold {@code Mono} emitting the deleted snapshot, or an error signal as for
     *     {@link #getSnapshot(String)}
     * @throws NullPointerException if {@code id} is null
     * @throws IllegalArgumentException if {@code id} is invalid, as for {@link #getSnapshot(String)}
     */
    Mono<Snapshot> deleteSnapshot(String id);

    /**
     * Lists every snapshot, lazily, page by page, with the client's default page size.
     *
     * @return a cold {@code Flux}, as {@link #listSnapshots(ListSnapshotsRequest)}
     */
    Flux<Snapshot> listSnapshots();

    /**
     * Lists the snapshots matching the request's filters, lazily ({@code GET /v1/snapshots}).
     *
     * <p><b>Demand-driven:</b> a page is requested only when the subscriber has asked for more
     * snapshots than the pages already received can serve; {@code take(5)} on a listing of any
     * size sends one request, and cancelling stops further requests and cuts the one in flight:
     * its connection is closed, never returned to the pool. At most one page is held in memory.
     *
     * <p>Paging follows the server's {@code has_next}: the next request asks for
     * {@code offset + limit} of the page just received. The listing completes after a page with
     * {@code has_next: false}, or after an empty page (whatever {@code has_next} says).
     *
     * <p>A failed page is retried under the client's {@link RetryPolicy} without fetching or
     * emitting earlier pages again; when its retries run out the listing ends with that error.
     *
     * <p>Offset paging reads a moving collection: a snapshot created or deleted during a
     * listing may shift the later pages, so that one snapshot is skipped or seen twice.
     *
     * @param request filters, page size and start offset
     * @return a cold {@code Flux} of snapshots in the server's order
     * @throws NullPointerException if {@code request} is null
     */
    Flux<Snapshot> listSnapshots(ListSnapshotsRequest request);

    /**
     * Lists the snapshots matching the request's filters page by page, lazily.
     *
     * <p>As {@link #listSnapshots(ListSnapshotsRequest)}, but demand is counted in pages: a
     * request is sent only for a page the subscriber asked for. Emits every page received,
     * including a last empty one.
     *
     * @param request filters, page size and start offset
     * @return a cold {@code Flux} of pages
     * @throws NullPointerException if {@code request} is null
     */
    Flux<SnapshotPage> listSnapshotPages(ListSnapshotsRequest request);

    /**
     * Watches a listing: a live feed of what is added, changed and removed, made of listings
     * repeated at an interval ({@code GET /v1/snapshots}, as the API has no change feed).
     *
     * <p>The first pass emits {@link SnapshotEvent.Type#ADDED} for every snapshot of the listing.
     * Each later pass starts {@code interval} after the previous one ended, is a consistent
     * listing ({@link ListSnapshotsRequest.Builder#consistent(boolean)}, whatever the request
     * says) and emits only what differs from the last pass: {@code ADDED} for a snapshot not seen
     * before, {@code MODIFIED} when any field of one changed, and, once the pass has listed
     * everything, {@code REMOVED} (with the last state seen) for each one it no longer found. An
     * idle pass emits nothing. A pass that fails after its retries, or drifts, emits no
     * {@code REMOVED} (it could not confirm any) and the watch goes on at the next interval; only
     * a 401, a 403 or a cancel end it. Events follow the subscriber's demand: a slow subscriber
     * delays the next pass instead of filling a buffer. Memory: one small entry per snapshot
     * watched (its id and a compact copy of its fields, to compare and to report a removal).
     *
     * @param request the listing to watch: its filters and page size
     * @param interval the wait between the end of a pass and the start of the next, positive
     * @return a cold, endless {@code Flux} of events; it ends with an error signal only for
     *     {@link KoyebUnauthorizedException} or {@link KoyebForbiddenException}
     * @throws NullPointerException if the request or the interval is null
     * @throws IllegalArgumentException if the interval is not positive
     */
    default Flux<SnapshotEvent> watchSnapshots(ListSnapshotsRequest request, Duration interval) {
        return Watcher.watch(this, request, interval, ClientEventListener.NONE);
    }

    /**
     * Waits until a snapshot meets a condition, polling it with {@code getSnapshot}.
     *
     * <p>The first poll is sent at subscription, the next ones after the intervals of the options
     * (non-blocking timers); each poll honours the client's retry policy (a 503 is retried, not
     * fatal); cancelling stops the polling.
     *
     * @param id the snapshot id
     * @param condition what to wait for, e.g. {@code s -> s.size() != null}
     * @param options the poll schedule and the overall timeout
     * @return a cold {@code Mono} emitting the first state that meets the condition, or an error
     *     signal: {@link KoyebWaitTimeoutException} (with the last state seen) when the timeout
     *     passes, {@link KoyebNotFoundException} when the snapshot does not exist, or any other
     *     error of a poll after its retries
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code id} is invalid, as for {@link #getSnapshot(String)}
     */
    default Mono<Snapshot> awaitSnapshot(String id, Predicate<Snapshot> condition, WaitOptions options) {
        return Waiter.await(this, id, condition, options);
    }

    /**
     * Waits until a snapshot has a status, polling with the default schedule of
     * {@link WaitOptions#defaults()} and this timeout.
     *
     * <p>While waiting for {@link SnapshotStatus#AVAILABLE}, a snapshot found
     * {@code DELETING} or {@code DELETED} fails the wait at once with
     * {@link KoyebUnexpectedStatusException} ({@code MIGRATING} keeps waiting).
     *
     * @param id the snapshot id
     * @param status the status to wait for
     * @param timeout the overall timeout
     * @return a cold {@code Mono} emitting the snapshot in that status, or an error signal as for
     *     {@link #awaitSnapshot}, or {@link KoyebUnexpectedStatusException}
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code id} is invalid, {@code status} is {@code UNKNOWN}
     *     or the timeout is not positive
     */
    default Mono<Snapshot> awaitSnapshotStatus(String id, SnapshotStatus status, Duration timeout) {
        return Waiter.awaitStatus(this, id, status, timeout);
    }

    /**
     * Creates a snapshot, then waits until it is {@link SnapshotStatus#AVAILABLE}: the create reply
     * is the first state, then polls follow the default schedule. The timeout covers the whole
     * operation, the create request included.
     *
     * @param request the volume to snapshot and the snapshot's name
     * @param timeout the overall timeout
     * @return a cold {@code Mono} emitting the available snapshot, or an error signal: the create
     *     request's own error as it is, {@link KoyebUnexpectedStatusException} if it turns
     *     {@code DELETING} or {@code DELETED}, {@link KoyebWaitTimeoutException}
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if the timeout is not positive
     */
    default Mono<Snapshot> createSnapshotAndAwait(CreateSnapshotRequest request, Duration timeout) {
        return Waiter.createAndAwait(this, request, timeout);
    }

    /**
     * Deletes a snapshot, then waits until it reads {@link SnapshotStatus#DELETED} or is gone
     * (404). The timeout covers the whole operation, the delete request included.
     *
     * @param id the snapshot id
     * @param timeout the overall timeout
     * @return a cold {@code Mono} completing once the snapshot is deleted, or an error signal: the
     *     delete request's own error as it is (a 404 for an unknown id, say), or
     *     {@link KoyebWaitTimeoutException}
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code id} is invalid or the timeout is not positive
     */
    default Mono<Void> deleteSnapshotAndAwait(String id, Duration timeout) {
        return Waiter.deleteAndAwait(this, id, timeout);
    }

    /**
     * Watches a snapshot: emits the first state read, then the snapshot each time its status or
     * any other field changes (never an unchanged one twice), and completes when it reaches
     * {@code AVAILABLE} or {@code DELETED} or is gone (404). For streaming progress to a service's
     * own clients.
     *
     * @param id the snapshot id
     * @param options the poll schedule and the overall timeout
     * @return a cold {@code Flux} of states, ending with an error signal
     *     {@link KoyebWaitTimeoutException} when the timeout passes first
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code id} is invalid
     */
    default Flux<Snapshot> watchSnapshot(String id, WaitOptions options) {
        return Waiter.watch(this, id, options);
    }

    /**
     * Releases what the client created for itself (its connection pool). Clients built on an
     * application's {@link WebClient.Builder} own nothing and this does nothing. Idempotent.
     */
    @Override
    default void close() {
    }

    /**
     * Builds a {@link ReactiveSnapshotsClient}. Not thread-safe; {@link #build()} may be called
     * more than once.
     */
    interface Builder {

        /**
         * The API's base URL, with or without a trailing {@code /}.
         *
         * @param baseUrl an absolute {@code https} URL (or {@code http} to a loopback address, for
         *     tests); default {@value ReactiveSnapshotsClient#DEFAULT_BASE_URL}
         * @return this builder
         * @throws NullPointerException if null
         * @throws IllegalArgumentException if not an absolute http(s) URL, or if it has a query
         */
        Builder baseUrl(String baseUrl);

        /**
         * The API token, sent as {@code Authorization: Bearer <token>}. It never appears in a
         * log line, an exception message or a {@code toString()}. Replaces a
         * {@link #tokenProvider(TokenProvider)}; the last of the two set wins.
         *
         * @param token the token, or null to send no {@code Authorization} header
         * @return this builder
         * @throws IllegalArgumentException if blank or if it holds a control character (CR, LF, ...)
         */
        Builder token(@Nullable String token);

        /**
         * Where the token of each request comes from, for tokens that rotate (a secret store, a
         * vault agent): asked for every request it sends, and once more after a 401, when a
         * token that differs from the refused one gets that request sent once more (never more
         * than once per call, whatever the method). Replaces {@link #token(String)}; the last of
         * the two set wins. See {@link TokenProvider}.
         *
         * @param provider the provider
         * @return this builder
         * @throws NullPointerException if null
         */
        Builder tokenProvider(TokenProvider provider);

        /**
         * Builds on an application's {@code WebClient.Builder} (its codecs, filters, connector and
         * observation registry apply). The given builder is never changed: the client works on a
         * clone. Without one the client creates its own, on Reactor Netty with a connection pool
         * named {@value ConnectionPoolSettings#POOL_NAME} (see {@link #connectionPool}).
         *
         * @param builder the application's builder
         * @return this builder
         * @throws NullPointerException if null
         */
        Builder webClientBuilder(WebClient.Builder builder);

        /**
         * The retry policy; default {@link RetryPolicy#defaults()}.
         *
         * @param policy the policy
         * @return this builder
         * @throws NullPointerException if null
         */
        Builder retryPolicy(RetryPolicy policy);

        /**
         * The rate limiter every call, listing, read-ahead page and waiter's poll of the client
         * takes a permit from before each request (retries too); default a new
         * {@link RateLimiter#adaptive()} one per client built. Pass the same instance to several
         * clients of one API and token to share it, or {@link RateLimiter#NONE} to send at once.
         *
         * @param limiter the limiter
         * @return this builder
         * @throws NullPointerException if null
         */
        Builder rateLimiter(RateLimiter limiter);

        /**
         * The longest wait for one complete response (status, headers and body) of one request;
         * a listing's pages each have their own. Default 30 s.
         *
         * @param timeout a positive duration
         * @return this builder
         * @throws NullPointerException if null
         * @throws IllegalArgumentException if zero or negative
         */
        Builder responseTimeout(Duration timeout);

        /**
         * The page size used by listings whose request sets none; default
         * {@value ListSnapshotsRequest#DEFAULT_PAGE_SIZE}.
         *
         * @param pageSize 1 to 100
         * @return this builder
         * @throws IllegalArgumentException if outside that range
         */
        Builder defaultPageSize(int pageSize);

        /**
         * The read-ahead of listings whose request sets none (see
         * {@link ListSnapshotsRequest.Builder#readAhead(int)}); default 0, a page requested only
         * when needed. Lets a service turn on parallel paging for a distant API without code.
         *
         * @param pages 0 to {@value ListSnapshotsRequest#MAX_READ_AHEAD}
         * @return this builder
         * @throws IllegalArgumentException if outside that range
         */
        Builder defaultReadAhead(int pages);

        /**
         * The largest response body the client reads into memory; a larger one fails with a
         * {@link KoyebTransportException} of reason {@code RESPONSE_TOO_LARGE}. Default 4 MiB,
         * well above a page of 100 snapshots (about 40 KiB).
         *
         * @param bytes 1024 or more
         * @return this builder
         * @throws IllegalArgumentException if smaller than 1024
         */
        Builder maxResponseSize(int bytes);

        /**
         * The limits of the connection pool the client creates for itself. Set on a client built
         * on an application's {@link WebClient.Builder}, it gives that client a connector of its
         * own with these limits (as custom trust or a proxy do), under the application's filters,
         * codecs and observation; not set, such a client sends on the application's connector.
         * Default {@link ConnectionPoolSettings#defaults()}.
         *
         * @param settings the pool's limits
         * @return this builder
         * @throws NullPointerException if null
         */
        Builder connectionPool(ConnectionPoolSettings settings);

        /**
         * Told about retries and pages, for metrics; default {@link ClientEventListener#NONE}.
         *
         * @param listener the listener
         * @return this builder
         * @throws NullPointerException if null
         */
        Builder eventListener(ClientEventListener listener);

        /**
         * An HTTP(S) proxy for every connection, or the JVM's proxy system properties
         * ({@link ProxySettings#fromSystemProperties()}). The client then uses a connector of its
         * own (its pool), also on an application's {@code WebClient.Builder}, whose filters, codecs
         * and observation still apply. A proxy that refuses gives a
         * {@code KoyebTransportException}: {@code PROXY} for a refusal such as 407 (not retried),
         * {@code CONNECT} when the proxy cannot be reached.
         *
         * @param settings the proxy
         * @return this builder
         * @throws NullPointerException if null
         */
        Builder proxy(ProxySettings settings);

        /**
         * The certificates the client trusts for HTTPS, instead of the JVM's default trust store:
         * a private CA, a TLS-inspecting proxy's. The client then uses a connector of its own
         * (its pool, {@link #connectionPool}) even on an application's {@code WebClient.Builder},
         * whose filters, codecs and observation still apply. Replaces
         * {@link #trustedCertificates(java.nio.file.Path)}.
         *
         * @param factory the trust
         * @return this builder
         * @throws NullPointerException if null
         */
        Builder trustManagerFactory(javax.net.ssl.TrustManagerFactory factory);

        /**
         * Trusts the CA certificates of a PEM file (and nothing else) for HTTPS, as
         * {@link #trustManagerFactory} does; the file is read at once.
         *
         * @param pemFile one or more {@code -----BEGIN CERTIFICATE-----} blocks
         * @return this builder
         * @throws IllegalArgumentException if the file cannot be read or holds no certificate
         */
        Builder trustedCertificates(java.nio.file.Path pemFile);

        /**
         * Whether replies are asked for gzip-compressed ({@code Accept-Encoding: gzip}); default
         * true. A listing page of 100 snapshots (about 38 KiB of JSON) compresses about tenfold.
         * The client inflates replies itself, on its own connector and on an application's (which
         * need not decompress; one that does hands the body over plain), and
         * {@link #maxResponseSize(int)} bounds the inflated body: a reply that would inflate past
         * it fails with {@code KoyebTransportException} ({@code RESPONSE_TOO_LARGE}) at the limit,
         * in bounded memory.
         *
         * @param enabled false to ask for plain replies
         * @return this builder
         */
        Builder compression(boolean enabled);

        /**
         * Allows sending the token over plain {@code http://} to a host that is not a loopback
         * address. Off by default: such a client fails to build rather than leak its token.
         *
         * @param allow true to allow
         * @return this builder
         */
        Builder allowInsecureHttp(boolean allow);

        /**
         * Builds the client.
         *
         * @return a new, thread-safe client
         * @throws IllegalStateException if a token would be sent over plain http to a non-loopback
         *     host without {@link #allowInsecureHttp(boolean)}
         */
        ReactiveSnapshotsClient build();
    }
}
