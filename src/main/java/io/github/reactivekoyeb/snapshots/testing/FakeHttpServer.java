package io.github.reactivekoyeb.snapshots.testing;

import io.netty.channel.ChannelOption;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import javax.net.ssl.KeyManagerFactory;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.netty.DisposableServer;
import reactor.netty.http.Http11SslContextSpec;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.resources.LoopResources;

/**
 * The fake's listening socket: Reactor Netty's HTTP server on 127.0.0.1, HTTP or HTTPS, on event
 * loops of its own, counting the connections clients open and close.
 */
final class FakeHttpServer {

    private final AtomicLong connectionsOpened = new AtomicLong();
    private final AtomicInteger openConnections = new AtomicInteger();
    private final LoopResources loops;
    private final DisposableServer server;
    private final String scheme;

    /** Binds the port (a short blocking call, on the test's set-up thread) and serves with {@code handler}. */
    FakeHttpServer(int port, @Nullable KeyManagerFactory keys,
            BiFunction<HttpServerRequest, HttpServerResponse, Publisher<Void>> handler) {
        // event loops of its own, not Reactor Netty's global ones: a Spring application context
        // that closes disposes the global resources (ReactorResourceFactory), and a server shared
        // by several test classes must keep serving until its own close()
        this.loops = LoopResources.create("fake-koyeb", 1, Math.max(2, Runtime.getRuntime().availableProcessors()),
                true);
        HttpServer http = HttpServer.create().runOn(loops);
        if (keys != null) {
            http = http.secure(spec -> spec.sslContext(Http11SslContextSpec.forServer(keys)));
        }
        this.scheme = keys == null ? "http" : "https";
        try {
            this.server = http
                    .host("127.0.0.1")
                    .port(port)
                    .childOption(ChannelOption.SO_LINGER, -1)
                    .doOnChannelInit((observer, channel, address) -> {
                        connectionsOpened.incrementAndGet();
                        openConnections.incrementAndGet();
                        channel.closeFuture().addListener(closed -> openConnections.decrementAndGet());
                    })
                    .handle(handler)
                    .bindNow(Duration.ofSeconds(10));
        } catch (RuntimeException e) {
            loops.dispose();
            throw e;
        }
    }

    String baseUrl() {
        return scheme + "://127.0.0.1:" + server.port();
    }

    int port() {
        return server.port();
    }

    long connectionsOpened() {
        return connectionsOpened.get();
    }

    int openConnections() {
        return openConnections.get();
    }

    void close() {
        try {
            server.disposeNow(Duration.ofSeconds(5));
        } finally {
            loops.disposeLater(Duration.ZERO, Duration.ofSeconds(5)).block(Duration.ofSeconds(10));
        }
    }
}
