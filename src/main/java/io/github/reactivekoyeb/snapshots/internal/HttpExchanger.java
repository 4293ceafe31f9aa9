package io.github.reactivekoyeb.snapshots.internal;

import io.github.reactivekoyeb.snapshots.ClientEventListener;
import io.github.reactivekoyeb.snapshots.KoyebException;
import io.github.reactivekoyeb.snapshots.KoyebTransportException;
import io.github.reactivekoyeb.snapshots.KoyebUnauthorizedException;
import io.github.reactivekoyeb.snapshots.RateLimiter;
import io.github.reactivekoyeb.snapshots.RetryPolicy;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.NettyDataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.BodyExtractors;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

/**
 * Sends one {@link ApiRequest} with retries and turns the reply into a value or a typed error.
 *
 * <p>Each try: the request with the client's headers and the token of its {@link TokenSource},
 * then the whole response (status, headers, body) within the response timeout. A 2xx body is
 * read by the caller's reader with the client's own JSON mapping (inflated first when it is
 * gzip); anything else becomes its typed exception in the {@link ExceptionFactory}. Failed tries
 * go to the {@link RetryStrategy}. A cancel, or the response timeout, cuts the try's exchange at
 * the wire ({@link ExchangeCut}). With the client's own connection pool, a try first waits its
 * turn for a free connection in the {@link RequestGate}. Before that, every try (retries and the
 * resend after a 401 too) takes a permit from the client's {@link RateLimiter}, which hears of
 * every reply: a 429, or an admission.
 */
final class HttpExchanger {

    /** How much of an error body is read: enough for any error JSON, bounded for a proxy's HTML page. */
    static final int MAX_ERROR_BODY_BYTES = 64 * 1024;

    /** The request attribute {@code WebClient} reads the URI template from, for observations. */
    static final String URI_TEMPLATE_ATTRIBUTE = WebClient.class.getName() + ".uriTemplate";

    private static final Log log = LogFactory.getLog("io.github.reactivekoyeb.snapshots.http");

    private final WebClient webClient;
    /** The client's own Reactor Netty client, sent through directly when no application {@code WebClient.Builder} is in play. */
    private final @Nullable HttpClient direct;
    private final String baseUrl;
    private final TokenSource tokens;
    private final String userAgent;
    private final RetryPolicy retryPolicy;
    private final Duration responseTimeout;
    private final int maxResponseSize;
    private final boolean compression;
    private final Clock clock;
    private final RetryStrategy.Listener retryListener;
    private final RetryTokenBucket retryBudget;
    private final @Nullable RequestGate gate;
    private final RateLimiter limiter;
    private final ClientEventListener listener;

    HttpExchanger(WebClient webClient, @Nullable HttpClient direct, @Nullable RequestGate gate, String baseUrl, TokenSource tokens, String userAgent,
            boolean compression, RetryPolicy retryPolicy, RateLimiter limiter, Duration responseTimeout,
            int maxResponseSize, Clock clock, ClientEventListener listener) {
        this.webClient = webClient;
        this.direct = direct;
        this.gate = gate;
        this.baseUrl = baseUrl;
        this.tokens = tokens;
        this.userAgent = userAgent;
        this.retryPolicy = retryPolicy;
        this.responseTimeout = responseTimeout;
        this.maxResponseSize = maxResponseSize;
        this.compression = compression;
        this.clock = clock;
        this.retryBudget = new RetryTokenBucket(retryPolicy.budget(), limiter != RateLimiter.NONE);
        this.limiter = limiter;
        this.listener = listener;
        this.retryListener = RetryStrategy.Listener.logging(listener);
    }

    /**
     * A cold {@code Mono} that sends the request (again, under the retry policy) on each
     * subscription and emits what {@code reader} makes of the 2xx body.
     */
    <T> Mono<T> exchange(ApiRequest request, Function<InputStream, T> reader) {
        return Mono.defer(() -> {
            AtomicInteger attempts = new AtomicInteger();
            AtomicInteger lastRetryCost = new AtomicInteger();
            AtomicBoolean resentAfter401 = new AtomicBoolean();
            return new RetryStrategy(retryPolicy, request, retryListener, retryBudget, lastRetryCost).retrying(
                            paced(request, attempts, () -> tokens.credentials(request, attempts.get())
                                    .flatMap(used -> attempt(request, reader, attempts.incrementAndGet(), used)
                                            .onErrorResume(KoyebUnauthorizedException.class, refused -> tokens.resendAfter401(
                                                    request, attempts.get(), used, refused, resentAfter401,
                                                    fresh -> paced(request, attempts,
                                                            () -> attempt(request, reader, attempts.incrementAndGet(), fresh)))))))
                    .doOnNext(value -> retryBudget.onSuccess(lastRetryCost.get()));
        });
    }

