package io.github.reactivekoyeb.snapshots.internal;

import io.github.reactivekoyeb.snapshots.ClientEventListener;
import io.github.reactivekoyeb.snapshots.ConnectionPoolSettings;
import io.github.reactivekoyeb.snapshots.ListSnapshotsRequest;
import io.github.reactivekoyeb.snapshots.ProxySettings;
import io.github.reactivekoyeb.snapshots.ReactiveSnapshotsClient;
import io.github.reactivekoyeb.snapshots.RetryPolicy;
import io.github.reactivekoyeb.snapshots.TokenProvider;
import io.netty.channel.ChannelOption;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import javax.net.ssl.TrustManagerFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.netty.http.Http11SslContextSpec;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.transport.ProxyProvider;

/**
 * The builder behind {@link ReactiveSnapshotsClient#builder()}.
 *
 * <p>Without an application {@code WebClient.Builder} the client gets its own Reactor Netty
 * connection pool, named {@value ConnectionPoolSettings#POOL_NAME}, with the limits of its
 * {@link ConnectionPoolSettings}. Reactor Netty's own retry is off, so that a create is never
 * sent twice behind the client's back.
 */
public final class DefaultClientBuilder implements ReactiveSnapshotsClient.Builder {

    /** The default {@link #maxResponseSize(int)}: 4 MiB. */
    public static final int DEFAULT_MAX_RESPONSE_SIZE = 4 * 1024 * 1024;

    private String baseUrl = ReactiveSnapshotsClient.DEFAULT_BASE_URL;
    private @Nullable String token;
    private @Nullable TokenProvider tokenProvider;
    private WebClient.@Nullable Builder webClientBuilder;
    private RetryPolicy retryPolicy = RetryPolicy.defaults();
    private Duration responseTimeout = ReactiveSnapshotsClient.DEFAULT_RESPONSE_TIMEOUT;
    private int defaultPageSize = ListSnapshotsRequest.DEFAULT_PAGE_SIZE;
    private int defaultReadAhead;
    private int maxResponseSize = DEFAULT_MAX_RESPONSE_SIZE;
    private boolean allowInsecureHttp;
    private boolean compression = true;
    private @Nullable TrustManagerFactory trust;
    private @Nullable ProxySettings proxy;
    private ConnectionPoolSettings pool = ConnectionPoolSettings.defaults();
    private ClientEventListener listener = ClientEventListener.NONE;
    private Clock clock = Clock.systemUTC();

    /** Use {@link ReactiveSnapshotsClient#builder()}. */
    public DefaultClientBuilder() {
    }

