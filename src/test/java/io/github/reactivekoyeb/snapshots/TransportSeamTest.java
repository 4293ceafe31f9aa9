package io.github.reactivekoyeb.snapshots;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.github.reactivekoyeb.snapshots.support.BufferLeakAppender;
import io.github.reactivekoyeb.snapshots.support.ClientTransport;
import io.github.reactivekoyeb.snapshots.support.NoBufferLeaksExtension;
import io.github.reactivekoyeb.snapshots.support.OnEachTransport;
import io.github.reactivekoyeb.snapshots.testing.RecordedRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.web.reactive.function.client.ExchangeFunctions;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.test.StepVerifier;

/**
 * The client's two transports behave as one: a client without an application
 * {@code WebClient.Builder} sends straight through its own Reactor Netty client, not through a
 * {@code WebClient}, with the same requests on the wire as through an application's builder; on
 * both, a reply's body is released on every path, a failure before the reply is typed the same
 * way, and a server that closes its keep-alive connections costs no GET its value. Which
 * transport a client uses is one DEBUG line when it is built.
 */
class TransportSeamTest extends FakeServerTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @Test
    void theRequestsOnTheWireAreTheSameWithOrWithoutAnApplicationWebClientBuilder() {
        server.seed(1);
        List<Map<String, Object>> direct = sendEachOperation(client());
        List<Map<String, Object>> viaWebClient = sendEachOperation(track(clientBuilder()
                .webClientBuilder(WebClient.builder()).build()));
        assertThat(direct).hasSize(5);
        assertThat(direct).isEqualTo(viaWebClient);
        // the headers that matter, spelled out: a body has its type and length, a GET has neither
        assertThat(direct.get(0).get("headers").toString()).contains("content-type=[application/json]")
                .contains("content-length=[").contains("authorization=[Bearer ").contains("accept-encoding=[gzip]");
        assertThat(direct.get(2).get("headers").toString()).doesNotContain("content-type").doesNotContain("content-length");
    }

    /**
     * Through a {@code WebClient}, every exchange is logged by its {@code ExchangeFunctions} (at
     * DEBUG, on in the suite): a default client logs none for this server, a client on an
     * application's builder logs its requests.
     */
    @Test
    void aClientWithoutAnApplicationWebClientBuilderSendsNothingThroughWebClient() {
        server.seed(1);
        Logger exchanges = (Logger) LoggerFactory.getLogger(ExchangeFunctions.class);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        exchanges.addAppender(logged);
        try {
            client().getSnapshot("snap-000001").block(TIMEOUT);
            client().listSnapshots(ListSnapshotsRequest.builder().pageSize(10).build()).collectList().block(TIMEOUT);
            assertThat(toThisServer(logged)).as("WebClient's exchanges, default client").isEmpty();
            track(clientBuilder().webClientBuilder(WebClient.builder()).build()).getSnapshot("snap-000001").block(TIMEOUT);
            assertThat(toThisServer(logged)).as("WebClient's exchanges, on an application's builder").isNotEmpty();
        } finally {
            exchanges.detachAppender(logged);
        }
    }

    /** The logged lines that name this test's server (other classes' clients may log meanwhile). */
    private List<String> toThisServer(ListAppender<ILoggingEvent> logged) {
        List<ILoggingEvent> events;
        synchronized (logged) { // the appender appends under its own lock
            events = List.copyOf(logged.list);
        }
        List<String> lines = new ArrayList<>();
        for (ILoggingEvent event : events) {
            if (event.getFormattedMessage().contains(server.baseUrl())) {
                lines.add(event.getFormattedMessage());
            }
        }
        return lines;
    }

    /** Create, update, get, list and delete; each request as the server saw it, minus what differs by nature. */
    private List<Map<String, Object>> sendEachOperation(ReactiveSnapshotsClient client) {
        List<Map<String, Object>> seen = new ArrayList<>();
        Snapshot created = client.createSnapshot(CreateSnapshotRequest.of("vol-1", "direct")).block(TIMEOUT);
        seen.add(lastRequest());
        client.updateSnapshot(created.id(), new UpdateSnapshotRequest("renamed")).block(TIMEOUT);
        seen.add(lastRequest());
        client.getSnapshot("snap-000001").block(TIMEOUT);
        seen.add(lastRequest());
        client.listSnapshots(ListSnapshotsRequest.builder().pageSize(10).build()).collectList().block(TIMEOUT);
        seen.add(lastRequest());
        client.deleteSnapshot(created.id()).block(TIMEOUT);
        seen.add(lastRequest());
        return seen;
    }

    private Map<String, Object> lastRequest() {
        RecordedRequest request = server.lastRequest();
        Map<String, Object> seen = new TreeMap<>();
        seen.put("method", request.method());
        // a created snapshot's id differs between the two runs
        seen.put("path", request.path().replaceAll("/v1/snapshots/(?!snap-000001).+", "/v1/snapshots/{created}"));
        seen.put("query", String.valueOf(request.rawQuery()));
        Map<String, List<String>> headers = new TreeMap<>(request.headers());
        headers.remove("host"); // the same host, but the port is the server's
        seen.put("headers", headers);
        seen.put("body", request.body());
        return seen;
    }

    /**
     * A reply whose body the client never reads, because an event listener threw on it (against
     * its contract), a {@code RuntimeException} or an {@code Error}: the body is released, the
     * connection is not held, and the next call on a pool of one connection goes through.
     */
    @OnEachTransport
    void aReplyBodyLeftUnreadIsReleasedAndItsConnectionFreed(ClientTransport transport) throws Exception {
        NoBufferLeaksExtension.provokeReports();
        BufferLeakAppender.drain();
        AtomicInteger calls = new AtomicInteger();
        byte[] errorBody = ("{\"error\":\"" + "x".repeat(48 * 1024) + "\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        DisposableServer api = HttpServer.create().host("127.0.0.1").port(0)
                .handle((request, response) -> calls.incrementAndGet() % 2 == 1
                        ? response.status(429).header("Content-Type", "application/json")
                                .header("Content-Length", String.valueOf(errorBody.length))
                                .sendByteArray(Mono.just(errorBody))
                        : response.status(200).header("Content-Type", "application/json")
                                .sendString(Mono.just("{\"snapshot\":{\"id\":\"snap-1\",\"name\":\"n\"}}")))
                .bindNow();
        AtomicInteger throttled = new AtomicInteger();
        ClientEventListener throwing = new ClientEventListener() {
            @Override
            public void onThrottled(String method, String uriTemplate, Duration retryAfter, double rate) {
                if (throttled.incrementAndGet() % 2 == 1) {
                    throw new IllegalStateException("a listener that breaks its contract");
                }
                throw new ListenerError("a listener that throws an Error");
            }
        };
        // one connection: a body left held would hold it, and the next call would wait for ever
        try (ReactiveSnapshotsClient client = transport.apply(ReactiveSnapshotsClient.builder())
                .baseUrl("http://127.0.0.1:" + api.port())
                .retryPolicy(RetryPolicy.none()).rateLimiter(RateLimiter.NONE).eventListener(throwing)
                .connectionPool(ConnectionPoolSettings.builder().maxConnections(1).build())
                .responseTimeout(Duration.ofSeconds(5)).build()) {
            for (int i = 0; i < 4; i++) {
                StepVerifier.create(client.getSnapshot("snap-1"))
                        .expectErrorSatisfies(e -> assertThat(e.getMessage()).startsWith("a listener that"))
                        .verify(TIMEOUT);
                StepVerifier.create(client.getSnapshot("snap-1")).assertNext(s -> assertThat(s.id()).isEqualTo("snap-1"))
                        .verifyComplete();
            }
        } finally {
            api.disposeNow();
        }
        assertThat(throttled).as("both kinds thrown").hasValue(4);
        NoBufferLeaksExtension.provokeReports();
        assertThat(BufferLeakAppender.drain()).as("leak reports").isEmpty();
    }

    /** An {@code Error} that is not one of the JVM's fatal ones, as a broken listener might throw. */
    private static final class ListenerError extends Error {
        private static final long serialVersionUID = 1L;

        ListenerError(String message) {
            super(message);
        }
    }

    /**
     * A server that closes each keep-alive connection 0-2 ms after its reply, as some load
     * balancers do: a pooled connection is often closed just as the next request takes it, before
     * or after that request is written. Every GET still gets its value (a connection closed before
     * the request is written is retried as nothing sent, one closed after as a GET may be), on
     * both transports.
     */
    @OnEachTransport
    void aServerThatClosesEachKeepAliveConnectionAfterItsReplyCostsNoGetItsValue(ClientTransport transport) {
        AtomicInteger replies = new AtomicInteger();
        AtomicInteger connections = new AtomicInteger();
        DisposableServer api = HttpServer.create().host("127.0.0.1").port(0)
                .doOnConnection(connection -> connections.incrementAndGet())
                .handle((request, response) -> response.status(200).header("Content-Type", "application/json")
                        .sendString(Mono.just("{\"snapshot\":{\"id\":\"snap-1\",\"name\":\"n\"}}"))
                        .then(Mono.fromRunnable(() -> {
                            int n = replies.incrementAndGet();
                            response.withConnection(c -> c.channel().eventLoop().schedule(
                                    () -> c.channel().close(), n % 3, java.util.concurrent.TimeUnit.MILLISECONDS));
                        })))
                .bindNow();
        List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (ReactiveSnapshotsClient client = transport.apply(ReactiveSnapshotsClient.builder())
                .baseUrl("http://127.0.0.1:" + api.port()).rateLimiter(RateLimiter.NONE)
                .retryPolicy(RetryPolicy.builder().maxRetries(5).initialBackoff(Duration.ofMillis(1))
                        .maxBackoff(Duration.ofMillis(5)).build())
                .responseTimeout(Duration.ofSeconds(5)).build()) {
            long ok = reactor.core.publisher.Flux.range(0, 400)
                    .flatMap(i -> client.getSnapshot("snap-1").doOnError(failures::add).onErrorResume(e -> Mono.empty()), 4)
                    .count().block(Duration.ofSeconds(60));
            assertThat(failures).as("failed GETs").isEmpty();
            assertThat(ok).isEqualTo(400);
            // the closes really happened: 4 callers on keep-alive connections would need 4
            assertThat(connections.get()).as("connections the server saw").isGreaterThan(100);
        } finally {
            api.disposeNow();
        }
    }

    /**
     * A pool whose wait queue is full gives {@code CONNECT} (no connection was had, nothing was
     * sent), so that even a create is retried: on the client's own pool (the queue in front of
     * it), and on an application's connector (Reactor Netty's own pool, its refusal wrapped by
     * {@code WebClient}).
     */
    @OnEachTransport
    void aPoolWithNoRoomInItsQueueIsANotObtainedConnectionAndACreateIsRetried(ClientTransport transport) {
        server.latency(Duration.ofMillis(150));
        List<RetryReason> retries = new java.util.concurrent.CopyOnWriteArrayList<>();
        ClientEventListener listener = new ClientEventListener() {
            @Override
            public void onRetry(String method, String uriTemplate, RetryReason reason, int retry, Duration delay) {
                retries.add(reason);
            }
        };
        ReactiveSnapshotsClient.Builder builder = clientBuilder().eventListener(listener)
                .retryPolicy(RetryPolicy.builder().maxRetries(20).initialBackoff(Duration.ofMillis(50))
                        .maxBackoff(Duration.ofMillis(100)).build());
        reactor.netty.resources.ConnectionProvider applicationPool = reactor.netty.resources.ConnectionProvider
                .builder("application").maxConnections(1).pendingAcquireMaxCount(1).build();
        try {
            if (transport == ClientTransport.WEBCLIENT) {
                builder.webClientBuilder(WebClient.builder().clientConnector(
                        new org.springframework.http.client.reactive.ReactorClientHttpConnector(
                                reactor.netty.http.client.HttpClient.create(applicationPool))));
            } else {
                builder.connectionPool(ConnectionPoolSettings.builder().maxConnections(1).pendingAcquireMaxCount(1).build());
            }
            ReactiveSnapshotsClient client = track(builder.build());
            List<Snapshot> created = reactor.core.publisher.Flux.range(0, 4)
                    .flatMap(i -> client.createSnapshot(CreateSnapshotRequest.of("vol-1", "pool-" + i)), 4)
                    .collectList().block(TIMEOUT);
            assertThat(created).hasSize(4);
            assertThat(server.requests()).as("the refused tries sent nothing").hasSize(4);
            assertThat(retries).as("retried as a connection not obtained").isNotEmpty()
                    .allMatch(reason -> reason == RetryReason.CONNECT);
        } finally {
            applicationPool.disposeLater().block(TIMEOUT);
        }
    }

    /** One DEBUG line when the client is built says which transport it sends through, and why. */
    @Test
    void theTransportAndWhyAreOneDebugLineWhenTheClientIsBuilt() {
        Logger clients = (Logger) LoggerFactory.getLogger("io.github.reactivekoyeb.snapshots.client");
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        clients.addAppender(logged);
        try {
            track(clientBuilder().build());
            track(clientBuilder().webClientBuilder(WebClient.builder()).build());
            track(clientBuilder().webClientBuilder(WebClient.builder())
                    .connectionPool(ConnectionPoolSettings.builder().maxConnections(2).build()).build());
        } finally {
            clients.detachAppender(logged);
        }
        List<String> lines = toThisServer(logged);
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).contains("the client's own Reactor Netty HttpClient").contains("no application WebClient.Builder");
        assertThat(lines.get(1)).contains("the application's WebClient on its own connector");
        assertThat(lines.get(2)).contains("the application's WebClient on the client's own Reactor Netty connector")
                .contains("connectionPool(...)");
        assertThat(String.join("\n", lines)).doesNotContain(TOKEN);
    }

    /**
     * {@code connectionPool(...)} on a client built on an application's builder is honoured: the
     * client then sends on a connector of its own with those limits (here one connection), under
     * the application's filters.
     */
    @Test
    void connectionPoolOnAnApplicationBuilderIsHonoured() {
        server.seed(1);
        server.latency(Duration.ofMillis(20));
        AtomicInteger filtered = new AtomicInteger();
        ReactiveSnapshotsClient client = track(clientBuilder()
                .webClientBuilder(WebClient.builder().filter((request, next) -> {
                    filtered.incrementAndGet();
                    return next.exchange(request);
                }))
                .connectionPool(ConnectionPoolSettings.builder().maxConnections(2).build()).build());
        long ok = reactor.core.publisher.Flux.range(0, 40).flatMap(i -> client.getSnapshot("snap-000001"), 40)
                .count().block(TIMEOUT);
        assertThat(ok).isEqualTo(40);
        assertThat(server.connectionsOpened()).as("the pool's limit held").isEqualTo(2);
        assertThat(filtered).as("the application's filter still applies").hasValue(40);
    }
}
