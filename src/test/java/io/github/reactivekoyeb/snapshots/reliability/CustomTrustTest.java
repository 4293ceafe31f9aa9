package io.github.reactivekoyeb.snapshots.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.reactivekoyeb.snapshots.KoyebTransportException;
import io.github.reactivekoyeb.snapshots.ReactiveSnapshotsClient;
import io.github.reactivekoyeb.snapshots.RetryPolicy;
import io.github.reactivekoyeb.snapshots.autoconfigure.KoyebSnapshotsAutoConfiguration;
import io.github.reactivekoyeb.snapshots.support.TestCa;
import io.github.reactivekoyeb.snapshots.support.TestSecrets;
import io.github.reactivekoyeb.snapshots.testing.FakeKoyebServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.test.StepVerifier;

/**
 * Custom trust against the fake server over HTTPS with a certificate from a CA made in the test:
 * refused without the trust, working with it, on the builder and through a Spring Boot SSL bundle.
 */
class CustomTrustTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static TestCa ca;
    private static FakeKoyebServer server;

    @BeforeAll
    static void start() throws Exception {
        ca = TestCa.generate();
        server = FakeKoyebServer.builder().token(TestSecrets.TOKEN).https(ca.serverKeys()).build();
        server.seed(3);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static ReactiveSnapshotsClient.Builder client() {
        return ReactiveSnapshotsClient.builder().baseUrl(server.baseUrl()).token(TestSecrets.TOKEN)
                .retryPolicy(RetryPolicy.none());
    }

    @Test
    void withoutTheTrustTheServerIsRefusedAndNothingIsSent() {
        int before = server.requestCount();
        try (ReactiveSnapshotsClient client = client().build()) {
            StepVerifier.create(client.getSnapshot("snap-000001"))
                    .expectErrorSatisfies(e -> assertThat(((KoyebTransportException) e).reason())
                            .isEqualTo(KoyebTransportException.Reason.TLS_HANDSHAKE))
                    .verify(TIMEOUT);
        }
        assertThat(server.requestCount()).isEqualTo(before);
    }

    @Test
    void aPemFileOfTheCaIsTrusted() {
        try (ReactiveSnapshotsClient client = client().trustedCertificates(ca.caPem()).build()) {
            assertThat(client.getSnapshot("snap-000001").block(TIMEOUT).id()).isEqualTo("snap-000001");
        }
    }

    @Test
    void theTrustAppliesOnAnApplicationsBuilderToo() {
        WebClient.Builder app = WebClient.builder().defaultHeader("X-App", "yes");
        try (ReactiveSnapshotsClient client = client().webClientBuilder(app).trustedCertificates(ca.caPem()).build()) {
            assertThat(client.getSnapshot("snap-000002").block(TIMEOUT).id()).isEqualTo("snap-000002");
        }
        assertThat(server.lastRequest().header("X-App")).isEqualTo("yes");
    }

    @Test
    void aFileWithoutCertificatesIsRejectedAtOnce() throws Exception {
        Path empty = Files.createTempFile("no-ca", ".pem");
        assertThatThrownBy(() -> ReactiveSnapshotsClient.builder().trustedCertificates(empty))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("certificate");
        assertThatThrownBy(() -> ReactiveSnapshotsClient.builder().trustedCertificates(Path.of("/no/such/ca.pem")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot read");
    }

    @Test
    void aSpringBootSslBundleGivesTheTrust() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class,
                        KoyebSnapshotsAutoConfiguration.class))
                .withPropertyValues("koyeb.snapshots.base-url=" + server.baseUrl(),
                        "koyeb.snapshots.token=" + TestSecrets.TOKEN,
                        "spring.ssl.bundle.pem.koyeb-ca.truststore.certificate=file:" + ca.caPem(),
                        "koyeb.snapshots.ssl.bundle=koyeb-ca")
                .run(context -> assertThat(context.getBean(ReactiveSnapshotsClient.class).getSnapshot("snap-000003")
                        .block(TIMEOUT).id()).isEqualTo("snap-000003"));
    }
}
