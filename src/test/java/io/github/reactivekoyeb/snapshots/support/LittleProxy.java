package io.github.reactivekoyeb.snapshots.support;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;
import org.littleshoot.proxy.HttpFilters;
import org.littleshoot.proxy.HttpFiltersSourceAdapter;
import org.littleshoot.proxy.HttpProxyServer;
import org.littleshoot.proxy.HttpProxyServerBootstrap;
import org.littleshoot.proxy.ProxyAuthenticator;
import org.littleshoot.proxy.impl.DefaultHttpProxyServer;

/**
 * A real HTTP proxy in the test's JVM (LittleProxy, from Maven Central): it tunnels {@code CONNECT}
 * requests, can require Basic credentials ({@code Proxy-Authorization}, 407 without them), and
 * counts the tunnels it opens to each port. It needs nothing outside Maven, so the proxy tests run
 * on any machine; {@link Tinyproxy} is the same contract with a proxy process of its own.
 */
public final class LittleProxy implements TestProxy {

    private final HttpProxyServer server;
    private final Map<String, LongAdder> connects = new ConcurrentHashMap<>();

    private LittleProxy(@Nullable String username, @Nullable String password) {
        HttpProxyServerBootstrap bootstrap = DefaultHttpProxyServer.bootstrap()
                .withName("test-proxy")
                .withAddress(new InetSocketAddress("127.0.0.1", 0))
                .withFiltersSource(new HttpFiltersSourceAdapter() {
                    @Override
                    public HttpFilters filterRequest(HttpRequest request, ChannelHandlerContext context) {
                        if (HttpMethod.CONNECT.equals(request.method())) {
                            connects.computeIfAbsent(request.uri(), uri -> new LongAdder()).increment();
                        }
                        return super.filterRequest(request, context);
                    }
                });
        if (username != null) {
            bootstrap.withProxyAuthenticator(new ProxyAuthenticator() {
                @Override
                public boolean authenticate(String user, String pass) {
                    return username.equals(user) && password != null && password.equals(pass);
                }

                @Override
                public String getRealm() {
                    return "test-proxy";
                }
            });
        }
        this.server = bootstrap.start();
    }

    /** Starts one, open to all, or requiring these credentials. */
    public static LittleProxy start(@Nullable String username, @Nullable String password) {
        return new LittleProxy(username, password);
    }

    @Override
    public int port() {
        return server.getListenAddress().getPort();
    }

    @Override
    public long connectsTo(int targetPort) {
        LongAdder count = connects.get("127.0.0.1:" + targetPort);
        return count == null ? 0 : count.sum();
    }

    @Override
    public void close() {
        server.abort();
    }
}
