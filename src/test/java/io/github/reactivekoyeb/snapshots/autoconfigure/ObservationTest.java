package io.github.reactivekoyeb.snapshots.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivekoyeb.snapshots.ListSnapshotsRequest;
import io.github.reactivekoyeb.snapshots.ReactiveSnapshotsClient;
import io.github.reactivekoyeb.snapshots.support.TestSecrets;
import io.github.reactivekoyeb.snapshots.testing.FakeKoyebServer;
import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.web.reactive.function.client.WebClient;

/** http.client.requests observations carry the URI template, never the raw id or the token. */
class ObservationTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private FakeKoyebServer server;
    private TestObservationRegistry registry;
    private final List<Observation.Context> stopped = new CopyOnWriteArrayList<>();
    private ReactiveSnapshotsClient client;

    @BeforeEach
    void start() {
        server = FakeKoyebServer.builder().token(TestSecrets.TOKEN).build();
        server.seed(30);
        registry = TestObservationRegistry.create();
        registry.observationConfig().observationHandler(new ObservationHandler<>() {
            @Override
            public boolean supportsContext(Observation.Context context) {
                return true;
            }

            @Override
            public void onStop(Observation.Context context) {
                stopped.add(context);
            }
        });
        client = ReactiveSnapshotsClient.builder().baseUrl(server.baseUrl()).token(TestSecrets.TOKEN)
                .webClientBuilder(WebClient.builder().observationRegistry(registry)).build();
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    @Test
    void itemRequestsAreObservedUnderTheTemplateNotTheId() {
        client.getSnapshot("snap-000007").block(TIMEOUT);
        client.deleteSnapshot("snap-000008").block(TIMEOUT);
        TestObservationRegistryAssert.assertThat(registry)
                .hasNumberOfObservationsWithNameEqualTo("http.client.requests", 2)
                .forAllObservationsWithNameEqualTo("http.client.requests", observation -> observation
                        .hasLowCardinalityKeyValue("uri", "/v1/snapshots/{id}")
                        .hasLowCardinalityKeyValue("status", "200"));
        assertNoIdOrToken();
    }

    @Test
    void listingPagesAreObservedUnderTheCollectionPath() {
        client.listSnapshots(ListSnapshotsRequest.builder().pageSize(10).region("fra").build()).then().block(TIMEOUT);
        client.listSnapshots(ListSnapshotsRequest.builder().pageSize(20).build()).then().block(TIMEOUT);
        TestObservationRegistryAssert.assertThat(registry)
                .hasNumberOfObservationsWithNameEqualTo("http.client.requests", 3) // one page of fra, then two of 20
                .forAllObservationsWithNameEqualTo("http.client.requests", observation -> observation
                        .hasLowCardinalityKeyValue("uri", "/v1/snapshots")
                        .hasLowCardinalityKeyValue("method", "GET"));
        assertNoIdOrToken();
    }

    private void assertNoIdOrToken() {
        assertThat(stopped).isNotEmpty();
        stopped.forEach(context -> {
            for (KeyValue kv : context.getLowCardinalityKeyValues()) {
                assertThat(kv.getValue()).doesNotContain(TestSecrets.TOKEN).doesNotContain("snap-0000");
            }
            for (KeyValue kv : context.getHighCardinalityKeyValues()) {
                assertThat(kv.getValue()).doesNotContain(TestSecrets.TOKEN);
            }
        });
    }

    /**
     * Boot 4 without {@code spring-boot-starter-webclient}: no {@code WebClient.Builder} bean, but an
     * {@code ObservationRegistry}. The auto-configured client's calls are still observed, under the
     * same name and URI templates as through Boot's builder.
     */
    @Test
    void withAnObservationRegistryAndNoWebClientBuilderCallsAreStillObserved() {
        new org.springframework.boot.test.context.runner.ApplicationContextRunner()
                .withConfiguration(org.springframework.boot.autoconfigure.AutoConfigurations.of(
                        KoyebSnapshotsAutoConfiguration.class))
                .withBean(io.micrometer.observation.ObservationRegistry.class, () -> registry)
                .withPropertyValues("koyeb.snapshots.base-url=" + server.baseUrl(), "koyeb.snapshots.token=" + TestSecrets.TOKEN)
                .run(context -> {
                    assertThat(context).doesNotHaveBean(WebClient.Builder.class);
                    ReactiveSnapshotsClient bean = context.getBean(ReactiveSnapshotsClient.class);
                    bean.getSnapshot("snap-000007").block(TIMEOUT);
                    bean.listSnapshots(ListSnapshotsRequest.builder().pageSize(10).build()).take(3).then().block(TIMEOUT);
                });
        TestObservationRegistryAssert.assertThat(registry)
                .hasNumberOfObservationsWithNameEqualTo("http.client.requests", 2)
                .hasAnObservation(o -> o.hasNameEqualTo("http.client.requests")
                        .hasLowCardinalityKeyValue("uri", "/v1/snapshots/{id}"))
                .hasAnObservation(o -> o.hasNameEqualTo("http.client.requests")
                        .hasLowCardinalityKeyValue("uri", "/v1/snapshots"));
        assertNoIdOrToken();
    }
}
