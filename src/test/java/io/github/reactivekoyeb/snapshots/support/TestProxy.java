package io.github.reactivekoyeb.snapshots.support;

/** A real HTTP proxy that a test starts on 127.0.0.1: where it listens, and the tunnels it was asked for. */
public interface TestProxy extends AutoCloseable {

    /** The port it listens on, on 127.0.0.1. */
    int port();

    /** How many tunnels ({@code CONNECT}) to this port of 127.0.0.1 it was asked for, and let through its authentication. */
    long connectsTo(int targetPort) throws Exception;

    @Override
    void close();
}
