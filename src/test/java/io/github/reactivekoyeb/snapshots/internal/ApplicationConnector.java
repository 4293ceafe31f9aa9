package io.github.reactivekoyeb.snapshots.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * An application's {@code WebClient.Builder} on a connector of the application's own, as a
 * Spring Boot application has one: Reactor Netty with a pool of its own, whose metrics the tests
 * read through {@link ClientPool} as they read a client's own pool. The pools made during a test
 * are disposed after it ({@link #disposeAll()}).
 *
 * <p>Its pool is sized as the client's own pool is by default (64 connections, 16,384 waiting, 60 s),
 * as an application that sends bursts to the API sizes its own: the tests that run on both
 * transports check the transport, not a difference of pool sizes. Reactor Netty's default pool
 * (2 connections a core, at least 16, and twice that waiting) refuses a burst of 2,000 calls, a
 * pool's sizing that {@code docs/client-settings.md} tells Boot users about.
 */
public final class ApplicationConnector {

    private static final List<ApplicationConnector> OPEN = new ArrayList<>();

    private final ConnectionProvider pool;
    private final PoolMetrics metrics = new PoolMetrics(() -> 0);

    private ApplicationConnector() {
        this.pool = ConnectionProvider.builder("application").maxConnections(64).pendingAcquireMaxCount(16_384)
                .pendingAcquireTimeout(Duration.ofSeconds(60)).metrics(true, () -> metrics).build();
    }

    /**
     * A new application builder on a new connector and pool.
     *
     * @return the builder
     */
    public static WebClient.Builder newBuilder() {
        ApplicationConnector connector = new ApplicationConnector();
        synchronized (OPEN) {
            OPEN.add(connector);
        }
        return WebClient.builder().clientConnector(new ReactorClientHttpConnector(HttpClient.create(connector.pool)));
    }

    /** The metrics of the application pool made last: the one a client on the application's connector uses. */
    static PoolMetrics lastMetrics() {
        synchronized (OPEN) {
            if (OPEN.isEmpty()) {
                throw new IllegalStateException("no application connector was made in this test");
            }
            return OPEN.get(OPEN.size() - 1).metrics;
        }
    }

    /** Disposes every application pool made so far. */
    public static void disposeAll() {
        List<ApplicationConnector> made;
        synchronized (OPEN) {
            made = new ArrayList<>(OPEN);
            OPEN.clear();
        }
        for (ApplicationConnector connector : made) {
            connector.pool.disposeLater().block(Duration.ofSeconds(10));
        }
    }
}
