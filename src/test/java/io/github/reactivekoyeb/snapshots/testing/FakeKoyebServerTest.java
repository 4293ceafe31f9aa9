package io.github.reactivekoyeb.snapshots.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.reactivekoyeb.snapshots.CreateSnapshotRequest;
import io.github.reactivekoyeb.snapshots.KoyebNotFoundException;
import io.github.reactivekoyeb.snapshots.KoyebRateLimitException;
import io.github.reactivekoyeb.snapshots.KoyebServiceUnavailableException;
import io.github.reactivekoyeb.snapshots.KoyebUnauthorizedException;
import io.github.reactivekoyeb.snapshots.ListSnapshotsRequest;
import io.github.reactivekoyeb.snapshots.RateLimiter;
import io.github.reactivekoyeb.snapshots.ReactiveSnapshotsClient;
import io.github.reactivekoyeb.snapshots.RetryPolicy;
import io.github.reactivekoyeb.snapshots.Snapshot;
import io.github.reactivekoyeb.snapshots.SnapshotStatus;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/** The fake server keeps Koyeb's semantics, so that users' tests against it mean something. */
class FakeKoyebServerTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final String SERVER_TOKEN = io.github.reactivekoyeb.snapshots.support.TestSecrets.ALL.get(1);

    private FakeKoyebServer server;
    private ReactiveSnapshotsClient client;

    @BeforeEach
    void start() {
        server = FakeKoyebServer.builder().token(SERVER_TOKEN).creationDelay(Duration.ofMillis(300))
                .deletionDelay(Duration.ofMillis(300)).build();
        client = ReactiveSnapshotsClient.builder().baseUrl(server.baseUrl()).token(SERVER_TOKEN)
                .retryPolicy(RetryPolicy.none()).build();
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    @Test
    void theReadmeExampleHoldsTrue() {
        try (FakeKoyebServer server = FakeKoyebServer.builder()
                .token("test-token-readme-example")
                .creationDelay(Duration.ofMillis(200))
                .build()) {
            server.seed(250);
            ReactiveSnapshotsClient client = ReactiveSnapshotsClient.builder()
                    .baseUrl(server.baseUrl()).token("test-token-readme-example").build();

            server.failNext(1, 503, "1");
            server.enqueue(FakeResponse.disconnect());
            server.latency(Duration.ofMillis(20));

            StepVerifier.create(client.listSnapshots()).expectNextCount(250).expectComplete().verify(TIMEOUT);
            assertThat(server.requestCount()).isEqualTo(5);
            assertThat(server.lastRequest().queryParameter("offset")).isEqualTo("200");
            client.close();
        }
    }

    @Test
    void heldTogetherAnswersWaitForTheLastRequestOfTheBurst() {
        server.seed(3);
        server.holdTogether(2);
        // the first request alone gets no answer, however long it waits
        StepVerifier.create(client.getSnapshot("snap-000001")).expectSubscription()
                .expectNoEvent(Duration.ofMillis(200)).thenCancel().verify(TIMEOUT);
        // the second one releases both (the first was cancelled), then nothing is held
        StepVerifier.create(client.getSnapshot("snap-000002")).expectNextCount(1).expectComplete().verify(TIMEOUT);
        StepVerifier.create(client.getSnapshot("snap-000003")).expectNextCount(1).expectComplete().verify(TIMEOUT);
        assertThatThrownBy(() -> server.holdTogether(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void listensOnLoopbackWithARandomPort() {
        assertThat(server.baseUrl()).startsWith("http://127.0.0.1:");
        assertThat(server.port()).isPositive();
    }

    @Test
    void aCreatedSnapshotIsCreatingThenAvailable() throws InterruptedException {
        Snapshot created = client.createSnapshot(CreateSnapshotRequest.of("vol-9", "nightly")).block(TIMEOUT);
        assertThat(created.status()).isEqualTo(SnapshotStatus.CREATING);
        assertThat(created.parentVolumeId()).isEqualTo("vol-9");
        assertThat(created.name()).isEqualTo("nightly");
        assertThat(created.id()).isNotBlank();
        assertThat(created.size()).isGreaterThan(Integer.MAX_VALUE);
        Thread.sleep(400);
        assertThat(client.getSnapshot(created.id()).block(TIMEOUT).status()).isEqualTo(SnapshotStatus.AVAILABLE);
    }

    @Test
    void aDeletedSnapshotIsDeletingThenDeleted() throws InterruptedException {
        server.seed(1);
        assertThat(client.deleteSnapshot("snap-000001").block(TIMEOUT).status()).isEqualTo(SnapshotStatus.DELETING);
        Thread.sleep(400);
        Snapshot deleted = client.getSnapshot("snap-000001").block(TIMEOUT);
        assertThat(deleted.status()).isEqualTo(SnapshotStatus.DELETED);
        assertThat(deleted.deletedAt()).isNotNull();
    }

    @Test
    void unknownIdsAreNotFoundAndRemovedOnesToo() {
        server.seed(1);
        StepVerifier.create(client.getSnapshot("nope")).expectError(KoyebNotFoundException.class).verify(TIMEOUT);
        assertThat(server.remove("snap-000001")).isTrue();
        StepVerifier.create(client.getSnapshot("snap-000001")).expectError(KoyebNotFoundException.class).verify(TIMEOUT);
    }

    @Test
    void aWrongOrMissingTokenIsUnauthorized() throws Exception {
        ReactiveSnapshotsClient wrong = ReactiveSnapshotsClient.builder().baseUrl(server.baseUrl()).token("nope").build();
        StepVerifier.create(wrong.listSnapshots()).expectError(KoyebUnauthorizedException.class).verify(TIMEOUT);
        wrong.close();
        HttpResponse<String> anonymous = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(server.baseUrl() + "/v1/snapshots")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.body()).contains("\"code\":\"unauthenticated\"");
    }

    @Test
    void listingPagesWithHasNextAndSendsInt64AsStrings() throws Exception {
        server.seed(15);
        HttpResponse<String> page = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(server.baseUrl() + "/v1/snapshots?limit=10&offset=10"))
                        .header("Authorization", "Bearer " + SERVER_TOKEN).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.body()).contains("\"has_next\":false").contains("\"limit\":\"10\"").contains("\"offset\":\"10\"")
                .contains("\"size\":\"");
        HttpResponse<String> defaults = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(server.baseUrl() + "/v1/snapshots"))
                        .header("Authorization", "Bearer " + SERVER_TOKEN).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(defaults.body()).contains("\"limit\":\"10\"").contains("\"has_next\":true");
    }

    @Test
    void filtersByOrganizationStatusesAndRegion() {
        List<Snapshot> seeded = server.seed(60);
        server.put(new Snapshot("other-org", "x", 1L, null, null, null, "org-2", "v", "fra", SnapshotStatus.AVAILABLE,
                null));
        assertThat(client.listSnapshots(ListSnapshotsRequest.builder().organizationId("org-2").build())
                .map(Snapshot::id).collectList().block(TIMEOUT)).containsExactly("other-org");
        List<Snapshot> creatingInFra = client.listSnapshots(ListSnapshotsRequest.builder()
                .statuses(SnapshotStatus.CREATING).region("fra").build()).collectList().block(TIMEOUT);
        assertThat(creatingInFra).isNotEmpty().isEqualTo(seeded.stream()
                .filter(s -> s.status() == SnapshotStatus.CREATING && "fra".equals(s.region())).toList());
    }

    @Test
    void scriptedFaultsAreUsedInOrderThenTheStoreAnswers() {
        server.seed(1);
        server.failNext(1, 503, "7");
        server.enqueue(FakeResponse.json(200, "{\"snapshot\":{\"id\":\"scripted\"}}"));
        StepVerifier.create(client.getSnapshot("snap-000001"))
                .expectErrorSatisfies(e -> assertThat(((KoyebServiceUnavailableException) e).retryAfter())
                        .hasValue(Duration.ofSeconds(7)))
                .verify(TIMEOUT);
        assertThat(client.getSnapshot("snap-000001").block(TIMEOUT).id()).isEqualTo("scripted");
        assertThat(client.getSnapshot("snap-000001").block(TIMEOUT).id()).isEqualTo("snap-000001");
    }

    @Test
    void latencyDelaysEveryAnswer() {
        server.seed(1);
        server.latency(Duration.ofMillis(300));
        long start = System.nanoTime();
        client.getSnapshot("snap-000001").block(TIMEOUT);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }

    @Test
    void recordsEveryRequestWithHeadersQueryAndBody() {
        client.createSnapshot(CreateSnapshotRequest.of("vol-1", "n")).block(TIMEOUT);
        client.listSnapshots(ListSnapshotsRequest.builder().region("fra").build()).collectList().block(TIMEOUT);
        List<RecordedRequest> requests = server.requests();
        assertThat(requests).hasSize(2);
        assertThat(requests.get(0).method()).isEqualTo("POST");
        assertThat(requests.get(0).body()).contains("vol-1");
        assertThat(requests.get(0).header("authorization")).isEqualTo("Bearer " + SERVER_TOKEN);
        assertThat(requests.get(1).queryParameter("region")).isEqualTo("fra");
        assertThat(requests.get(1).toString()).startsWith("GET /v1/snapshots?");
        server.clearRequests();
        assertThat(server.requestCount()).isZero();
    }

    @Test
    void resetPutsBackTheStoreScriptChangesRequestsAndBuiltSettings() {
        try (FakeKoyebServer built = FakeKoyebServer.builder().token(SERVER_TOKEN).creationDelay(Duration.ZERO)
                .build();
                ReactiveSnapshotsClient client = ReactiveSnapshotsClient.builder().baseUrl(built.baseUrl())
                        .token(SERVER_TOKEN).retryPolicy(RetryPolicy.none()).build();
                ReactiveSnapshotsClient noToken = ReactiveSnapshotsClient.builder().baseUrl(built.baseUrl())
                        .retryPolicy(RetryPolicy.none()).build()) {
            built.seed(3);
            built.failNext(1, 503);
            assertThatThrownBy(() -> client.getSnapshot("snap-000001").block(TIMEOUT))
                    .isInstanceOf(KoyebServiceUnavailableException.class);
            built.failNext(1, 503); // left scripted
            built.expect("GET", "/v1/snapshots/never");
            built.changeBeforeListRequests(FakeChange.createAt(0, 5));
            built.requireToken(null);
            built.creationDelay(Duration.ofHours(1));
            built.latency(Duration.ofSeconds(5));

            built.reset();

            assertThat(built.snapshots()).isEmpty();
            assertThat(built.requestCount()).isZero();
            assertThat(built.faultsServed()).isZero();
            built.verify(); // the expectation is gone
            assertThat(built.seed(2)).extracting(Snapshot::id).containsExactly("snap-000001", "snap-000002");
            // no scripted 503, no change before the listing, and no 5 s latency (the wait is 2 s)
            assertThat(client.listSnapshots().map(Snapshot::id).collectList().block(Duration.ofSeconds(2)))
                    .containsExactly("snap-000001", "snap-000002");
            assertThatThrownBy(() -> noToken.getSnapshot("snap-000001").block(TIMEOUT))
                    .as("the built token is required again").isInstanceOf(KoyebUnauthorizedException.class);
            String created = client.createSnapshot(CreateSnapshotRequest.of("vol-1", "n")).block(TIMEOUT).id();
            assertThat(built.snapshot(created).orElseThrow().status()).as("the built creation delay: zero")
                    .isEqualTo(SnapshotStatus.AVAILABLE);
        }
    }

    @Test
    void resetRefillsTheBuiltRateLimitAndZeroesItsCounts() {
        // a clock that stands still: the bucket refills only through reset(), however slow the calls are
        try (FakeKoyebServer limited = FakeKoyebServer.builder().rateLimit(2)
                .clock(Clock.fixed(Instant.parse("2026-06-01T12:00:00Z"), ZoneOffset.UTC)).build();
                ReactiveSnapshotsClient client = ReactiveSnapshotsClient.builder().baseUrl(limited.baseUrl())
                        .token("rate-limit-test-token").retryPolicy(RetryPolicy.none()).rateLimiter(RateLimiter.NONE).build()) {
            limited.seed(1);
            client.getSnapshot("snap-000001").block(TIMEOUT);
            client.getSnapshot("snap-000001").block(TIMEOUT);
            assertThatThrownBy(() -> client.getSnapshot("snap-000001").block(TIMEOUT))
                    .isInstanceOf(KoyebRateLimitException.class);
            assertThat(limited.admittedCount()).isEqualTo(2);
            assertThat(limited.throttledCount()).isEqualTo(1);
            limited.rateLimit(0);

            limited.reset();

            assertThat(limited.admittedCount()).isZero();
            assertThat(limited.throttledCount()).isZero();
            limited.seed(1);
            // a full bucket of 2, then a 429
            client.getSnapshot("snap-000001").block(TIMEOUT);
            client.getSnapshot("snap-000001").block(TIMEOUT);
            assertThatThrownBy(() -> client.getSnapshot("snap-000001").block(TIMEOUT))
                    .as("the built limit again").isInstanceOf(KoyebRateLimitException.class);
        }
    }
}
