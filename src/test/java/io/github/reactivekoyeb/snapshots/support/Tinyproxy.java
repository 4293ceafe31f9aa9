package io.github.reactivekoyeb.snapshots.support;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A real HTTP proxy for the tests: Debian's {@code tinyproxy} (.ci/run installs it), started on a
 * free port of 127.0.0.1 with its own configuration, optionally requiring Basic credentials, and
 * logging every {@code CONNECT} it is asked for.
 */
public final class Tinyproxy implements TestProxy {

    private final Process process;
    private final int port;
    private final Path log;

    private Tinyproxy(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    private static final Path BINARY = Path.of("/usr/bin/tinyproxy");

    /**
     * Why the tinyproxy tests cannot run here, or null when they can: on a developer's machine with
     * only a JDK and Maven they are skipped, saying what to install; on CI (which installs it) a
     * missing tinyproxy is an error.
     */
    public static @Nullable String missing() {
        if (Files.isExecutable(BINARY)) {
            return null;
        }
        String why = "TinyproxyTest needs tinyproxy: apt-get install tinyproxy (.ci/run does)";
        if (System.getenv("CI") != null) {
            throw new IllegalStateException(why);
        }
        return why;
    }

    /** Starts one; a blocking call for test set-up threads. */
    public static Tinyproxy start(@Nullable String username, @Nullable String password) throws Exception {
        Path binary = BINARY;
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path dir = Files.createTempDirectory("tinyproxy");
        Path log = dir.resolve("tinyproxy.log");
        String config = "Port " + port + "\nListen 127.0.0.1\nTimeout 30\nLogFile \"" + log + "\"\nLogLevel Connect\n"
                + "MaxClients 200\nAllow 127.0.0.1\nDisableViaHeader Yes\n"
                + (username == null ? "" : "BasicAuth " + username + " " + password + "\n");
        Path conf = dir.resolve("tinyproxy.conf");
        Files.writeString(conf, config);
        Process process = new ProcessBuilder(List.of(binary.toString(), "-d", "-c", conf.toString()))
                .redirectErrorStream(true).redirectOutput(dir.resolve("out.txt").toFile()).start();
        Tinyproxy proxy = new Tinyproxy(process, port, log);
        for (int i = 0; i < 100; i++) {
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return proxy;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        proxy.close();
        throw new IllegalStateException("tinyproxy did not start: " + Files.readString(dir.resolve("out.txt")));
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public long connectsTo(int targetPort) throws IOException {
        if (!Files.exists(log)) {
            return 0;
        }
        return Files.readAllLines(log).stream().filter(l -> l.contains("CONNECT 127.0.0.1:" + targetPort + " ")).count();
    }

    @Override
    public void close() {
        process.destroy();
    }
}
