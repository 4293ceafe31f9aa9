package io.github.reactivekoyeb.snapshots.internal;

import io.github.reactivekoyeb.snapshots.ReactiveSnapshotsClient;
import java.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;
import reactor.netty.resources.ConnectionPoolMetrics;
import reactor.netty.resources.ConnectionProvider;

/**
 * Reactor Netty's own metrics of the pool a client created for itself (one pool per remote
 * address), kept without Micrometer: for the tests that check that no connection stays acquired
 * after a fault, a cancel or a timeout, and for diagnostics.
 */
final class PoolMetrics implements ConnectionProvider.MeterRegistrar {

    private final Map<String, ConnectionPoolMetrics> pools = new ConcurrentHashMap<>();

    private final IntSupplier queued;

    PoolMetrics(IntSupplier queued) {
        this.queued = queued;
    }

    /**
     * The pool metrics of a client built without an application {@code WebClient.Builder}.
     *
     * @param client a client from {@link ReactiveSnapshotsClient#builder()}
     * @return its pool's metrics
     * @throws IllegalArgumentException if the client has no pool of its own
     */
    public static PoolMetrics of(ReactiveSnapshotsClient client) {
        if (client instanceof DefaultReactiveSnapshotsClient c && c.poolMetrics() != null) {
            return c.poolMetrics();
        }
        throw new IllegalArgumentException("the client has no connection pool of its own: " + client);
    }

    @Override
    public void registerMetrics(String poolName, String id, SocketAddress remoteAddress, ConnectionPoolMetrics metrics) {
        pools.put(id + remoteAddress, metrics);
    }

    @Override
    public void deRegisterMetrics(String poolName, String id, SocketAddress remoteAddress) {
        pools.remove(id + remoteAddress);
    }

    /**
     * Connections acquired from the pool and not released, over every remote address.
     *
     * @return the count
     */
    public int acquired() {
        return pools.values().stream().mapToInt(ConnectionPoolMetrics::acquiredSize).sum();
    }

    /**
     * Connections open, acquired or idle, over every remote address.
     *
     * @return the count
     */
    public int allocated() {
        return pools.values().stream().mapToInt(ConnectionPoolMetrics::allocatedSize).sum();
    }

    /**
     * Exchanges waiting for a connection: in the client's queue in front of the pool
     * ({@link RequestGate}), and in the pool, over every remote address.
     *
     * @return the count
     */
    public int pending() {
        return queued.getAsInt() + pools.values().stream().mapToInt(ConnectionPoolMetrics::pendingAcquireSize).sum();
    }

    @Override
    public String toString() {
        return "PoolMetrics{acquired=" + acquired() + ", allocated=" + allocated() + ", pending=" + pending() + '}';
    }
}
