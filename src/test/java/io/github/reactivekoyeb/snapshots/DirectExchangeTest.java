package io.github.reactivekoyeb.snapshots;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.github.reactivekoyeb.snapshots.support.BufferLeakAppender;
import io.github.reactivekoyeb.snapshots.support.NoBufferLeaksExtension;
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
 * A client without an application {@code WebClient.Builder} sends straight through its own
 * connector, not through a {@code WebClient} (issue 27): the same requests on the wire as through
 * an application's builder, and the reply's body released on every path, as {@code WebClient}
 * releases it.
 */
class DirectExchangeTest extends FakeServerTest {

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
     * its contract): the body is released, the connection is not held, and the next call on a
     * pool of one connection goes through.
     */
    @Test
    void aReplyBodyLeftUnreadIsReleasedAndItsConnectionFreed() throws Exception {
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
        ClientEventListener throwing = new ClientEventListener() {
            @Override
            public void onThrottled(String method, String uriTemplate, Duration retryAfter, double rate) {
                throw new IllegalStateException("a listener that breaks its contract");
            }
        };
        try (ReactiveSnapshotsClient client = ReactiveSnapshotsClient.builder().baseUrl("http://127.0.0.1:" + api.port())
                .retryPolicy(RetryPolicy.none()).rateLimiter(RateLimiter.NONE).eventListener(throwing)
                .connectionPool(ConnectionPoolSettings.builder().maxConnections(1).build())
                .responseTimeout(Duration.ofSeconds(5)).build()) {
            for (int i = 0; i < 3; i++) {
                StepVerifier.create(client.getSnapshot("snap-1"))
                        .expectErrorMessage("a listener that breaks its contract").verify(TIMEOUT);
                StepVerifier.create(client.getSnapshot("snap-1")).assertNext(s -> assertThat(s.id()).isEqualTo("snap-1"))
                        .verifyComplete();
            }
        } finally {
            api.disposeNow();
        }
        NoBufferLeaksExtension.provokeReports();
        assertThat(BufferLeakAppender.drain()).as("leak reports").isEmpty();
    }
}
