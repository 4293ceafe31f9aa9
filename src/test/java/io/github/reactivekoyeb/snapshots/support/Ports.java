package io.github.reactivekoyeb.snapshots.support;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/** Whether something listens on a local port: how tests see that a server is closed. */
public final class Ports {

    private Ports() {
    }

    /** Whether a TCP connection to 127.0.0.1 at this port is accepted within a second. */
    public static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