    @Override
    public DefaultClientBuilder baseUrl(String baseUrl) {
        Objects.requireNonNull(baseUrl, "baseUrl");
        URI uri;
        try {
            uri = new URI(baseUrl.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("baseUrl is not a valid URL: " + e.getMessage(), e);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw new IllegalArgumentException("baseUrl must be an absolute http(s) URL, was " + baseUrl);
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("baseUrl must not have a query, a fragment or user info");
        }
        String normalized = uri.toString();
        while (normalized.endsWith("/")) {
            normalized = normalized.substring(0, normalized.length() - 1);
        }
        this.baseUrl = normalized;
        return this;
    }

    @Override
    public DefaultClientBuilder token(@Nullable String token) {
        if (token != null) {
            if (token.isBlank()) {
                throw new IllegalArgumentException("token must not be blank (pass null for no token)");
            }
            if (Text.hasControlCharacter(token)) {
                // the message never quotes the token
                throw new IllegalArgumentException("token must not contain control characters (CR, LF, ...)");
            }
        }
        this.token = token;
        this.tokenProvider = null;
        return this;
    }

    @Override
    public DefaultClientBuilder tokenProvider(TokenProvider provider) {
        this.tokenProvider = Objects.requireNonNull(provider, "provider");
        this.token = null;
        return this;
    }

    @Override
    public DefaultClientBuilder webClientBuilder(WebClient.Builder builder) {
        this.webClientBuilder = Objects.requireNonNull(builder, "builder");
        return this;
    }

    @Override
    public DefaultClientBuilder retryPolicy(RetryPolicy policy) {
        this.retryPolicy = Objects.requireNonNull(policy, "policy");
        return this;
    }

    @Override
    public DefaultClientBuilder responseTimeout(Duration timeout) {
        this.responseTimeout = Checks.positive(timeout, "responseTimeout");
        return this;
    }

    @Override
    public DefaultClientBuilder defaultPageSize(int pageSize) {
        // the request builder holds the one range check
        this.defaultPageSize = ListSnapshotsRequest.builder().pageSize(pageSize).build().pageSize().orElseThrow();
        return this;
    }

    @Override
    public DefaultClientBuilder defaultReadAhead(int pages) {
        // the request builder holds the one range check
        this.defaultReadAhead = ListSnapshotsRequest.builder().readAhead(pages).build().readAhead();
        return this;
    }

    @Override
    public DefaultClientBuilder maxResponseSize(int bytes) {
        if (bytes < 1024) {
            throw new IllegalArgumentException("maxResponseSize must be at least 1024 bytes, was " + bytes);
        }
        this.maxResponseSize = bytes;
        return this;
    }

    @Override
    public DefaultClientBuilder trustManagerFactory(TrustManagerFactory factory) {
        this.trust = Objects.requireNonNull(factory, "factory");
        return this;
    }

    @Override
    public DefaultClientBuilder trustedCertificates(Path pemFile) {
        this.trust = TrustMaterial.fromPem(Objects.requireNonNull(pemFile, "pemFile"));
        return this;
    }

    @Override
    public DefaultClientBuilder proxy(ProxySettings settings) {
        this.proxy = Objects.requireNonNull(settings, "settings");
        return this;
    }

    @Override
    public DefaultClientBuilder compression(boolean enabled) {
        this.compression = enabled;
        return this;
    }

    @Override
    public DefaultClientBuilder allowInsecureHttp(boolean allow) {
        this.allowInsecureHttp = allow;
        return this;
    }

    @Override
    public DefaultClientBuilder eventListener(ClientEventListener listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
        return this;
    }

    @Override
    public DefaultClientBuilder connectionPool(ConnectionPoolSettings settings) {
        this.pool = Objects.requireNonNull(settings, "settings");
        return this;
    }

    /**
     * The clock {@code Retry-After} dates are measured against; for tests.
     *
     * @param clock the clock
     * @return this builder
     */
    public DefaultClientBuilder clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    @Override
    public ReactiveSnapshotsClient build() {
        URI uri = URI.create(baseUrl);
        if ((token != null || tokenProvider != null) && !allowInsecureHttp && "http".equalsIgnoreCase(uri.getScheme()) && !isLoopback(uri.getHost())) {
            throw new IllegalStateException("refusing to send the token over plain http to " + uri.getHost()
                    + ": use https, or allowInsecureHttp(true) if you really mean it");
        }
        WebClient.Builder builder;
        Runnable onClose = () -> { };
        PoolMetrics poolMetrics = null;
        if (webClientBuilder != null) {
            builder = webClientBuilder.clone();
        } else {
            builder = WebClient.builder();
        }
        // the client's own connector: without an application builder, or with custom trust or a
        // proxy, which only a connector can carry (the application's filters, codecs and
        // observation stay)
        if (webClientBuilder == null || trust != null || proxy != null) {
            PoolMetrics metrics = new PoolMetrics();
            poolMetrics = metrics;
            ConnectionProvider provider = ConnectionProvider.builder(ConnectionPoolSettings.POOL_NAME)
                    .maxConnections(pool.maxConnections())
                    .pendingAcquireMaxCount(pool.pendingAcquireMaxCount())
                    .pendingAcquireTimeout(pool.pendingAcquireTimeout())
                    .maxIdleTime(pool.maxIdleTime())
                    .maxLifeTime(pool.maxLifeTime())
                    .evictInBackground(pool.maxIdleTime())
                    .metrics(true, () -> metrics)
                    .build();
            HttpClient httpClient = HttpClient.create(provider)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) pool.connectTimeout().toMillis())
                    .disableRetry(true);
            TrustManagerFactory trusted = trust;
            if (trusted != null) {
                httpClient = httpClient.secure(spec -> spec.sslContext(Http11SslContextSpec.forClient()
                        .configure(ssl -> ssl.trustManager(trusted))));
            }
            ProxySettings through = proxy;
            if (through != null) {
                httpClient = through.isFromSystemProperties() ? httpClient.proxyWithSystemProperties()
                        : httpClient.proxy(spec -> {
                            var address = spec.type(ProxyProvider.Proxy.HTTP).host(Objects.requireNonNull(through.host()))
                                    .port(through.port());
                            String user = through.username();
                            String password = through.password();
                            if (user != null && password != null) {
                                address.username(user).password(name -> password);
                            }
                            String bypass = through.nonProxyHostsRegex();
                            if (bypass != null) {
                                address.nonProxyHosts(bypass);
                            }
                        });
            }
            builder.clientConnector(new ReactorClientHttpConnector(httpClient));
            onClose = () -> provider.disposeLater().subscribe();
        }
        // an application's default Authorization (meant for another API) must never reach Koyeb,
        // and Spring must never log our request headers, whatever the application enabled
        builder.defaultHeaders(headers -> SpringHeaders.remove(headers, HttpHeaders.AUTHORIZATION))
                .codecs(codecs -> codecs.defaultCodecs().enableLoggingRequestDetails(false));
        // read the version resource and load the JSON reading and writing classes here, on the
        // caller's thread, never lazily on an event loop
        WireJson.get();
        HttpExchanger exchanger = new HttpExchanger(builder.build(), baseUrl, token, tokenProvider, ClientVersion.USER_AGENT, compression,
                retryPolicy, responseTimeout, maxResponseSize, clock, listener);
        return new DefaultReactiveSnapshotsClient(exchanger, baseUrl, defaultPageSize, listener, onClose, poolMetrics,
                defaultReadAhead);
    }

    static boolean isLoopback(@Nullable String host) {
        if (host == null) {
            return false;
        }
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        return h.equals("localhost") || h.endsWith(".localhost") || h.equals("::1") || h.equals("0:0:0:0:0:0:0:1")
                || h.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
    }

    @Override
    public String toString() {
        return "ReactiveSnapshotsClient.Builder{baseUrl=" + baseUrl + ", token=" + (tokenProvider != null ? "[provider]"
                : token == null ? "none" : "[REDACTED]")
                + ", retryPolicy=" + retryPolicy + ", responseTimeout=" + responseTimeout + ", connectionPool=" + pool + ", proxy=" + proxy + '}';
    }
}
