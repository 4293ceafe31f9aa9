package io.github.reactivekoyeb.snapshots.internal;

import io.github.reactivekoyeb.snapshots.ClientEventListener;
import io.github.reactivekoyeb.snapshots.ConnectionPoolSettings;
import io.github.reactivekoyeb.snapshots.ListSnapshotsRequest;
import io.github.reactivekoyeb.snapshots.ProxySettings;
import io.github.reactivekoyeb.snapshots.RateLimiter;
import io.github.reactivekoyeb.snapshots.ReactiveSnapshotsClient;
import io.github.reactivekoyeb.snapshots.RetryPolicy;
import io.github.reactivekoyeb.snapshots.TokenProvider;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import javax.net.ssl.TrustManagerFactory;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * The builder behind {@link ReactiveSnapshotsClient#builder()}.
 *
 * <p>Without an application {@code WebClient.Builder}, or with custom trust, a proxy or
 * {@code connectionPool(...)}, the client gets a {@link Connector} of its own; its
 * {@link Transport} is chosen once, in {@link #build()}, and named in one DEBUG line of the
 * logger {@code io.github.reactivekoyeb.snapshots.client}. Every setting is checked when it is
 * set, with the domain types' own messages: the Boot properties are bound through this builder too.
 */
public final class DefaultClientBuilder implements ReactiveSnapshotsClient.Builder {

    private static final Log log = LogFactory.getLog("io.github.reactivekoyeb.snapshots.client");

    /** The default {@link #maxResponseSize(int)}: 4 MiB. */
    public static final int DEFAULT_MAX_RESPONSE_SIZE = 4 * 1024 * 1024;

    private String baseUrl = ReactiveSnapshotsClient.DEFAULT_BASE_URL;
    private @Nullable String token;
    private @Nullable TokenProvider tokenProvider;
    private WebClient.@Nullable Builder webClientBuilder;
    private RetryPolicy retryPolicy = RetryPolicy.defaults();
    private @Nullable RateLimiter rateLimiter;
    private Duration responseTimeout = ReactiveSnapshotsClient.DEFAULT_RESPONSE_TIMEOUT;
    private int defaultPageSize = ListSnapshotsRequest.DEFAULT_PAGE_SIZE;
    private int defaultReadAhead;
    private int maxResponseSize = DEFAULT_MAX_RESPONSE_SIZE;
    private boolean allowInsecureHttp;
    private boolean compression = true;
    private @Nullable TrustManagerFactory trust;
    private @Nullable ProxySettings proxy;
    private ConnectionPoolSettings pool = ConnectionPoolSettings.defaults();
    private boolean poolConfigured;
    private ClientEventListener listener = ClientEventListener.NONE;

    /** Use {@link ReactiveSnapshotsClient#builder()}. */
    public DefaultClientBuilder() {
    }

    @Override
    public DefaultClientBuilder baseUrl(String baseUrl) {
        this.baseUrl = Checks.baseUrl(baseUrl);
        return this;
    }

    @Override
    public DefaultClientBuilder token(@Nullable String token) {
        if (token != null) {
            String problem = Checks.tokenProblem(token);
            if (problem != null) {
                // the message never quotes the token
                throw new IllegalArgumentException("token " + problem + " (pass null for no token)");
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
    public DefaultClientBuilder rateLimiter(RateLimiter limiter) {
        this.rateLimiter = Objects.requireNonNull(limiter, "limiter");
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
        this.defaultReadAhead = ListSnapshotsRequest.builder().readAhead(pages).build().readAhead().orElseThrow();
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
        this.poolConfigured = true;
        return this;
    }

    @Override
    public ReactiveSnapshotsClient build() {
        URI uri = URI.create(baseUrl);
        if ((token != null || tokenProvider != null) && !allowInsecureHttp && "http".equalsIgnoreCase(uri.getScheme()) && !isLoopback(uri.getHost())) {
            throw new IllegalStateException("refusing to send the token over plain http to " + uri.getHost()
                    + ": use https, or allowInsecureHttp(true) if you really mean it");
        }
        // read the version resource and load the JSON reading and writing classes here, on the
        // caller's thread, never lazily on an event loop
        WireJson.get();
        String ownConnectorReason = ownConnectorReason();
        Connector own = ownConnectorReason == null ? null : Connector.create(pool, trust, proxy);
        Transport transport = transport(own);
        if (log.isDebugEnabled()) {
            log.debug("ReactiveSnapshotsClient for " + baseUrl + " sends through " + transport + ": "
                    + transportReason(ownConnectorReason));
        }
        HttpExchanger exchanger = new HttpExchanger(transport, own == null ? null : own.gate(),
                new TokenSource(token, tokenProvider), new RequestHeaders(ClientVersion.USER_AGENT, compression),
                retryPolicy, rateLimiter != null ? rateLimiter : RateLimiter.adaptive(), responseTimeout, maxResponseSize,
                Clock.systemUTC(), listener);
        return new DefaultReactiveSnapshotsClient(exchanger, baseUrl, defaultPageSize, listener,
                own == null ? () -> { } : () -> own.pool().disposeLater().subscribe(),
                own == null ? null : own.metrics(), defaultReadAhead);
    }

    /**
     * The transport, chosen once: without an application {@code WebClient.Builder}, straight
     * through the client's own Reactor Netty client (nothing of the application's to apply);
     * with one, through its {@code WebClient}, on the client's own connector when a setting needs
     * one (its filters, codecs and observation stay).
     */
    private Transport transport(@Nullable Connector own) {
        WebClient.Builder application = webClientBuilder;
        if (application == null) {
            return new ReactorNettyTransport(Objects.requireNonNull(own).http(), baseUrl);
        }
        WebClient.Builder builder = application.clone();
        if (own != null) {
            builder.clientConnector(own.connector());
        }
        // an application's default Authorization (meant for another API) must never reach Koyeb,
        // and Spring must never log our request headers, whatever the application enabled
        builder.defaultHeaders(headers -> SpringHeaders.remove(headers, HttpHeaders.AUTHORIZATION))
                .codecs(codecs -> codecs.defaultCodecs().enableLoggingRequestDetails(false));
        return new WebClientTransport(builder.build(), baseUrl, own != null);
    }

    /** Why the client needs a connector of its own, or null when it sends on the application's. */
    private @Nullable String ownConnectorReason() {
        if (webClientBuilder == null) {
            return "no application WebClient.Builder";
        }
        if (trust != null) {
            return "custom trust, which only a connector carries";
        }
        if (proxy != null) {
            return "a proxy, which only a connector carries";
        }
        if (poolConfigured) {
            return "connectionPool(...) was set, which only the client's own connector carries";
        }
        return null;
    }

    /** The reason of the transport's choice, for its DEBUG line, given why it has its own connector. */
    private String transportReason(@Nullable String ownConnectorReason) {
        if (webClientBuilder == null) {
            return ownConnectorReason + " (nothing of an application's to apply: no filters, codecs or observation)";
        }
        return ownConnectorReason == null
                ? "an application WebClient.Builder (its filters, codecs, connector and observation)"
                : "an application WebClient.Builder (its filters, codecs and observation) and " + ownConnectorReason;
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
                + ", retryPolicy=" + retryPolicy + ", rateLimiter=" + (rateLimiter == null ? "adaptive" : rateLimiter)
                + ", responseTimeout=" + responseTimeout + ", connectionPool=" + pool + ", proxy=" + proxy + '}';
    }
}
