package io.github.reactivekoyeb.snapshots.reliability;

import io.github.reactivekoyeb.snapshots.support.OnEachTransport;
import io.github.reactivekoyeb.snapshots.support.ClientTransport;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivekoyeb.snapshots.ReactiveSnapshotsClient;
import io.github.reactivekoyeb.snapshots.RetryPolicy;
import io.github.reactivekoyeb.snapshots.support.TestSecrets;
import io.github.reactivekoyeb.snapshots.support.TokenLeakAppender;
import io.github.reactivekoyeb.snapshots.testing.FakeKoyebServer;
import io.github.reactivekoyeb.snapshots.testing.FakeResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.slf4j.LoggerFactory;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

/**
 * The suite logs everything at TRACE into {@link TokenLeakAppender}, and every test fails on a
 * leak (NoTokenInLogsExtension); these tests show that the net catches and that the client's own
 * lines carry what helps and nothing secret.
 */
class LogSecrecyTest implements ClientTransport.Aware {

    /** How this test's clients send: each {@link OnEachTransport} test runs once on each transport. */
    private ClientTransport transport = ClientTransport.REACTOR_NETTY;

    @Override
    public void useTransport(ClientTransport transport) {
        this.transport = transport;
    }

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private FakeKoyebServer server;

    @BeforeEach
    void start() {
        server = FakeKoyebServer.builder().token(TestSecrets.TOKEN).build();
        server.seed(5);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @OnEachTransport
    void theNetCatchesATokenInAnyLogLine() {
        long before = TokenLeakAppender.lines();
        LoggerFactory.getLogger("some.application").trace("oops {}", "Bearer " + TestSecrets.TOKEN);
        assertThat(TokenLeakAppender.lines()).isGreaterThan(before);
        List<String> leaks = TokenLeakAppender.drainLeaks();
        assertThat(leaks).hasSize(1);
        assertThat(leaks.get(0)).contains("<TOKEN>").doesNotContain(TestSecrets.TOKEN);
    }

    @OnEachTransport
    void theClientLogsMethodTemplateStatusAttemptAndRetriesAtDebug() {
        ReactiveSnapshotsClient client = transport.apply(ReactiveSnapshotsClient.builder()).baseUrl(server.baseUrl())
                .token(TestSecrets.TOKEN).retryPolicy(RetryPolicy.builder().initialBackoff(Duration.ofMillis(5))
                        .maxBackoff(Duration.ofMillis(10)).build()).build();
        server.failNext(1, 503);
        client.getSnapshot("snap-000003").block(TIMEOUT);
        List<String> ours = TokenLeakAppender.recentLines().stream()
                .filter(line -> line.startsWith("DEBUG io.github.reactivekoyeb")).toList();
        assertThat(ours).anyMatch(line -> line.contains("GET /v1/snapshots/{id} -> 503") && line.contains("attempt 1"));
        assertThat(ours).anyMatch(line -> line.contains("GET /v1/snapshots/{id}: retry 1 (503)"));
        assertThat(ours).anyMatch(line -> line.contains("GET /v1/snapshots/{id} -> 200") && line.contains("attempt 2"));
        assertThat(ours).noneMatch(line -> line.contains("snap-000003")); // the template, not the id
        client.close();
    }

    @OnEachTransport
    void requestDetailLoggingEnabledByTheApplicationNeverShowsTheToken() {
        WebClient.Builder app = WebClient.builder().codecs(c -> c.defaultCodecs().enableLoggingRequestDetails(true));
        ReactiveSnapshotsClient client = transport.apply(ReactiveSnapshotsClient.builder()).baseUrl(server.baseUrl())
                .token(TestSecrets.TOKEN).webClientBuilder(app).build();
        client.listSnapshots().then().block(TIMEOUT);
        server.enqueue(FakeResponse.json(401, "{\"code\":\"unauthenticated\",\"message\":\"Bearer " + TestSecrets.TOKEN
                + "\"}"));
        client.getSnapshot("snap-000001").onErrorResume(e -> Mono.empty()).block(TIMEOUT);
        assertThat(TokenLeakAppender.recentLines())
                .anyMatch(line -> line.contains("ExchangeFunctions") && line.contains("headers={masked}"));
        // NoTokenInLogsExtension checks every line of this test after it ends
    }
}
