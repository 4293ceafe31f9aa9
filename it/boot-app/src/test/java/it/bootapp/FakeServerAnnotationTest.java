package it.bootapp;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivekoyeb.snapshots.CreateSnapshotRequest;
import io.github.reactivekoyeb.snapshots.ReactiveSnapshotsClient;
import io.github.reactivekoyeb.snapshots.Snapshot;
import io.github.reactivekoyeb.snapshots.SnapshotStatus;
import io.github.reactivekoyeb.snapshots.testing.AutoConfigureFakeKoyebServer;
import io.github.reactivekoyeb.snapshots.testing.FakeKoyebServer;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.env.Environment;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * The application's own test, as the README shows it: {@code @AutoConfigureFakeKoyebServer}, no
 * property for the client, a reset server for each test. Under {@code -Paot} it runs on the
 * context that Spring AOT generated for it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureFakeKoyebServer
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FakeServerAnnotationTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @Autowired
    FakeKoyebServer koyeb;
    @Autowired
    ReactiveSnapshotsClient client;
    @Autowired
    Environment environment;
    @Autowired
    MeterRegistry meters;

    @Test
    @Order(1)
    void theServiceStreamsTheFakeServersSnapshots() {
        assertThat(environment.getProperty("koyeb.snapshots.token")).isNull();
        koyeb.seed(25);
        int port = environment.getRequiredProperty("local.server.port", Integer.class);
        List<Snapshot> streamed = WebClient.create("http://127.0.0.1:" + port).get().uri("/snapshots").retrieve()
                .bodyToFlux(Snapshot.class).collectList().block(TIMEOUT);
        assertThat(streamed).hasSize(25).first().isEqualTo(koyeb.snapshots().get(0));
        assertThat(koyeb.lastRequest().header("Authorization")).startsWith("Bearer fake-koyeb-");
        assertThat(meters.get("koyeb.snapshots.pages").counter().count()).isGreaterThanOrEqualTo(1);
        koyeb.failNext(10, 503);
    }

    @Test
    @Order(2)
    void eachTestStartsFromAResetServer() {
        assertThat(koyeb.snapshots()).isEmpty();
        assertThat(koyeb.requestCount()).isZero();
        Snapshot created = client.createSnapshotAndAwait(CreateSnapshotRequest.of("vol-1", "it"), TIMEOUT)
                .block(TIMEOUT);
        assertThat(created.status()).isEqualTo(SnapshotStatus.AVAILABLE);
        assertThat(koyeb.faultsServed()).as("no 503 left from the first test").isZero();
    }
}
