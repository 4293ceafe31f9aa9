package io.github.reactivekoyeb.snapshots;

import io.github.reactivekoyeb.snapshots.support.ClientTransport;
import io.github.reactivekoyeb.snapshots.support.OnEachTransport;
import io.github.reactivekoyeb.snapshots.testing.FakeKoyebServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Base of the tests that talk to a {@link FakeKoyebServer} over real HTTP. Its clients send the
 * way the test says ({@link OnEachTransport}: once on each transport); a plain {@code @Test}'s
 * through the client's own Reactor Netty client.
 */
abstract class FakeServerTest implements ClientTransport.Aware {

    static final String TOKEN = io.github.reactivekoyeb.snapshots.support.TestSecrets.TOKEN;

    FakeKoyebServer server;
    /** How this test's clients send. */
    ClientTransport transport = ClientTransport.REACTOR_NETTY;
    private final List<ReactiveSnapshotsClient> clients = new ArrayList<>();

    @Override
    public void useTransport(ClientTransport transport) {
        this.transport = transport;
    }

    @BeforeEach
    void startServer() {
        server = FakeKoyebServer.builder().token(TOKEN).creationDelay(Duration.ofMillis(300))
                .deletionDelay(Duration.ofMillis(300)).build();
    }

    @AfterEach
    void stopServer() {
        clients.forEach(ReactiveSnapshotsClient::close);
        server.close();
    }

    /** A builder pointed at the fake server, with the token and fast retries, on the test's transport. */
    ReactiveSnapshotsClient.Builder clientBuilder() {
        return transport.apply(ReactiveSnapshotsClient.builder())
                .baseUrl(server.baseUrl())
                .token(TOKEN)
                .responseTimeout(Duration.ofSeconds(5))
                .retryPolicy(fastRetries(3));
    }

    ReactiveSnapshotsClient client() {
        return track(clientBuilder().build());
    }

    ReactiveSnapshotsClient track(ReactiveSnapshotsClient client) {
        clients.add(client);
        return client;
    }

    /** A client that never retries. */
    ReactiveSnapshotsClient noRetry() {
        return track(clientBuilder().retryPolicy(RetryPolicy.none()).build());
    }

    /** The error signal of a call, which must end with one within 15 s. */
    static Throwable errorOf(org.reactivestreams.Publisher<?> call) {
        Throwable[] seen = new Throwable[1];
        reactor.test.StepVerifier.create(call).consumeErrorWith(e -> seen[0] = e).verify(Duration.ofSeconds(15));
        return seen[0];
    }

    static RetryPolicy fastRetries(int maxRetries) {
        return RetryPolicy.builder().maxRetries(maxRetries).initialBackoff(Duration.ofMillis(10))
                .maxBackoff(Duration.ofMillis(50)).build();
    }
}
