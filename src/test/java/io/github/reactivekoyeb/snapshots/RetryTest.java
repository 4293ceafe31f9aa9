package io.github.reactivekoyeb.snapshots;

import io.github.reactivekoyeb.snapshots.support.OnEachTransport;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.reactivekoyeb.snapshots.testing.FakeKoyebServer;
import io.github.reactivekoyeb.snapshots.testing.FakeResponse;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/** What is retried, how often, after how long, and what is emitted when retries run out. */
class RetryTest extends FakeServerTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    private ReactiveSnapshotsClient client(RetryPolicy policy) {
        return track(clientBuilder().retryPolicy(policy).build());
    }

    private long gapMillis(int first, int second) {
        List<io.github.reactivekoyeb.snapshots.testing.RecordedRequest> requests = server.requests();
        return Duration.between(requests.get(first).receivedAt(), requests.get(second).receivedAt()).toMillis();
    }

    @OnEachTransport
    void serviceUnavailableThenOkSendsExactlyTwoRequests() {
        server.seed(1);
        server.failNext(1, 503);
        StepVerifier.create(client().getSnapshot("snap-000001")).expectNextCount(1).expectComplete().verify(TIMEOUT);
        assertThat(server.requestCount()).isEqualTo(2);
    }

    @OnEachTransport
    void rateLimitedIsRetried() {
        server.seed(1);
        server.failNext(2, 429);
        StepVerifier.create(client().getSnapshot("snap-000001")).expectNextCount(1).expectComplete().verify(TIMEOUT);
        assertThat(server.requestCount()).isEqualTo(3);
    }

    @OnEachTransport
    void createIsRetriedOnServiceUnavailable() {
        server.failNext(1, 503);
        StepVerifier.create(client().createSnapshot(CreateSnapshotRequest.of("vol", "n"))).expectNextCount(1)
                .expectComplete().verify(TIMEOUT);
        assertThat(server.requestCount()).isEqualTo(2);
        assertThat(server.snapshots()).hasSize(1);
    }

    @OnEachTransport
    void exhaustionEmitsTheLastTypedExceptionItselfWithItsAttempts() {
        server.failNext(10, 503);
        Throwable e = errorOf(client(fastRetries(3)).getSnapshot("abc"));
        assertThat(e).isExactlyInstanceOf(KoyebServiceUnavailableException.class);
        assertThat(((KoyebApiException) e).attempts()).isEqualTo(4);
        assertThat(e.getMessage()).contains("after 4 attempts");
        assertThat(server.requestCount()).isEqualTo(4);
    }

    @OnEachTransport
    void aFailureAfterRetriesCountsEveryRequestSent() {
        server.failNext(2, 503);
        server.failNext(1, 404);
        Throwable e = errorOf(client(fastRetries(3)).getSnapshot("abc"));
        assertThat(e).isExactlyInstanceOf(KoyebNotFoundException.class);
        assertThat(((KoyebApiException) e).attempts()).isEqualTo(3);
    }

    @OnEachTransport
    void defaultPolicyRetriesThreeTimes() {
        assertThat(RetryPolicy.defaults().maxRetries()).isEqualTo(3);
        // Retry-After: 0 takes the place of the default backoff (250 ms, doubling), which the
        // delay tests cover, so that the default client's retries are counted without waiting
        server.failNext(10, 503, "0");
        ReactiveSnapshotsClient client = track(ReactiveSnapshotsClient.builder().baseUrl(server.baseUrl()).token(TOKEN)
                .build());
        Throwable e = errorOf(client.getSnapshot("abc"));
        assertThat(e).isExactlyInstanceOf(KoyebServiceUnavailableException.class);
        assertThat(((KoyebApiException) e).attempts()).isEqualTo(4);
        assertThat(server.requestCount()).isEqualTo(4);
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 401, 403, 404, 409, 500, 502, 504})
    void otherStatusesAreNotRetried(int status) {
        server.failNext(1, status);
        Throwable e = errorOf(client(fastRetries(3)).getSnapshot("abc"));
        assertThat(((KoyebApiException) e).statusCode()).isEqualTo(status);
        assertThat(((KoyebApiException) e).attempts()).isEqualTo(1);
        assertThat(server.requestCount()).isEqualTo(1);
    }

    @OnEachTransport
    void noneNeverRetries() {
        server.failNext(1, 503);
        Throwable e = errorOf(client(RetryPolicy.none()).getSnapshot("abc"));
        assertThat(e).isInstanceOf(KoyebServiceUnavailableException.class);
        assertThat(server.requestCount()).isEqualTo(1);
        assertThat(RetryPolicy.none().maxRetries()).isZero();
    }

    @OnEachTransport
    void aConnectionThatCouldNotBeOpenedIsRetried() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        ReactiveSnapshotsClient client = track(ReactiveSnapshotsClient.builder().baseUrl("http://127.0.0.1:" + port)
                .retryPolicy(RetryPolicy.builder().maxRetries(20).initialBackoff(Duration.ofMillis(100))
                        .maxBackoff(Duration.ofMillis(100)).build())
                .build());
        FakeKoyebServer[] late = new FakeKoyebServer[1];
        Schedulers.boundedElastic().schedule(() -> {
            late[0] = FakeKoyebServer.builder().port(port).build();
            late[0].seed(1);
        }, 300, java.util.concurrent.TimeUnit.MILLISECONDS);
        try {
            StepVerifier.create(client.getSnapshot("snap-000001")).expectNextCount(1).expectComplete().verify(TIMEOUT);
            assertThat(late[0].requestCount()).isEqualTo(1);
        } finally {
            if (late[0] != null) {
                late[0].close();
            }
        }
    }

    @OnEachTransport
    void refusedConnectionsEndWithATypedErrorAfterTheRetries() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        ReactiveSnapshotsClient client = track(ReactiveSnapshotsClient.builder().baseUrl("http://127.0.0.1:" + port)
                .retryPolicy(fastRetries(2)).build());
        Throwable e = errorOf(client.getSnapshot("abc"));
        assertThat(e).isExactlyInstanceOf(KoyebTransportException.class);
        KoyebTransportException t = (KoyebTransportException) e;
        assertThat(t.reason()).isEqualTo(KoyebTransportException.Reason.CONNECT);
        assertThat(t.attempts()).isEqualTo(3);
        assertThat(t.getMessage()).contains("GET /v1/snapshots/abc");
    }

    @ParameterizedTest
    @ValueSource(strings = {"disconnect", "reset", "truncate", "closeAfterHeaders"})
    void aGetWhoseConnectionFailedAfterSendingIsRetried(String fault) {
        server.seed(1);
        server.enqueue(fault(fault));
        StepVerifier.create(client().getSnapshot("snap-000001")).expectNextCount(1).expectComplete().verify(TIMEOUT);
        assertThat(server.requestCount()).isEqualTo(2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"disconnect", "reset", "truncate", "closeAfterHeaders"})
    void aListingPageWhoseConnectionFailedIsRetried(String fault) {
        List<Snapshot> seeded = server.seed(30);
        server.enqueue(FakeResponse.delayed(Duration.ZERO));
        server.enqueue(fault(fault));
        StepVerifier.create(client().listSnapshots(ListSnapshotsRequest.builder().pageSize(10).build()))
                .expectNextSequence(seeded).expectComplete().verify(TIMEOUT);
        assertThat(server.requests()).extracting(r -> r.queryParameter("offset")).containsExactly("0", "10", "10", "20");
    }

    @ParameterizedTest
    @ValueSource(strings = {"disconnect", "reset", "truncate", "closeAfterHeaders"})
    void createIsNeverResentOnceItMayHaveReachedTheServer(String fault) {
        server.enqueue(fault(fault));
        Throwable e = errorOf(client().createSnapshot(CreateSnapshotRequest.of("vol", "n")));
        assertThat(e).isInstanceOf(KoyebTransportException.class);
        assertThat(((KoyebTransportException) e).reason()).isEqualTo(KoyebTransportException.Reason.CONNECTION_CLOSED);
        assertThat(((KoyebTransportException) e).attempts()).isEqualTo(1);
        assertThat(e.getMessage()).contains("POST /v1/snapshots");
        LazinessTest.sleep(200);
        assertThat(server.requestCount()).isEqualTo(1);
    }

    @OnEachTransport
    void updateIsNeverResentOnceItMayHaveReachedTheServer() {
        server.seed(1);
        server.enqueue(FakeResponse.disconnect());
        Throwable e = errorOf(client().updateSnapshot("snap-000001", new UpdateSnapshotRequest("n")));
        assertThat(e).isInstanceOf(KoyebTransportException.class);
        LazinessTest.sleep(200);
        assertThat(server.requestCount()).isEqualTo(1);
    }

    @OnEachTransport
    void deleteWhoseConnectionFailedAfterSendingIsRetried() {
        server.seed(1);
        server.enqueue(FakeResponse.disconnect());
        StepVerifier.create(client().deleteSnapshot("snap-000001")).expectNextCount(1).expectComplete().verify(TIMEOUT);
        assertThat(server.requestCount()).isEqualTo(2);
    }

    @OnEachTransport
    void aGetThatTimesOutIsRetried() {
        server.seed(1);
        server.enqueue(FakeResponse.delayed(Duration.ofSeconds(2)));
        ReactiveSnapshotsClient client = track(clientBuilder().responseTimeout(Duration.ofMillis(300)).build());
        StepVerifier.create(client.getSnapshot("snap-000001")).expectNextCount(1).expectComplete().verify(TIMEOUT);
        assertThat(server.requestCount()).isEqualTo(2);
    }

    @OnEachTransport
    void aCreateThatTimesOutIsNotRetried() {
        server.enqueue(FakeResponse.delayed(Duration.ofSeconds(2)));
        ReactiveSnapshotsClient client = track(clientBuilder().responseTimeout(Duration.ofMillis(300)).build());
        Throwable e = errorOf(client.createSnapshot(CreateSnapshotRequest.of("vol", "n")));
        assertThat(e).isInstanceOf(KoyebTransportException.class);
        assertThat(((KoyebTransportException) e).reason()).isEqualTo(KoyebTransportException.Reason.RESPONSE_TIMEOUT);
        assertThat(e.getMessage()).contains("POST /v1/snapshots").contains("300 ms");
        LazinessTest.sleep(300);
        assertThat(server.requestCount()).isEqualTo(1);
    }

    @OnEachTransport
    void retryAfterSecondsIsHonoured() {
        server.seed(1);
        server.failNext(1, 503, "1");
        ReactiveSnapshotsClient client = client(RetryPolicy.builder().initialBackoff(Duration.ofMillis(10))
                .maxBackoff(Duration.ofSeconds(5)).build());
        StepVerifier.create(client.getSnapshot("snap-000001")).expectNextCount(1).expectComplete().verify(TIMEOUT);
        assertThat(gapMillis(0, 1)).isBetween(950L, 3000L);
    }

    @OnEachTransport
    void retryAfterIsCappedByMaxBackoff() {
        server.seed(1);
        server.failNext(1, 429, "30");
        long start = System.nanoTime();
        // without a rate limiter, whose pause for the Retry-After would hold the retry (RateLimitingTest)
        ReactiveSnapshotsClient client = track(clientBuilder().retryPolicy(fastRetries(3))
                .rateLimiter(RateLimiter.NONE).build());
        StepVerifier.create(client.getSnapshot("snap-000001")).expectNextCount(1).expectComplete()
                .verify(TIMEOUT);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        assertThat(server.requestCount()).isEqualTo(2);
    }

    @OnEachTransport
    void retryAfterDateIsHonouredAndCapped() {
        server.seed(1);
        String inThreeSeconds = DateTimeFormatter.RFC_1123_DATE_TIME.format(
                ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(3));
        server.failNext(1, 429, inThreeSeconds);
        // without a rate limiter, whose pause for the Retry-After would hold the retry 2-3 s
        ReactiveSnapshotsClient client = track(clientBuilder().retryPolicy(RetryPolicy.builder()
                .initialBackoff(Duration.ofMillis(10)).maxBackoff(Duration.ofMillis(1200)).build())
                .rateLimiter(RateLimiter.NONE).build());
        StepVerifier.create(client.getSnapshot("snap-000001")).expectNextCount(1).expectComplete().verify(TIMEOUT);
        // the date asks for 2-3 s; the cap of 1.2 s wins; a backoff without the header would be ~10 ms
        assertThat(gapMillis(0, 1)).isBetween(1100L, 2500L);
    }

    @OnEachTransport
    void maxElapsedStopsRetries() {
        server.failNext(50, 503);
        RetryPolicy policy = RetryPolicy.builder().maxRetries(50).initialBackoff(Duration.ofMillis(100))
                .maxBackoff(Duration.ofMillis(100)).maxElapsed(Duration.ofMillis(450)).build();
        long start = System.nanoTime();
        Throwable e = errorOf(client(policy).getSnapshot("abc"));
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(e).isInstanceOf(KoyebServiceUnavailableException.class);
        // waits are 50..100 ms: 50 retries would take 2.5 s at least; the budget stops them near 450 ms
        assertThat(((KoyebApiException) e).attempts()).isBetween(2, 10);
        assertThat(took).isLessThan(Duration.ofMillis(1500));
    }

    @OnEachTransport
    void policyValuesAreChecked() {
        assertThatThrownBy(() -> RetryPolicy.builder().maxRetries(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RetryPolicy.builder().initialBackoff(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RetryPolicy.builder().maxBackoff(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RetryPolicy.builder().maxBackoff(null)).isInstanceOf(NullPointerException.class);
        RetryPolicy policy = RetryPolicy.builder().maxRetries(5).initialBackoff(Duration.ofSeconds(2))
                .maxBackoff(Duration.ofSeconds(1)).build();
        assertThat(policy.initialBackoff()).isEqualTo(Duration.ofSeconds(1));
        assertThat(policy.maxRetries()).isEqualTo(5);
        assertThat(policy).isEqualTo(RetryPolicy.builder().maxRetries(5).initialBackoff(Duration.ofSeconds(1))
                .maxBackoff(Duration.ofSeconds(1)).build());
    }

    static FakeResponse fault(String name) {
        switch (name) {
            case "disconnect":
                return FakeResponse.disconnect();
            case "reset":
                return FakeResponse.reset();
            case "closeAfterHeaders":
                return FakeResponse.closeAfterHeaders();
            case "truncate":
                return FakeResponse.truncated(
                        "{\"snapshot\":{\"id\":\"snap-000001\",\"name\":\"a long enough name to cut in half\"}}");
            default:
                throw new IllegalArgumentException(name);
        }
    }
}
