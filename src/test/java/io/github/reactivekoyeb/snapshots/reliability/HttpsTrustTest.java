package io.github.reactivekoyeb.snapshots.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivekoyeb.snapshots.KoyebTransportException;
import io.github.reactivekoyeb.snapshots.ReactiveSnapshotsClient;
import io.github.reactivekoyeb.snapshots.RetryPolicy;
import io.github.reactivekoyeb.snapshots.support.SelfSignedCertificate;
import io.github.reactivekoyeb.snapshots.support.TestSecrets;
import io.github.reactivekoyeb.snapshots.testing.FakeKoyebServer;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.netty.http.Http11SslContextSpec;
import reactor.netty.http.client.HttpClient;
import reactor.test.StepVerifier;

/** HTTPS certificates are verified: an untrusted server gets nothing, a trusted one works. */
class HttpsTrustTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    private static SelfSignedCertificate certificate;
    private static FakeKoyebServer server;

    @BeforeAll
    static void startHttpsServer() throws Exception {
        certificate = SelfSignedCertificate.generate();
        server = FakeKoyebServer.builder().token(TestSecrets.TOKEN).https(certificate.keyManagerFactory()).build();
        server.seed(3);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aSelfSignedServerIsRefusedWithoutTrustConfiguration() {
        assertThat(server.baseUrl()).startsWith("https://");
        int before = server.requestCount();
        ReactiveSnapshotsClient client = ReactiveSnapshotsClient.builder().baseUrl(server.baseUrl())
                .token(TestSecrets.TOKEN).retryPolicy(RetryPolicy.defaults()).build();
        StepVerifier.create(client.getSnapshot("snap-000001"))
                .expectErrorSatisfies(e -> {
                    assertThat(e).isInstanceOf(KoyebTransportException.class);
                    KoyebTransportException t = (KoyebTransportException) e;
                    assertThat(t.reason()).isEqualTo(KoyebTransportException.Reason.TLS_HANDSHAKE);
                    assertThat(t.attempts()).isEqualTo(1); // the same certificate would fail again
                    assertThat(t.getMessage()).contains("GET /v1/snapshots/snap-000001");
                })
                .verify(TIMEOUT);
        assertThat(server.requestCount()).isEqualTo(before); // not even the request line reached the server
        client.close();
    }

    @Test
    void aTrustedCertificateConfiguredOnTheApplicationsConnectorWorks() throws Exception {
        var trust = certificate.trustManagerFactory();
        HttpClient httpClient = HttpClient.create().secure(spec -> spec.sslContext(
                Http11SslContextSpec.forClient().configure(ssl -> ssl.trustManager(trust))));
        ReactiveSnapshotsClient client = ReactiveSnapshotsClient.builder().baseUrl(server.baseUrl())
                .token(TestSecrets.TOKEN)
                .webClientBuilder(WebClient.builder().clientConnector(new ReactorClientHttpConnector(httpClient)))
                .build();
        StepVerifier.create(client.listSnapshots()).expectNextCount(3).expectComplete().verify(TIMEOUT);
        assertThat(server.lastRequest().header("Authorization")).isEqualTo("Bearer " + TestSecrets.TOKEN);
    }
}
