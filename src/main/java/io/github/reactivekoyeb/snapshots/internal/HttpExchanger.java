package io.github.reactivekoyeb.snapshots.internal;

import io.github.reactivekoyeb.snapshots.ClientEventListener;
import io.github.reactivekoyeb.snapshots.KoyebException;
import io.github.reactivekoyeb.snapshots.KoyebTokenProviderException;
import io.github.reactivekoyeb.snapshots.KoyebTransportException;
import io.github.reactivekoyeb.snapshots.KoyebUnauthorizedException;
import io.github.reactivekoyeb.snapshots.RetryPolicy;
import io.github.reactivekoyeb.snapshots.TokenProvider;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Predicate;
import javax.net.ssl.SSLHandshakeException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.BodyExtractors;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientException;
import reactor.core.publisher.Mono;

/**
 * Sends one {@link ApiRequest} with retries and turns the reply into a value or a typed error.
 *
 * <p>Each try: the request with the client's headers, then the whole response (status, headers,
 * body) within the response timeout. A 2xx body is read by the caller's reader with the client's
 * own JSON mapping; any other status becomes a {@code KoyebApiException} through the
 * {@link ErrorDecoder}; no usable reply becomes a {@link KoyebTransportException}. Failed tries
 * go to the {@link RetryStrategy}. A cancel, or the response timeout, cuts the try's exchange at
 * the wire ({@link ExchangeCut}).
 */
final class HttpExchanger {

    /** How much of an error body is read: enough for any error JSON, bounded for a proxy's HTML page. */
    static final int MAX_ERROR_BODY_BYTES = 64 * 1024;

    /** The request attribute {@code WebClient} reads the URI template from, for observations. */
    static final String URI_TEMPLATE_ATTRIBUTE = WebClient.class.getName() + ".uriTemplate";

    private static final List<MediaType> ACCEPT_JSON = List.of(MediaType.APPLICATION_JSON);

    private static final Log log = LogFactory.getLog("io.github.reactivekoyeb.snapshots.http");

    private final WebClient webClient;
    private final String baseUrl;
    private final @Nullable TokenProvider tokenProvider;
    private final Mono<Credentials> fixedCredentials;
    private final String userAgent;
    private final RetryPolicy retryPolicy;
    private final Duration responseTimeout;
    private final int maxResponseSize;
    private final boolean compression;
    private final Clock clock;
    private final RetryStrategy.Listener retryListener;
    private final RetryTokenBucket retryBudget;

