package io.github.reactivekoyeb.snapshots.internal;

import io.github.reactivekoyeb.snapshots.ConnectionPoolSettings;
import io.github.reactivekoyeb.snapshots.ProxySettings;
import io.netty.channel.ChannelOption;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.net.ssl.TrustManagerFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import reactor.netty.http.Http11SslContextSpec;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.transport.ProxyProvider;

/**
 * The client's own Reactor Netty connector: a connection pool named
 * {@value ConnectionPoolSettings#POOL_NAME} with the limits of its {@link ConnectionPoolSettings}
 * and metrics of its own ({@link PoolMetrics}), custom trust, a proxy. Reactor Netty's own retry is
 * off, so that a create is never sent twice behind the client's back.
 *
 * @param connector what the {@code WebClient} sends through
 * @param http the Reactor Netty client under it, which the client sends through directly without an
 *     application {@code WebClient.Builder}
 * @param pool the pool, disposed when the client closes
 * @param metrics the pool's metrics
 * @param gate the queue in front of the pool, where an exchange waits for a free connection
 */
record Connector(ReactorClientHttpConnector connector, HttpClient http, ConnectionProvider pool, PoolMetrics metrics,
        RequestGate gate) {

    static Connector create(ConnectionPoolSettings settings, @Nullable TrustManagerFactory trust,
            @Nullable ProxySettings proxy) {
        RequestGate gate = new RequestGate(settings.maxConnections(), settings.pendingAcquireMaxCount(),
                settings.pendingAcquireTimeout());
        PoolMetrics metrics = new PoolMetrics(gate::waiting);
        ConnectionProvider pool = ConnectionProvider.builder(ConnectionPoolSettings.POOL_NAME)
                .maxConnections(settings.maxConnections())
                .pendingAcquireMaxCount(settings.pendingAcquireMaxCount())
                .pendingAcquireTimeout(settings.pendingAcquireTimeout())
                .maxIdleTime(settings.maxIdleTime())
                .maxLifeTime(settings.maxLifeTime())
                .evictInBackground(settings.maxIdleTime())
                .metrics(true, () -> metrics)
                .build();
        HttpClient http = HttpClient.create(pool)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) settings.connectTimeout().toMillis())
                .disableRetry(true);
        if (trust != null) {
            http = http.secure(spec -> spec.sslContext(Http11SslContextSpec.forClient()
                    .configure(ssl -> ssl.trustManager(trust))));
        }
        if (proxy != null) {
            http = proxy.isFromSystemProperties() ? http.proxyWithSystemProperties() : http.proxy(spec -> {
                var address = spec.type(ProxyProvider.Proxy.HTTP).host(Objects.requireNonNull(proxy.host()))
                        .port(proxy.port());
                String user = proxy.username();
                String password = proxy.password();
                if (user != null && password != null) {
                    address.username(user).password(name -> password);
                }
                String bypass = nonProxyHostsRegex(proxy.nonProxyHosts());
                if (bypass != null) {
                    address.nonProxyHosts(bypass);
                }
            });
        }
        return new Connector(new ReactorClientHttpConnector(http), http, pool, metrics, gate);
    }

    /**
     * The {@code http.nonProxyHosts} form ({@code localhost|*.internal}: {@code |}-separated
     * hosts, {@code *} any run of characters) as the regular expression Reactor Netty matches
     * host names against.
     */
    static @Nullable String nonProxyHostsRegex(@Nullable String nonProxyHosts) {
        if (nonProxyHosts == null) {
            return null;
        }
        StringBuilder regex = new StringBuilder();
        for (String glob : nonProxyHosts.split("\\|")) {
            String trimmed = glob.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            if (regex.length() > 0) {
                regex.append('|');
            }
            regex.append(Pattern.quote(trimmed).replace("*", "\\E.*\\Q"));
        }
        return regex.toString();
    }
}