    /**
     * {@code send}, once the rate limiter gives a permit: at once, after a non-blocking delay
     * (cancelled, nothing is sent), or never, when the wait would be longer than the limiter's
     * maximum: then a {@code KoyebRateLimitException} that is not retried.
     */
    private <T> Mono<T> paced(ApiRequest request, AtomicInteger attempts, Supplier<Mono<T>> send) {
        return Mono.defer(() -> {
            Mono<Duration> permit = limiter.permit(); // per subscription: each retry asks again
            if (permit == AdaptiveRateLimiter.AT_ONCE) {
                return send.get();
            }
            return permit
                    .switchIfEmpty(Mono.error(() -> ExceptionFactory.forRateLimiterRefusal(
                            request, attempts.get(), limiter.maxWait())))
                    .flatMap(waited -> {
                        if (!waited.isZero()) {
                            listener.onRateLimitWait(request.method().name(), request.uriTemplate(), waited);
                        }
                        return send.get();
                    });
        });
    }

    private <T> Mono<T> attempt(ApiRequest request, Function<InputStream, T> reader, int attempt,
            TokenSource.Credentials credentials) {
        long start = System.nanoTime();
        ExceptionFactory exceptions = credentials.exceptions();
        // the timeout is a cancel like the caller's own: both cut the exchange at the wire
        // with the client's own pool, the wait for a connection is in its gate, which a cancel
        // leaves at once; inside the cut, the permit goes back when the exchange has really ended
        // (after a cut, once its connection is closed), so that the next never waits in the pool
        return ExchangeCut.cutOnCancel(onRequest -> guarded(send(request, credentials.token(), onRequest, response ->
                        read(response, request, reader, attempt, start, exceptions))), responseTimeout)
                .onErrorMap(e -> !(e instanceof KoyebException) && ExceptionFactory.isTransportFailure(e),
                        e -> logged(exceptions.forTransportFailure(e, request, attempt, responseTimeout), request));
    }

    /**
     * The exchange: straight through the client's own Reactor Netty client when the client has no
     * application {@code WebClient.Builder} (nothing of the application's to apply: no filters,
     * codecs or observation; a third of the CPU of a call saved, and Spring's request and response
     * adapters too, issue 27), else through the {@code WebClient}, with the application's filters
     * and observation. Either way, {@code onConnection} sees the request's connection just before
     * the request is written, and {@code reader} gets the whole response.
     */
    private <T> Mono<T> send(ApiRequest request, @Nullable String token, Consumer<Object> onConnection,
            Function<Reply, Mono<T>> reader) {
        byte[] body = request.body();
        HttpClient http = direct;
        if (http != null) {
            return http.request(io.netty.handler.codec.http.HttpMethod.valueOf(request.method().name()))
                    .uri(baseUrl + request.pathAndQuery())
                    .send((netty, out) -> {
                        addHeaders(netty.requestHeaders(), token, body);
                        onConnection.accept(netty);
                        return body == null ? out.then() : out.sendByteArray(Mono.just(body)).then();
                    })
                    // the body as Spring's ReactorClientHttpResponse hands it out
                    .responseConnection((response, connection) -> {
                        NettyDataBufferFactory buffers = new NettyDataBufferFactory(connection.outbound().alloc());
                        try {
                            return reader.apply(new Reply(response.status().code(),
                                    response.responseHeaders().get(HttpHeaderNames.RETRY_AFTER),
                                    response.responseHeaders().get(HttpHeaderNames.CONTENT_ENCODING),
                                    connection.inbound().receive().map(buffer -> buffers.wrap(buffer.retain()))));
                        } catch (RuntimeException e) {
                            // the reader failed before it read the body (an event listener threw): the
                            // body would hold the connection, so the connection goes (DirectExchangeTest)
                            connection.dispose();
                            return Mono.error(e);
                        }
                    })
                    .next();
        }
        WebClient.RequestBodySpec spec = webClient.method(request.method())
                .uri(URI.create(baseUrl + request.pathAndQuery()))
                .attribute(URI_TEMPLATE_ATTRIBUTE, request.uriTemplate())
                .headers(headers -> addHeaders(headers, token));
        WebClient.RequestHeadersSpec<?> ready = body == null ? spec : spec.contentType(MediaType.APPLICATION_JSON).bodyValue(body);
        return ready.httpRequest(spring -> onConnection.accept(spring.getNativeRequest()))
                .exchangeToMono(response -> {
                    HttpHeaders headers = response.headers().asHttpHeaders();
                    return reader.apply(new Reply(response.statusCode().value(), headers.getFirst(HttpHeaders.RETRY_AFTER),
                            headers.getFirst(HttpHeaders.CONTENT_ENCODING), response.body(BodyExtractors.toDataBuffers())));
                });
    }

