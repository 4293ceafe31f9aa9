package it.springapp;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivekoyeb.snapshots.CreateSnapshotRequest;
import io.github.reactivekoyeb.snapshots.KoyebNotFoundException;
import io.github.reactivekoyeb.snapshots.KoyebServiceUnavailableException;
import io.github.reactivekoyeb.snapshots.ListSnapshotsRequest;
import io.github.reactivekoyeb.snapshots.ReactiveSnapshotsClient;
import io.github.reactivekoyeb.snapshots.RetryPolicy;
import io.github.reactivekoyeb.snapshots.Snapshot;
import io.github.reactivekoyeb.snapshots.SnapshotStatus;
import io.github.reactivekoyeb.snapshots.UpdateSnapshotRequest;
import io.github.reactivekoyeb.snapshots.testing.FakeKoyebServer;
import it.shared.DependencyVersions;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.core.SpringVersion;
import org.springframework.util.ClassUtils;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.test.StepVerifier;

/** The library in a WebFlux application without Spring Boot, on the Spring line under test. */
class PlainSpringAppTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final String TOKEN = "it-" + "spring-app-" + "token";

    @Test
    void theSpringVersionIsTheLineUnderTestAndBootIsAbsent() {
        assertThat(SpringVersion.getVersion()).isEqualTo(System.getProperty("spring.version"));
        assertThat(ClassUtils.isPresent("org.springframework.boot.SpringApplication", null)).isFalse();
        System.out.println("Spring Framework " + SpringVersion.getVersion() + ", Java " + System.getProperty("java.version"));
    }

    @Test
    void everyOperationWaiterAndTypedErrorWorks() {
        try (FakeKoyebServer koyeb = FakeKoyebServer.builder().token(TOKEN).creationDelay(Duration.ofMillis(300))
                .deletionDelay(Duration.ofMillis(300)).build();
             ReactiveSnapshotsClient client = ReactiveSnapshotsClient.builder().baseUrl(koyeb.baseUrl()).token(TOKEN)
                     .retryPolicy(RetryPolicy.builder().maxRetries(2).initialBackoff(Duration.ofMillis(5))
                             .maxBackoff(Duration.ofMillis(10)).build())
                     .build()) {
            koyeb.seed(250);
            StepVerifier.create(client.listSnapshots(ListSnapshotsRequest.builder().pageSize(40).build()))
                    .expectNextCount(250).expectComplete().verify(TIMEOUT);
            Snapshot created = client.createSnapshotAndAwait(CreateSnapshotRequest.of("vol-1", "plain"), TIMEOUT)
                    .block(TIMEOUT);
            assertThat(created.status()).isEqualTo(SnapshotStatus.AVAILABLE);
            assertThat(client.updateSnapshot(created.id(), new UpdateSnapshotRequest("renamed")).block(TIMEOUT).name())
                    .isEqualTo("renamed");
            assertThat(client.deleteSnapshot(created.id()).block(TIMEOUT).status()).isEqualTo(SnapshotStatus.DELETING);
            StepVerifier.create(client.getSnapshot("missing")).expectError(KoyebNotFoundException.class)
                    .verify(TIMEOUT);
            koyeb.failNext(3, 503);
            StepVerifier.create(client.getSnapshot("snap-000001"))
                    .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(KoyebServiceUnavailableException.class)
                            .satisfies(x -> assertThat(((KoyebServiceUnavailableException) x).attempts()).isEqualTo(3)))
                    .verify(TIMEOUT);
        }
    }

    @Test
    void anApplicationsWebClientBuilderIsUsed() {
        try (FakeKoyebServer koyeb = FakeKoyebServer.builder().token(TOKEN).build()) {
            koyeb.seed(3);
            WebClient.Builder app = WebClient.builder().defaultHeader("X-App", "plain-spring");
            try (ReactiveSnapshotsClient client = ReactiveSnapshotsClient.builder().baseUrl(koyeb.baseUrl())
                    .token(TOKEN).webClientBuilder(app).build()) {
                assertThat(client.getSnapshot("snap-000002").block(TIMEOUT).id()).isEqualTo("snap-000002");
            }
            assertThat(koyeb.lastRequest().header("X-App")).isEqualTo("plain-spring");
        }
    }

    @Test
    void theLibraryUpgradesNothingThatTheApplicationsBomsManage() throws Exception {
        assertThat(DependencyVersions.mismatches(Path.of(System.getProperty("build.dir")), false)).isEmpty();
    }
}
