package io.github.reactivekoyeb.snapshots.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.reactivekoyeb.snapshots.KoyebNotFoundException;
import io.github.reactivekoyeb.snapshots.KoyebServerException;
import io.github.reactivekoyeb.snapshots.KoyebServiceUnavailableException;
import io.github.reactivekoyeb.snapshots.ReactiveSnapshotsClient;
import io.github.reactivekoyeb.snapshots.RetryPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/**
 * The fake server's expectations (in the style of r2dbc-postgresql's {@code TestClient}), its one
 * clock, and its independence from the client's internals.
 */
class FakeKoyebServerExpectationsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private FakeKoyebServer server;
    private ReactiveSnapshotsClient client;

    @BeforeEach
    void start() {
        server = FakeKoyebServer.start();
        server.seed(3);
        client = ReactiveSnapshotsClient.builder().baseUrl(server.baseUrl()).retryPolicy(RetryPolicy.none()).build();
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    @Test
    void expectedRequestsAreAnsweredInOrderAndVerifyPasses() {
        server.expect("GET", "/v1/snapshots/snap-000001")
                .expect("GET", "/v1/snapshots/snap-000002", FakeResponse.status(503))
                .expect("GET", "/v1/snapshots?limit=2&offset=0");
        assertThat(client.getSnapshot("snap-000001").block(TIMEOUT).id()).isEqualTo("snap-000001");
        StepVerifier.create(client.getSnapshot("snap-000002")).expectError(KoyebServiceUnavailableException.class)
                .verify(TIMEOUT);
        StepVerifier.create(client.listSnapshotPages(io.github.reactivekoyeb.snapshots.ListSnapshotsRequest.builder()
                .pageSize(2).build()).take(1)).expectNextCount(1).expectComplete().verify(TIMEOUT);
        server.verify();
    }

    @Test
    void verifyNamesTheExpectedRequestsThatDidNotCome() {
        server.expect("GET", "/v1/snapshots/snap-000001").expect("DELETE", "/v1/snapshots/snap-000003");
        client.getSnapshot("snap-000001").block(TIMEOUT);
        assertThatThrownBy(server::verify).isInstanceOf(AssertionError.class)
                .hasMessageContaining("expected, not received: [DELETE /v1/snapshots/snap-000003]")
                .hasMessageNotContaining("received, not expected");
    }

    @Test
    void anUnexpectedRequestIsAnswered500AndNamedByVerify() {
        server.expect("GET", "/v1/snapshots/snap-000001");
        StepVerifier.create(client.getSnapshot("snap-000002"))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(KoyebServerException.class)
                        .hasMessageContaining("unexpected_request"))
                .verify(TIMEOUT);
        assertThatThrownBy(server::verify).isInstanceOf(AssertionError.class)
                .hasMessageContaining("expected, not received: [GET /v1/snapshots/snap-000001]")
                .hasMessageContaining("received, not expected: [GET /v1/snapshots/snap-000002]");
        server.clearScript();
        server.verify();
        assertThat(client.getSnapshot("snap-000002").block(TIMEOUT).id()).isEqualTo("snap-000002");
    }

    @Test
    void withoutExpectationsEveryRequestIsExpected() {
        StepVerifier.create(client.getSnapshot("nope")).expectError(KoyebNotFoundException.class).verify(TIMEOUT);
        server.verify();
    }

    @Test
    void oneClockForLifeCyclesStormsAndArrivals() {
        MutableClock clock = new MutableClock(Instant.parse("2026-06-01T12:00:00Z"));
        try (FakeKoyebServer timed = FakeKoyebServer.builder().clock(clock).build();
             ReactiveSnapshotsClient c = ReactiveSnapshotsClient.builder().baseUrl(timed.baseUrl())
                     .retryPolicy(RetryPolicy.none()).build()) {
            timed.seed(1);
            timed.failFor(Duration.ofMinutes(1), FakeResponse.status(503));
            StepVerifier.create(c.getSnapshot("snap-000001")).expectError(KoyebServiceUnavailableException.class)
                    .verify(TIMEOUT);
            assertThat(timed.lastRequest().receivedAt()).isEqualTo(clock.instant());
            clock.advance(Duration.ofSeconds(61)); // the storm is over by the server's clock alone
            assertThat(c.getSnapshot("snap-000001").block(TIMEOUT).id()).isEqualTo("snap-000001");
            assertThat(timed.lastRequest().receivedAt()).isEqualTo(Instant.parse("2026-06-01T12:01:01Z"));
        }
    }

    @Test
    void theFakeServerImportsNothingFromTheClientsInternals() throws IOException {
        Path testing = Path.of("src/main/java/io/github/reactivekoyeb/snapshots/testing");
        List<Path> sources;
        try (Stream<Path> files = Files.list(testing)) {
            sources = files.filter(f -> f.toString().endsWith(".java")).toList();
        }
        assertThat(sources).hasSizeGreaterThan(5);
        for (Path source : sources) {
            assertThat(Files.readString(source)).as(source.toString())
                    .doesNotContain("io.github.reactivekoyeb.snapshots.internal");
        }
    }

    /** A clock the test moves by hand. */
    static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant start) {
            this.now = start;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
