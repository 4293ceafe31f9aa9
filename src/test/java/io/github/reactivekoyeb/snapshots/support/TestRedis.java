package io.github.reactivekoyeb.snapshots.support;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A real Redis server for the tests, on a free port of 127.0.0.1, without persistence: the
 * {@code redis-server} on the PATH where there is one (.ci/run installs Debian's), else the Redis
 * 7.0.15 binary that {@code org.signal:embedded-redis} ships in its jar, so that {@code mvn verify}
 * needs only a JDK and Maven. It can be killed and started again on the same port (empty), and
 * made slow ({@code DEBUG SLEEP}). Blocking: for test set-up threads.
 */
public final class TestRedis implements AutoCloseable {

    private static final String EMBEDDED = "redis-server-7.0.15-linux-amd64";
    private static final Path BINARY = binary();
    private final int port;
    private @Nullable Process process;

    private TestRedis(int port) {
        this.port = port;
    }

    /** Starts one on a free port. */
    public static TestRedis start() {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        TestRedis redis = new TestRedis(port);
        redis.restart();
        return redis;
    }

    /** One for this port, not started: a Redis absent until {@link #restart()}. */
    public static TestRedis on(int port) {
        return new TestRedis(port);
    }

    /** A free port on which no Redis listens: Redis absent. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Which binary runs: the PATH's or the jar's ({@code -Dtests.redis=embedded}: the jar's, whatever the PATH). */
    public static Path binary() {
        if ("embedded".equals(System.getProperty("tests.redis"))) {
            return extracted();
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, "redis-server");
            if (!dir.isEmpty() && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return extracted();
    }

    private static Path extracted() {
        try (InputStream in = TestRedis.class.getClassLoader().getResourceAsStream(EMBEDDED)) {
            if (in == null) {
                throw new IllegalStateException("no redis-server on the PATH and no " + EMBEDDED
                        + " in org.signal:embedded-redis: apt-get install redis-server");
            }
            Path file = Files.createTempFile("redis-server", "");
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public int port() {
        return port;
    }

    public RedisURI uri() {
        return RedisURI.builder().withHost("127.0.0.1").withPort(port).withTimeout(Duration.ofSeconds(2)).build();
    }

    /** A Lettuce client for this server (the caller shuts it down). */
    public RedisClient client() {
        return RedisClient.create(uri());
    }

    /** Starts the server (again, empty) on its port and waits until it answers. */
    public synchronized void restart() {
        stop();
        try {
            Process started = new ProcessBuilder(List.of(BINARY.toString(), "--port", Integer.toString(port),
                    "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--enable-debug-command", "yes",
                    "--loglevel", "warning")).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            process = started;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!Ports.listening(port)) {
                if (!started.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("redis-server did not start on port " + port + " (" + BINARY + ")");
                }
                Thread.sleep(10);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Kills the server at once (SIGKILL): a Redis that dies mid-run. */
    public synchronized void kill() {
        Process running = process;
        if (running != null) {
            running.destroyForcibly();
            try {
                running.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }
    }

    private void stop() {
        kill();
    }

    /** Makes the server sleep for this long ({@code DEBUG SLEEP}), without waiting for it. */
    public void sleep(Duration duration) {
        RedisClient client = client();
        StatefulRedisConnection<String, String> connection = client.connect();
        connection.async().dispatch(io.lettuce.core.protocol.CommandType.DEBUG,
                new io.lettuce.core.output.StatusOutput<>(io.lettuce.core.codec.StringCodec.UTF8),
                new io.lettuce.core.protocol.CommandArgs<>(io.lettuce.core.codec.StringCodec.UTF8).add("SLEEP")
                        .add(Double.toString(duration.toMillis() / 1000.0)));
        // the command is on its way: close once it has been written
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            connection.closeAsync();
            client.shutdownAsync();
        }
    }

    /** Every key and its value (hashes as maps), for tests that read what Redis holds. */
    public Map<String, Map<String, String>> hashes() {
        RedisClient client = client();
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            Map<String, Map<String, String>> all = new java.util.TreeMap<>();
            for (String key : connection.sync().keys("*")) {
                all.put(key, connection.sync().hgetall(key));
            }
            return all;
        } finally {
            client.shutdown();
        }
    }

    /** The time to live of a key, in milliseconds (-1 none, -2 no key). */
    public long ttlMillis(String key) {
        RedisClient client = client();
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            return connection.sync().pttl(key);
        } finally {
            client.shutdown();
        }
    }

    @Override
    public void close() {
        kill();
    }
}