    HttpExchanger(WebClient webClient, String baseUrl, @Nullable String token, @Nullable TokenProvider tokenProvider,
            String userAgent, boolean compression,
            RetryPolicy retryPolicy, Duration responseTimeout, int maxResponseSize, Clock clock,
            ClientEventListener listener) {
        this.webClient = webClient;
        this.baseUrl = baseUrl;
        this.tokenProvider = tokenProvider;
        this.fixedCredentials = Mono.just(Credentials.of(token));
        this.userAgent = userAgent;
        this.retryPolicy = retryPolicy;
        this.responseTimeout = responseTimeout;
        this.maxResponseSize = maxResponseSize;
        this.compression = compression;
        this.clock = clock;
        this.retryBudget = new RetryTokenBucket(retryPolicy.budget());
        this.retryListener = new RetryStrategy.Listener() {
            @Override
            public void onRetry(ApiRequest request, RetryStrategy.Reason reason, long retry, Duration delay) {
                if (log.isDebugEnabled()) {
                    log.debug(request.method() + " " + request.uriTemplate() + ": retry " + retry + " (" + reason.tag
                            + ") in " + delay.toMillis() + " ms");
                }
                listener.onRetry(request.method().name(), request.uriTemplate(), reason.tag, (int) retry, delay);
            }

            @Override
            public void onRetryBudgetExhausted(ApiRequest request, RetryStrategy.Reason reason) {
                if (log.isDebugEnabled()) {
                    log.debug(request.method() + " " + request.uriTemplate() + ": not retried (" + reason.tag
                            + "), the retry budget is exhausted");
                }
                listener.onRetryBudgetExhausted(request.method().name(), request.uriTemplate(), reason.tag);
            }
        };
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
            return Mono.defer(() -> credentials(request, attempts.get())
                            .flatMap(used -> attempt(request, reader, attempts.incrementAndGet(), used)
                                    .onErrorResume(KoyebUnauthorizedException.class, refused -> resendWithNewToken(
                                            request, reader, attempts, resentAfter401, used, refused))))
                    .retryWhen(new RetryStrategy(retryPolicy, request, retryListener, retryBudget, lastRetryCost))
                    .doOnNext(value -> retryBudget.onSuccess(lastRetryCost.get()));
        });
    }

    /**
     * After a 401: asks the provider once more and, if it now gives another token, sends the
     * request once more with it. At most once per call, whatever the method: a 401 means the
     * server did nothing.
     */
    private <T> Mono<T> resendWithNewToken(ApiRequest request, Function<InputStream, T> reader,
            AtomicInteger attempts, AtomicBoolean resentAfter401, Credentials used, KoyebUnauthorizedException refused) {
        if (tokenProvider == null || !resentAfter401.compareAndSet(false, true)) {
            return Mono.error(refused);
        }
        return credentials(request, attempts.get()).flatMap(fresh -> {
            if (Objects.equals(fresh.token(), used.token())) {
                return Mono.error(refused);
            }
            if (log.isDebugEnabled()) {
                log.debug(request.method() + " " + request.uriTemplate()
                        + " -> 401: the token provider gave another token, sending once more");
            }
            return attempt(request, reader, attempts.incrementAndGet(), fresh);
        });
    }

    /** The token for the next request: the fixed one, or the provider's, checked. */
    private Mono<Credentials> credentials(ApiRequest request, int sentSoFar) {
        TokenProvider provider = tokenProvider;
        if (provider == null) {
            return fixedCredentials;
        }
        String method = request.method().name();
        Mono<String> token;
        try {
            token = provider.token();
        } catch (RuntimeException e) {
            token = Mono.error(e);
        }
        if (token == null) {
            token = Mono.empty();
        }
        return token
                .onErrorMap(e -> new KoyebTokenProviderException("failed (" + e.getClass().getName() + ")", method,
                        request.path(), sentSoFar, e))
                .switchIfEmpty(Mono.error(() -> new KoyebTokenProviderException("gave no token", method,
                        request.path(), sentSoFar, null)))
                .map(value -> {
                    if (value.isBlank()) {
                        throw new KoyebTokenProviderException("gave a blank token", method, request.path(), sentSoFar,
                                null);
                    }
                    if (Text.hasControlCharacter(value)) {
                        // never quoted: the value is the secret
                        throw new KoyebTokenProviderException("gave a token with a control character (CR, LF, ...)",
                                method, request.path(), sentSoFar, null);
                    }
                    return Credentials.of(value);
                });
    }

    /** A token, and what masks it in messages and error bodies. */
    record Credentials(@Nullable String token, Redactor redactor, ErrorDecoder errorDecoder) {
        static Credentials of(@Nullable String token) {
            Redactor redactor = Redactor.forToken(token);
            return new Credentials(token, redactor, new ErrorDecoder(redactor));
        }

        @Override
        public String toString() {
            return "Credentials[" + (token == null ? "none" : Redactor.MASK) + "]";
        }
    }

    private <T> Mono<T> attempt(ApiRequest request, Function<InputStream, T> reader, int attempt,
            Credentials credentials) {
        long start = System.nanoTime();
        WebClient.RequestBodySpec spec = webClient.method(request.method())
                .uri(URI.create(baseUrl + request.pathAndQuery()))
                .attribute(URI_TEMPLATE_ATTRIBUTE, request.uriTemplate())
                .headers(headers -> addHeaders(headers, credentials.token()));
        byte[] body = request.body();
        WebClient.RequestHeadersSpec<?> ready = body == null ? spec : spec.contentType(MediaType.APPLICATION_JSON).bodyValue(body);
        // the timeout is a cancel like the caller's own: both cut the exchange at the wire
        return ExchangeCut.cutOnCancel(onRequest -> ready.httpRequest(onRequest)
                        .exchangeToMono(response -> read(response, request, reader, attempt, start, credentials)))
                .timeout(responseTimeout)
                .onErrorMap(e -> !(e instanceof KoyebException) && isTransportFailure(e),
                        e -> transportFailure(e, request, attempt, credentials.redactor()));
    }

    private void addHeaders(HttpHeaders headers, @Nullable String token) {
        headers.setAccept(ACCEPT_JSON);
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

    private <T> Mono<T> read(ClientResponse response, ApiRequest request, Function<InputStream, T> reader,
            int attempt, long start, Credentials credentials) {
        Redactor redactor = credentials.redactor();
        int status = response.statusCode().value();
        logResponse(request, status, attempt, start);
        String method = request.method().name();
        boolean gzip = Compression.isGzip(response.headers().asHttpHeaders().getFirst(HttpHeaders.CONTENT_ENCODING));
        if (status >= 200 && status < 300) {
            // the limit bounds the body as received and, when it is compressed, as inflated
            return DataBufferUtils.join(response.body(BodyExtractors.toDataBuffers()), maxResponseSize)
                    .map(buffer -> decode(buffer, reader, gzip ? maxResponseSize : -1))
                    .switchIfEmpty(Mono.error(() -> new MalformedReplyException("empty body")))
                    .onErrorMap(e -> e instanceof DataBufferLimitException
                            || e instanceof Compression.InflatedTooLargeException, e -> new KoyebTransportException(
                            KoyebTransportException.Reason.RESPONSE_TOO_LARGE,
                            "response body larger than the client's limit of " + maxResponseSize
                                    + " bytes (raise it with ReactiveSnapshotsClient.Builder.maxResponseSize(int))",
                            method, request.path(), status, attempt, null))
                    .onErrorMap(e -> !(e instanceof KoyebException) && !isTransportFailure(e),
                            e -> new KoyebTransportException(KoyebTransportException.Reason.MALFORMED_RESPONSE,
                                    "HTTP " + status + " reply is not the expected JSON: "
                                            + redactor.mask(Text.stripControlCharacters(describe(e))),
                                    method, request.path(), status, attempt, redactor.safeCause(e)));
        }
        String retryAfter = response.headers().asHttpHeaders().getFirst(HttpHeaders.RETRY_AFTER);
        Duration wait = RetryAfter.parse(retryAfter, clock);
        return DataBufferUtils.join(DataBufferUtils.takeUntilByteCount(
                        response.body(BodyExtractors.toDataBuffers()), MAX_ERROR_BODY_BYTES))
                .map(buffer -> toText(buffer, gzip))
                .defaultIfEmpty("")
                .flatMap(text -> Mono.error(credentials.errorDecoder().decode(status, method, request.path(), text, wait,
                        attempt)));
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

    private static boolean isTransportFailure(Throwable e) {
        return e instanceof WebClientException || e instanceof TimeoutException || hasCause(e, IOException.class);
    }

    private KoyebTransportException transportFailure(Throwable e, ApiRequest request, int attempt, Redactor redactor) {
        String method = request.method().name();
        KoyebTransportException.Reason reason;
        String detail;
        if (e instanceof TimeoutException) {
            reason = KoyebTransportException.Reason.RESPONSE_TIMEOUT;
            detail = "no complete response within " + responseTimeout.toMillis() + " ms";
        } else if (anyCause(e, t -> t.getClass().getName().startsWith("io.netty.handler.proxy."))) {
            // before the ConnectException test: Netty's ProxyConnectException is one
            reason = KoyebTransportException.Reason.PROXY;
            detail = "the proxy refused the connection (" + rootMessage(e) + ")";
        } else if (hasCause(e, SSLHandshakeException.class)) {
            reason = KoyebTransportException.Reason.TLS_HANDSHAKE;
            detail = "TLS handshake failed (" + rootMessage(e) + ")";
        } else if (hasCause(e, ConnectException.class) || hasCause(e, NoRouteToHostException.class)
                || hasCause(e, UnknownHostException.class)) {
            reason = KoyebTransportException.Reason.CONNECT;
            detail = "could not connect (" + rootMessage(e) + ")";
        } else if (isPoolAcquireFailure(e)) {
            reason = KoyebTransportException.Reason.CONNECT;
            detail = "no pooled connection could be had (" + rootMessage(e) + "); see ConnectionPoolSettings";
        } else {
            reason = KoyebTransportException.Reason.CONNECTION_CLOSED;
            detail = "connection failed before the reply was complete (" + rootMessage(e) + ")";
        }
        if (log.isDebugEnabled()) {
            log.debug(method + " " + request.uriTemplate() + " -> " + reason + " (attempt " + attempt + ")");
        }
        return new KoyebTransportException(reason, redactor.mask(Text.stripControlCharacters(detail)), method,
                request.path(), 0, attempt, redactor.safeCause(e));
    }

    /** Reactor Netty's pool refused or timed out the acquire: nothing was sent. Its classes are shaded. */
    private static boolean isPoolAcquireFailure(Throwable e) {
        return anyCause(e, t -> t.getClass().getSimpleName().startsWith("PoolAcquire"));
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        return message == null ? e.getClass().getSimpleName() : message;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        for (int i = 0; i < 16 && root.getCause() != null; i++) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return root.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        return anyCause(e, type::isInstance);
    }

    /** Whether the failure or one of its first 16 causes matches. */
    private static boolean anyCause(Throwable e, Predicate<Throwable> test) {
        int depth = 0;
        for (Throwable t = e; t != null && depth < 16; t = t.getCause(), depth++) {
            if (test.test(t)) {
                return true;
            }
        }
        return false;
    }

    /** A 2xx reply the client cannot read; becomes a MALFORMED_RESPONSE transport exception. */
    static final class MalformedReplyException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        MalformedReplyException(@Nullable String message) {
            super(message);
        }
    }
}
