package io.github.reactivekoyeb.snapshots.examples.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.reactivekoyeb.snapshots.Snapshot;
import io.github.reactivekoyeb.snapshots.SnapshotStatus;
import io.github.reactivekoyeb.snapshots.support.TestSecrets;
import io.github.reactivekoyeb.snapshots.testing.FakeKoyebServer;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/**
 * The streaming service example, end to end: WebTestClient -> the running app -> the fake Koyeb
 * server. A slow client's back-pressure over TCP is {@link StreamingSlowClientTest}, in the slow group.
 */
class StreamingServiceTest {

    private static final int SNAPSHOTS = 5_000; // 50 pages of 100, about 2 MiB of NDJSON
    private static FakeKoyebServer koyeb;
    private static ConfigurableApplicationContext app;
    private static WebTestClient http;
    private static String baseUrl;
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void start() {
        koyeb = FakeKoyebServer.builder().token(TestSecrets.TOKEN).build();
        koyeb.seed(SNAPSHOTS);
        app = StreamingServiceApplication.run("--server.port=0", "--koyeb.snapshots.base-url=" + koyeb.baseUrl(),
                "--koyeb.snapshots.token=" + TestSecrets.TOKEN, "--koyeb.snapshots.retry.initial-backoff=5ms",
                "--koyeb.snapshots.retry.max-backoff=10ms", "--spring.main.banner-mode=off");
        int port = app.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
        baseUrl = "http://127.0.0.1:" + port;
        http = WebTestClient.bindToServer().baseUrl(baseUrl).responseTimeout(Duration.ofSeconds(30))
                .build();
    }

    @AfterAll
    static void stop() {
        app.close();
        koyeb.close();
    }

    @BeforeEach
    void reset() {
        koyeb.clearScript();
        koyeb.clearRequests();
    }

