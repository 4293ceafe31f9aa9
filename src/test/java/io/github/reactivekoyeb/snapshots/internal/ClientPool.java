package io.github.reactivekoyeb.snapshots.internal;

import io.github.reactivekoyeb.snapshots.ReactiveSnapshotsClient;

/**
 * The tests' view of a client's own connection pool (Reactor Netty's pool metrics), which the
 * library keeps package-private: for the tests that check that no connection stays acquired
 * after a fault, a cancel or a timeout.
 */
public final class ClientPool {

    private final PoolMetrics metrics;

    private ClientPool(PoolMetrics metrics) {
        this.metrics = metrics;
    }

    /**
     * The pool a client sends on: its own, or, for a client on an application's connector
     * ({@link ApplicationConnector}), the application pool made last in the test.
     *
     * @param client the client
     * @return its pool
     */
    public static ClientPool of(ReactiveSnapshotsClient client) {
        try {
            return new ClientPool(PoolMetrics.of(client));
        } catch (IllegalArgumentException onTheApplicationsConnector) {
            return new ClientPool(ApplicationConnector.lastMetrics());
        }
    }

    /** @return connections acquired and not released */
    public int acquired() {
        return metrics.acquired();
    }

    /** @return connections open, acquired or idle */
    public int allocated() {
        return metrics.allocated();
    }

    /** @return acquires waiting for a connection */
    public int pending() {
        return metrics.pending();
    }

    @Override
    public String toString() {
        return metrics.toString();
    }
}
