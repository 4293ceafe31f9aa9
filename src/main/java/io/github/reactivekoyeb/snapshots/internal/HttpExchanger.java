package io.github.reactivekoyeb.snapshots.internal;

import io.github.reactivekoyeb.snapshots.ClientEventListener;
import io.github.reactivekoyeb.snapshots.KoyebException;
import io.github.reactivekoyeb.snapshots.KoyebTransportException;
import io.github.reactivekoyeb.snapshots.KoyebUnauthorizedException;
import io.github.reactivekoyeb.snapshots.RateLimiter;
import io.github.reactivekoyeb.snapshots.RetryPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import reactor.core.publisher.Mono;

/**
 * Sends one {@link ApiRequest} with retries and turns the reply into a value or a typed error.
 *
 * <p>Each try: the request with the client's headers and the token of its {@link TokenSource},
 * then the whole response (status, headers, body) within the response timeout. A 2xx body is
 * read by the caller's reader with the client's own JSON mapping (inflated first when it is
 * gzip); anything else becomes its typed exception in the {@link ExceptionFactory}. Failed tries
 * go to the {@link RetryStrategy}. How the exchange is sent is its {@link Transport}'s business,
 * chosen when the client is built; this class holds the call's policy only. A cancel, or the
 * response timeout, cuts the try's exchange at the wire ({@link ExchangeCut}). With the client's own connection pool, a try first waits its
 * turn for a free connection in the {@link RequestGate}. Before that, every try (retries and the
 * resend after a 401 too) takes a permit from the client's {@link RateLimiter}, which hears of
 * every reply: a 429, or an admission.
 */
final class HttpExchanger {

    /** How much of an error body is read: enough for any error JSON, bounded for a proxy's HTML page. */
    static final int MAX_ERROR_BODY_BYTES = 64 * 1024;

    private static final Log log = LogFactory.getLog("io.github.reactivekoyeb.snapshots.http");

    private final Transport transport;
    private final TokenSource tokens;
    private final RequestHeaders headers;
    private final RetryPolicy retryPolicy;
    private final Duration responseTimeout;
    private final int maxResponseSize;
    private final Clock clock;
    private final RetryStrategy.Listener retryListener;
    private final RetryTokenBucket retryBudget;
    private final @Nullable RequestGate gate;
    private final RateLimiter limiter;
    private final ClientEventListener listener;

    HttpExchanger(Transport transport, @Nullable RequestGate gate, TokenSource tokens, RequestHeaders headers,
            RetryPolicy retryPolicy, RateLimiter limiter, Duration responseTimeout, int maxResponseSize, Clock clock,
            ClientEventListener listener) {
        this.transport = transport;
        this.gate = gate;
        this.tokens = tokens;
        this.headers = headers;
        this.retryPolicy = retryPolicy;
        this.responseTimeout = responseTimeout;
        this.maxResponseSize = maxResponseSize;
        this.clock = clock;
        this.retryBudget = new RetryTokenBucket(retryPolicy.budget(), limiter.paces());
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
            // per subscription: each retry asks again
            if (!limiter.paces() || limiter.tryPermitNow()) {
                return send.get();
            }
            return limiter.permit()
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
        return ExchangeCut.cutOnCancel(onRequest -> guarded(transport.exchange(request, headers, credentials.token(),
                        onRequest, reply -> read(reply, request, reader, attempt, start, exceptions))), responseTimeout)
                .onErrorMap(e -> !(e instanceof KoyebException) && ExceptionFactory.isTransportFailure(e),
                        e -> logged(exceptions.forTransportFailure(e, request, attempt, responseTimeout), request));
    }

    private <T> Mono<T> guarded(Mono<T> exchange) {
        return gate == null ? exchange : gate.guard(exchange);
    }

    private <T> Mono<T> read(Transport.Reply response, ApiRequest request, Function<InputStream, T> reader,
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