    @Test
    void listingStreamsAsNdjsonWithFilters() {
        List<String> expected = koyeb.snapshots().stream()
                .filter(s -> s.status() == SnapshotStatus.AVAILABLE && "fra".equals(s.region())).map(Snapshot::id).toList();
        List<Snapshot> streamed = http.get().uri("/snapshots?status=AVAILABLE&region=fra")
                .accept(MediaType.APPLICATION_NDJSON).exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_NDJSON)
                .returnResult(Snapshot.class).getResponseBody().collectList().block(Duration.ofSeconds(30));
        assertThat(streamed).extracting(Snapshot::id).isEqualTo(expected);
        assertThat(koyeb.requests()).allSatisfy(r -> {
            assertThat(r.queryParameters("statuses")).containsExactly("SNAPSHOT_STATUS_AVAILABLE");
            assertThat(r.queryParameter("region")).isEqualTo("fra");
        });
    }

    @Test
    void theNdjsonIsTheSameOnEveryLine() {
        // the app renders the models with its own Jackson: 2 on Boot 3.5, 3 on Boot 4; byte for byte the same
        List<String> lines = http.get().uri("/snapshots?region=was").accept(MediaType.APPLICATION_NDJSON).exchange()
                .expectStatus().isOk()
                .returnResult(String.class).getResponseBody().take(2).collectList().block(Duration.ofSeconds(10));
        assertThat(lines).containsExactly(
                "{\"id\":\"snap-000001\",\"name\":\"snapshot-1\",\"size\":1073741824,"
                        + "\"created_at\":\"2026-01-01T00:00:01Z\",\"updated_at\":\"2026-01-01T00:00:01Z\","
                        + "\"organization_id\":\"org-fake\",\"parent_volume_id\":\"vol-1\",\"region\":\"was\","
                        + "\"status\":\"SNAPSHOT_STATUS_AVAILABLE\",\"type\":\"SNAPSHOT_TYPE_LOCAL\"}",
                "{\"id\":\"snap-000004\",\"name\":\"snapshot-4\",\"size\":4294967296,"
                        + "\"created_at\":\"2026-01-01T00:00:04Z\",\"updated_at\":\"2026-01-01T00:00:04Z\","
                        + "\"organization_id\":\"org-fake\",\"parent_volume_id\":\"vol-4\",\"region\":\"was\","
                        + "\"status\":\"SNAPSHOT_STATUS_AVAILABLE\",\"type\":\"SNAPSHOT_TYPE_REMOTE\"}");
    }

    @Test
    void theBootApplicationGetsTheClientBeanAndItsMetrics() {
        http.get().uri("/snapshots?region=sin&status=CREATING").accept(MediaType.APPLICATION_NDJSON).exchange()
                .expectStatus().isOk().returnResult(String.class).getResponseBody().blockLast(Duration.ofSeconds(30));
        http.get().uri("/snapshots/snap-000002").exchange().expectStatus().isOk()
                .expectBody(Snapshot.class).consumeWith(r -> assertThat(r.getResponseBody().id()).isEqualTo("snap-000002"));
        MeterRegistry meters = app.getBean(MeterRegistry.class);
        assertThat(meters.get("koyeb.snapshots.pages").counter().count()).isPositive();
        assertThat(meters.get("koyeb.snapshots.retries").tag("reason", "503").counter()).isNotNull();
        // Boot's WebClient.Builder carries the observation registry: the client's calls are timed
        // under their URI template, never the raw id
        assertThat(meters.get("http.client.requests").tag("uri", "/v1/snapshots/{id}").timer().count()).isPositive();
        assertThat(meters.get("http.client.requests").tag("uri", "/v1/snapshots").timer().count()).isPositive();
        assertThat(meters.getMeters()).allSatisfy(m -> assertThat(m.getId().toString())
                .doesNotContain("snap-000002").doesNotContain(TestSecrets.TOKEN));
    }

    @Test
    void listingStreamsAsServerSentEventsWhenAsked() {
        Flux<String> events = http.get().uri("/snapshots?region=was").accept(MediaType.TEXT_EVENT_STREAM).exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.TEXT_EVENT_STREAM)
                .returnResult(String.class).getResponseBody();
        StepVerifier.create(events.take(3))
                .assertNext(data -> assertThat(data).contains("\"id\":\"snap-000001\"").contains("\"region\":\"was\""))
                .expectNextCount(2)
                .expectComplete()
                .verify(Duration.ofSeconds(10));
    }

    @Test
    void aDisconnectingClientCancelsPaging() throws InterruptedException {
        Flux<String> lines = http.get().uri("/snapshots").accept(MediaType.APPLICATION_NDJSON).exchange()
                .returnResult(String.class).getResponseBody();
        StepVerifier.create(lines.take(150)).expectNextCount(150).expectComplete().verify(Duration.ofSeconds(10));
        Thread.sleep(300); // the disconnect travels to the service and the cancel to the client
        int afterDisconnect = koyeb.requestCount();
        Thread.sleep(700);
        assertThat(koyeb.requestCount()).isEqualTo(afterDisconnect).isLessThan(SNAPSHOTS / 100);
        System.out.printf("disconnect-cancels-paging: %d of %d pages fetched after reading 150 snapshots%n",
                afterDisconnect, SNAPSHOTS / 100);
    }

    @Test
    void aMissingSnapshotIsA404Problem() {
        JsonNode problem = json(http.get().uri("/snapshots/does-not-exist").exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().returnResult().getResponseBody());
        assertThat(problem.get("status").asInt()).isEqualTo(404);
        assertThat(problem.get("koyebErrorCode").asText()).isEqualTo("not_found");
        assertThat(problem.get("detail").asText()).contains("GET /v1/snapshots/does-not-exist")
                .doesNotContain(TestSecrets.TOKEN);
    }

    @Test
    void anInvalidCreateIsA400ProblemWithTheFields() {
        JsonNode problem = json(http.post().uri("/snapshots").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"name\":\"no volume\"}")
                .exchange()
                .expectStatus().isBadRequest()
                .expectBody().returnResult().getResponseBody());
        assertThat(problem.get("fields").get(0).get("field").asText()).isEqualTo("parent_volume_id");
    }

    @Test
    void aKoyeb503AfterRetriesIsA503ProblemWithRetryAfter() {
        koyeb.failNext(10, 503, "7");
        JsonNode problem = json(http.get().uri("/snapshots/snap-000001").exchange()
                .expectStatus().isEqualTo(503)
                .expectHeader().valueEquals("Retry-After", "7")
                .expectBody().returnResult().getResponseBody());
        assertThat(problem.get("attempts").asInt()).isEqualTo(4);
    }

    @Test
    void createThenDeleteGoThrough() {
        var result = http.post().uri("/snapshots").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"parent_volume_id\":\"vol-1\",\"name\":\"from-the-service\"}")
                .exchange()
                .expectStatus().isCreated()
                .expectBody(Snapshot.class).returnResult();
        Snapshot created = result.getResponseBody();
        assertThat(created.status()).isEqualTo(SnapshotStatus.CREATING);
        assertThat(result.getResponseHeaders().getLocation()).hasToString("/snapshots/" + created.id());
        Snapshot deleted = http.delete().uri("/snapshots/" + created.id()).exchange()
                .expectStatus().isOk()
                .expectBody(Snapshot.class).returnResult().getResponseBody();
        assertThat(deleted.status()).isEqualTo(SnapshotStatus.DELETING);
    }

    @Test
    void progressStreamsEachStateOfANewSnapshotUntilAvailable() {
        Snapshot created = http.post().uri("/snapshots").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"parent_volume_id\":\"vol-2\",\"name\":\"watched\"}")
                .exchange().expectStatus().isCreated()
                .expectBody(Snapshot.class).returnResult().getResponseBody();
        List<Snapshot> states = http.get().uri("/snapshots/" + created.id() + "/progress")
                .accept(MediaType.TEXT_EVENT_STREAM).exchange()
                .expectStatus().isOk()
                .returnResult(Snapshot.class).getResponseBody().collectList().block(Duration.ofSeconds(15));
        assertThat(states).extracting(Snapshot::status).first().isEqualTo(SnapshotStatus.CREATING);
        assertThat(states).extracting(Snapshot::status).last().isEqualTo(SnapshotStatus.AVAILABLE);
        assertThat(states).doesNotHaveDuplicates();
    }

    @Test
    void anUnknownStatusFilterIsA400Problem() {
        http.get().uri("/snapshots?status=FROZEN").accept(MediaType.APPLICATION_NDJSON).exchange()
                .expectStatus().isBadRequest()
                .expectBody().returnResult(); // read the body: a response left unread keeps its buffers
    }

    private static JsonNode json(byte[] body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
