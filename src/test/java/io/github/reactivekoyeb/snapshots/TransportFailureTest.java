package io.github.reactivekoyeb.snapshots;

import io.github.reactivekoyeb.snapshots.support.OnEachTransport;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivekoyeb.snapshots.testing.FakeResponse;
import java.time.Duration;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** Replies that are not usable become typed error signals naming the method and path, never a hang. */
class TransportFailureTest extends FakeServerTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private static KoyebTransportException transportErrorOf(Mono<?> call) {
        Throwable error = errorOf(call);
        assertThat(error).isInstanceOf(KoyebTransportException.class);
        return (KoyebTransportException) error;
    }

    @OnEachTransport
    void htmlWithStatus200IsAMalformedResponse() {
        server.enqueue(FakeResponse.status(200).withBody("<html>captive portal</html>", "text/html"));
        KoyebTransportException e = transportErrorOf(client().getSnapshot("abc"));
        assertThat(e.reason()).isEqualTo(KoyebTransportException.Reason.MALFORMED_RESPONSE);
        assertThat(e.statusCode()).isEqualTo(200);
        assertThat(e.attempts()).isEqualTo(1); // a malformed reply is not retried
        assertThat(e.getMessage()).contains("GET /v1/snapshots/abc");
        assertThat(server.requestCount()).isEqualTo(1);
    }

    @OnEachTransport
    void jsonOfTheWrongShapeIsAMalformedResponse() {
        server.enqueue(FakeResponse.json(200, "{\"snapshot\":\"not an object\"}"));
        assertThat(transportErrorOf(client().getSnapshot("abc")).reason())
                .isEqualTo(KoyebTransportException.Reason.MALFORMED_RESPONSE);
        server.enqueue(FakeResponse.json(200, "[1,2,3]"));
        assertThat(transportErrorOf(client().getSnapshot("abc")).reason())
                .isEqualTo(KoyebTransportException.Reason.MALFORMED_RESPONSE);
        server.enqueue(FakeResponse.json(200, "{\"snapshots\":{\"id\":1},\"has_next\":true}"));
        assertThat(transportErrorOf(client().listSnapshots().then()).reason())
                .isEqualTo(KoyebTransportException.Reason.MALFORMED_RESPONSE);
        server.enqueue(FakeResponse.json(200, "{\"snapshots\":[null],\"has_next\":false}"));
        assertThat(transportErrorOf(client().listSnapshots().then()).reason())
                .isEqualTo(KoyebTransportException.Reason.MALFORMED_RESPONSE);
        server.enqueue(FakeResponse.json(200, "{\"snapshot\":{\"id\":\"a\",\"created_at\":\"yesterday\"}}"));
        assertThat(transportErrorOf(client().getSnapshot("abc")).reason())
                .isEqualTo(KoyebTransportException.Reason.MALFORMED_RESPONSE);
    }

    @OnEachTransport
    void aReplyWithoutTheSnapshotIsAMalformedResponseNotANull() {
        server.enqueue(FakeResponse.json(200, "{}"));
        KoyebTransportException e = transportErrorOf(client().deleteSnapshot("abc"));
        assertThat(e.reason()).isEqualTo(KoyebTransportException.Reason.MALFORMED_RESPONSE);
        assertThat(e.getMessage()).contains("DELETE /v1/snapshots/abc").contains("no snapshot");
    }

    @OnEachTransport
    void anEmptySuccessBodyIsAMalformedResponse() {
        server.enqueue(FakeResponse.status(200).withoutBody());
        KoyebTransportException e = transportErrorOf(client().getSnapshot("abc"));
        assertThat(e.reason()).isEqualTo(KoyebTransportException.Reason.MALFORMED_RESPONSE);
        assertThat(e.getMessage()).contains("empty body");
    }

    @OnEachTransport
    void truncatedJsonWithAMatchingLengthIsAMalformedResponse() {
        server.enqueue(FakeResponse.json(200, "{\"snapshot\":{\"id\":\"a\",\"na"));
        assertThat(transportErrorOf(client().getSnapshot("abc")).reason())
                .isEqualTo(KoyebTransportException.Reason.MALFORMED_RESPONSE);
    }

    @OnEachTransport
    void aBodyCutShortByTheConnectionIsConnectionClosed() {
        server.enqueue(RetryTest.fault("truncate"));
        KoyebTransportException e = transportErrorOf(noRetry().getSnapshot("snap-000001"));
        assertThat(e.reason()).isEqualTo(KoyebTransportException.Reason.CONNECTION_CLOSED);
        assertThat(e.getMessage()).contains("GET /v1/snapshots/snap-000001");
    }

    @OnEachTransport
    void aServerThatClosesAfterTheHeadersIsConnectionClosed() {
        server.enqueue(FakeResponse.closeAfterHeaders());
        KoyebTransportException e = transportErrorOf(noRetry().getSnapshot("snap-000001"));
        assertThat(e.reason()).isEqualTo(KoyebTransportException.Reason.CONNECTION_CLOSED);
    }

    @OnEachTransport
    void aResetBeforeTheResponseIsConnectionClosed() {
        server.enqueue(FakeResponse.reset());
        KoyebTransportException e = transportErrorOf(noRetry().listSnapshots().then());
        assertThat(e.reason()).isEqualTo(KoyebTransportException.Reason.CONNECTION_CLOSED);
        assertThat(e.getMessage()).contains("GET /v1/snapshots");
    }

    @OnEachTransport
    void aResponseLargerThanTheLimitFailsWithAClearMessage() {
        String big = "{\"snapshot\":{\"id\":\"a\",\"name\":\"" + "n".repeat(5000) + "\"}}";
        server.enqueue(FakeResponse.json(200, big));
        ReactiveSnapshotsClient client = track(clientBuilder().maxResponseSize(2048).build());
        KoyebTransportException e = transportErrorOf(client.getSnapshot("abc"));
        assertThat(e.reason()).isEqualTo(KoyebTransportException.Reason.RESPONSE_TOO_LARGE);
        assertThat(e.getMessage()).contains("2048").contains("maxResponseSize");
        assertThat(server.requestCount()).isEqualTo(1);
    }

    @OnEachTransport
    void aResponseThatDoesNotArriveInTimeIsAResponseTimeout() {
        server.latency(Duration.ofSeconds(3));
        ReactiveSnapshotsClient client = track(clientBuilder().retryPolicy(RetryPolicy.none())
                .responseTimeout(Duration.ofMillis(200)).build());
        long start = System.nanoTime();
        KoyebTransportException e = transportErrorOf(client.getSnapshot("abc"));
        assertThat(e.reason()).isEqualTo(KoyebTransportException.Reason.RESPONSE_TIMEOUT);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    }

    @OnEachTransport
    void aBodyThatDripsBeyondTheTimeoutIsAResponseTimeout() {
        server.enqueue(FakeResponse.drip("{\"snapshot\":{\"id\":\"a\"}}", Duration.ofMillis(100)));
        ReactiveSnapshotsClient client = track(clientBuilder().retryPolicy(RetryPolicy.none())
                .responseTimeout(Duration.ofMillis(500)).build());
        KoyebTransportException e = transportErrorOf(client.getSnapshot("abc"));
        assertThat(e.reason()).isEqualTo(KoyebTransportException.Reason.RESPONSE_TIMEOUT);
    }

    @OnEachTransport
    void responseTimeoutBoundsEachPageNotTheWholeListing() {
        server.seed(50);
        server.latency(Duration.ofMillis(100));
        ReactiveSnapshotsClient client = track(clientBuilder().retryPolicy(RetryPolicy.none())
                .responseTimeout(Duration.ofMillis(400)).build());
        // 10 pages x 100 ms = 1 s in all, more than the timeout, each page well within it
        StepVerifier.create(client.listSnapshots(ListSnapshotsRequest.builder().pageSize(5).build()))
                .expectNextCount(50).expectComplete().verify(TIMEOUT);
    }
}