    /** A response as the reader sees it, whichever way it came: its status, the two headers it reads, its body. */
    private record Reply(int status, @Nullable String retryAfter, @Nullable String contentEncoding, Flux<DataBuffer> body) {
    }

    private <T> Mono<T> guarded(Mono<T> exchange) {
        return gate == null ? exchange : gate.guard(exchange);
    }

    /** As {@link #addHeaders(HttpHeaders, String)}, the body's type and length too, in Netty's headers. */
    private void addHeaders(io.netty.handler.codec.http.HttpHeaders headers, @Nullable String token, byte @Nullable [] body) {
        headers.set(HttpHeaderNames.ACCEPT, HttpHeaderValues.APPLICATION_JSON);
        if (compression) {
            headers.set(HttpHeaderNames.ACCEPT_ENCODING, HttpHeaderValues.GZIP);
        }
        headers.set(HttpHeaderNames.USER_AGENT, userAgent);
        if (token != null) {
            headers.set(HttpHeaderNames.AUTHORIZATION, "Bearer " + token);
        }
        if (body != null) {
            headers.set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
            headers.setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        }
    }

    private void addHeaders(HttpHeaders headers, @Nullable String token) {
        headers.set(HttpHeaders.ACCEPT, MediaType.APPLICATION_JSON_VALUE); // setAccept formats its MediaType on each call
        if (compression) {
            headers.set(HttpHeaders.ACCEPT_ENCODING, "gzip");
        }
        headers.set(HttpHeaders.USER_AGENT, userAgent);
        if (token != null) {
            headers.setBearerAuth(token);
        } else {
            SpringHeaders.remove(headers, HttpHeaders.AUTHORIZATION);
        }
    }

    private <T> Mono<T> read(Reply response, ApiRequest request, Function<InputStream, T> reader,
            int attempt, long start, ExceptionFactory exceptions) {
        int status = response.status();
        logResponse(request, status, attempt, start);
        Duration wait = RetryAfter.parse(response.retryAfter(), clock);
        if (status == 429) {
            limiter.onThrottled(wait);
            listener.onThrottled(request.method().name(), request.uriTemplate(), wait, limiter.rate());
        } else {
            limiter.onAdmitted();
        }
        boolean gzip = Compression.isGzip(response.contentEncoding());
        if (status >= 200 && status < 300) {
            // the limit bounds the body as received and, when it is compressed, as inflated
            return DataBufferUtils.join(response.body(), maxResponseSize)
                    .map(buffer -> decode(buffer, reader, gzip ? maxResponseSize : -1))
                    .switchIfEmpty(Mono.error(() -> new MalformedReplyException("empty body")))
                    .onErrorMap(e -> !(e instanceof KoyebException) && !ExceptionFactory.isTransportFailure(e),
                            e -> exceptions.forUnreadableReply(e, status, request, attempt, maxResponseSize));
        }
        return DataBufferUtils.join(DataBufferUtils.takeUntilByteCount(
                        response.body(), MAX_ERROR_BODY_BYTES))
                .map(buffer -> toText(buffer, gzip))
                .defaultIfEmpty("")
                .flatMap(text -> Mono.error(exceptions.forStatus(status, request, text, wait, attempt)));
    }

    /** Reads the body; {@code inflateLimit} >= 0 when it is gzip, the most bytes it may inflate to. */
    private static <T> T decode(DataBuffer buffer, Function<InputStream, T> reader, int inflateLimit) {
        try (InputStream in = inflateLimit < 0 ? buffer.asInputStream(true)
                : Compression.inflating(buffer.asInputStream(true), inflateLimit)) {
            return reader.apply(in);
        } catch (IOException e) {
            throw new MalformedReplyException("compressed body: " + e.getMessage());
        }
    }

    private static String toText(DataBuffer buffer, boolean gzip) {
        try {
            return gzip ? Compression.inflateText(buffer.asInputStream(), MAX_ERROR_BODY_BYTES)
                    : buffer.toString(StandardCharsets.UTF_8);
        } finally {
            DataBufferUtils.release(buffer);
        }
    }

    private void logResponse(ApiRequest request, int status, int attempt, long start) {
        if (log.isDebugEnabled()) {
            log.debug(request.method() + " " + request.uriTemplate() + " -> " + status + " in "
                    + (System.nanoTime() - start) / 1_000_000 + " ms (attempt " + attempt + ")");
        }
    }

    private static KoyebTransportException logged(KoyebTransportException e, ApiRequest request) {
        if (log.isDebugEnabled()) {
            log.debug(e.method() + " " + request.uriTemplate() + " -> " + e.reason() + " (attempt " + e.attempts() + ")");
        }
        return e;
    }
}
