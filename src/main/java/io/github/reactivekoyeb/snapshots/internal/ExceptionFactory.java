package io.github.reactivekoyeb.snapshots.internal;

import io.github.reactivekoyeb.snapshots.ErrorField;
import io.github.reactivekoyeb.snapshots.KoyebApiException;
import io.github.reactivekoyeb.snapshots.KoyebErrorDetails;
import io.github.reactivekoyeb.snapshots.KoyebException;
import io.github.reactivekoyeb.snapshots.KoyebForbiddenException;
import io.github.reactivekoyeb.snapshots.KoyebNotFoundException;
import io.github.reactivekoyeb.snapshots.KoyebRateLimitException;
import io.github.reactivekoyeb.snapshots.KoyebServerException;
import io.github.reactivekoyeb.snapshots.KoyebServiceUnavailableException;
import io.github.reactivekoyeb.snapshots.KoyebTokenProviderException;
import io.github.reactivekoyeb.snapshots.KoyebTransportException;
import io.github.reactivekoyeb.snapshots.KoyebTransportException.Reason;
import io.github.reactivekoyeb.snapshots.KoyebUnauthorizedException;
import io.github.reactivekoyeb.snapshots.KoyebValidationException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import javax.net.ssl.SSLHandshakeException;
import org.jspecify.annotations.Nullable;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.web.reactive.function.client.WebClientException;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import reactor.netty.channel.AbortedException;

/**
 * The one place where a failed try becomes its typed exception, in the style of
 * r2dbc-postgresql's {@code ExceptionFactory}: an error status by its exact value first (400,
 * 401, 403, 404, 429, 503), then by its class (other 5xx), then {@link KoyebApiException} itself;
 * a transport failure by what its causes show (proxy, TLS, connect, pool, else a connection
 * closed early); a reply that cannot be read as {@code MALFORMED_RESPONSE} or
 * {@code RESPONSE_TOO_LARGE}; a token provider's failure. Everything taken from a reply or a cause
 * is masked (the token) and stripped of control characters. One instance per token.
 */
final class ExceptionFactory {

    /** The message of Reactor Netty's {@code AbortedException.beforeSend()}. */
    private static final @Nullable String CLOSED_BEFORE_SEND = AbortedException.beforeSend().getMessage();

    private final Redactor redactor;

    ExceptionFactory(Redactor redactor) {
        this.redactor = redactor;
    }

    /** The exception for an error status and its body (as text, possibly empty). */
    KoyebApiException forStatus(int status, ApiRequest request, String body, @Nullable Duration retryAfter,
            int attempt) {
        WireJson.ErrorBody parsed = body.isEmpty() ? null : WireJson.get().readErrorBody(body);
        List<ErrorField> fields = new ArrayList<>();
        if (parsed != null) {
            for (ErrorField f : parsed.fields()) {
                fields.add(new ErrorField(cleanOrNull(f.field()), cleanOrNull(f.description())));
            }
        }
        return forStatus(KoyebErrorDetails.builder(request.method().name(), request.path())
                .statusCode(status)
                .errorCode(parsed == null ? null : cleanOrNull(parsed.code()))
                .errorMessage(parsed == null ? null : cleanOrNull(parsed.message()))
                .bodySnippet(Text.truncate(clean(body), KoyebApiException.MAX_SNIPPET_LENGTH))
                .retryAfter(retryAfter)
                .fields(fields)
                .attempts(attempt)
                .build());
    }

    /** The exception type of the details' status: exact status, then class, then the base type. */
    static KoyebApiException forStatus(KoyebErrorDetails details) {
        int status = details.statusCode();
        switch (status) {
            case 400:
                return new KoyebValidationException(details);
            case 401:
                return new KoyebUnauthorizedException(details);
            case 403:
                return new KoyebForbiddenException(details);
            case 404:
                return new KoyebNotFoundException(details);
            case 429:
                return new KoyebRateLimitException(details);
            case 503:
                return new KoyebServiceUnavailableException(details);
            default:
                return status >= 500 && status <= 599 ? new KoyebServerException(details)
                        : new KoyebApiException(details);
        }
    }

    /**
     * Whether a failure of the exchange is the transport's, not a reply the client read: whatever
     * a {@link Transport} met before the reply ({@link Transport.TransportFailure}, on every
     * transport), the response timeout, or a connection that failed while the reply's body came
     * (an {@code IOException} such as Reactor Netty's {@code PrematureCloseException}, or its
     * {@code AbortedException}, among the causes), or a pool that gave no connection.
     */
    static boolean isTransportFailure(Throwable e) {
        return e instanceof Transport.TransportFailure || e instanceof ExchangeCut.ResponseTimeout
                || e instanceof WebClientException
                || anyCause(e, t -> t instanceof IOException || isAborted(t) || isPoolRefusal(t));
    }

    /**
     * A failure before a reply was complete, as its {@link Reason}: the same reason and detail for
     * the same cause, whichever transport met it (a {@link Transport.TransportFailure} or Spring's
     * {@code WebClientRequestException} is read through to what it wraps). Nothing was sent when
     * the connection could not be opened or had ({@code CONNECT}, which every operation retries):
     * refused, timed out, unknown host, no pooled connection in time or room in its queue, or a
     * pooled connection closed before the request was written.
     */
    KoyebTransportException forTransportFailure(Throwable failure, ApiRequest request, int attempt, Duration timeout) {
        Throwable e = unwrapped(failure);
        Reason reason;
        String detail;
        if (e instanceof ExchangeCut.ResponseTimeout) {
            reason = Reason.RESPONSE_TIMEOUT;
            detail = "no complete response within " + timeout.toMillis() + " ms";
        } else if (anyCause(e, t -> t.getClass().getName().startsWith("io.netty.handler.proxy."))) {
            // before the ConnectException test: Netty's ProxyConnectException is one
            reason = Reason.PROXY;
            detail = "the proxy refused the connection (" + rootMessage(e) + ")";
        } else if (hasCause(e, SSLHandshakeException.class)) {
            reason = Reason.TLS_HANDSHAKE;
            detail = "TLS handshake failed (" + rootMessage(e) + ")";
        } else if (hasCause(e, ConnectException.class) || hasCause(e, NoRouteToHostException.class)
                || hasCause(e, UnknownHostException.class)) {
            reason = Reason.CONNECT;
            detail = "could not connect (" + rootMessage(e) + ")";
        } else if (anyCause(e, ExceptionFactory::isPoolRefusal)) {
            // the queue in front of the pool, or Reactor Netty's pool, refused or timed out the
            // acquire (its pending queue full, or the wait too long): nothing was sent
            reason = Reason.CONNECT;
            detail = "no pooled connection could be had (" + rootMessage(e) + "); see ConnectionPoolSettings";
        } else if (anyCause(e, ExceptionFactory::isClosedBeforeSend)) {
            // a pooled connection that the server closed just as it was taken for this request
            reason = Reason.CONNECT;
            detail = "the pooled connection closed before the request was sent (" + rootMessage(e) + ")";
        } else {
            reason = Reason.CONNECTION_CLOSED;
            detail = "connection failed before the reply was complete (" + rootMessage(e) + ")";
        }
        return transport(reason, clean(detail), request, 0, attempt, redactor.safeCause(e));
    }

    /** What a transport's or Spring's wrapper of a failure before the reply wraps. */
    private static Throwable unwrapped(Throwable e) {
        Throwable t = e;
        for (int i = 0; i < 4 && t.getCause() != null
                && (t instanceof Transport.TransportFailure || t instanceof WebClientRequestException); i++) {
            t = t.getCause();
        }
        return t;
    }

    /**
     * The client's {@link RequestGate} refused, or Reactor Netty's pool (its reactor-pool classes
     * are shaded, so matched by name): {@code PoolAcquirePendingLimitException},
     * {@code PoolAcquireTimeoutException}.
     */
    private static boolean isPoolRefusal(Throwable t) {
        return t instanceof RequestGate.Refused || t.getClass().getSimpleName().startsWith("PoolAcquire");
    }

    /** Reactor Netty's {@code AbortedException}: the connection closed under an exchange. */
    private static boolean isAborted(Throwable t) {
        return t instanceof AbortedException;
    }

    /**
     * Reactor Netty's {@code AbortedException.beforeSend()}: closed before the request was written.
     * It has no type of its own, only its message, taken from Reactor Netty itself.
     */
    private static boolean isClosedBeforeSend(Throwable t) {
        return t instanceof AbortedException && java.util.Objects.equals(CLOSED_BEFORE_SEND, t.getMessage());
    }

    /** A 2xx reply the client could not read: too large, or not the JSON it expects. */
    KoyebTransportException forUnreadableReply(Throwable e, int status, ApiRequest request, int attempt, int limit) {
        if (e instanceof DataBufferLimitException || e instanceof Compression.InflatedTooLargeException) {
            return transport(Reason.RESPONSE_TOO_LARGE, "response body larger than the client's limit of " + limit
                    + " bytes (raise it with ReactiveSnapshotsClient.Builder.maxResponseSize(int))", request, status,
                    attempt, null);
        }
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return transport(Reason.MALFORMED_RESPONSE, "HTTP " + status + " reply is not the expected JSON: "
                + clean(message), request, status, attempt, redactor.safeCause(e));
    }

    /** The client's rate limiter would have held the request longer than its maximum wait: not sent. */
    static KoyebRateLimitException forRateLimiterRefusal(ApiRequest request, int sentSoFar, Duration maxWait) {
        KoyebErrorDetails details = KoyebErrorDetails.builder(request.method().name(), request.path())
                .statusCode(429).attempts(sentSoFar).build();
        return new KoyebRateLimitException(request.method() + " " + request.path() + " not sent: the client's rate"
                + " limiter would hold it longer than its max wait of " + maxWait.toMillis() + " ms, after 429s from"
                + " the API (see RateLimitSettings.maxWait)" + (sentSoFar == 0 ? "" : "; " + sentSoFar
                + (sentSoFar == 1 ? " attempt" : " attempts") + " sent before"), details);
    }

    /** The token provider failed, gave nothing, or gave a token the client cannot send. */
    static KoyebTokenProviderException forTokenProvider(String detail, ApiRequest request, int sentSoFar,
            @Nullable Throwable cause) {
        return new KoyebTokenProviderException(detail, KoyebErrorDetails.builder(request.method().name(),
                request.path()).attempts(sentSoFar).build(), cause);
    }

    /**
     * The same failure, made again with its retry-budget flag set, for the error signal of a call
     * whose retry the budget refused; other exceptions are returned as they are.
     */
    static Throwable withRetryBudgetExhausted(Throwable failure) {
        KoyebException copy;
        if (failure instanceof KoyebTransportException t) {
            copy = new KoyebTransportException(t.reason(), t.detail(), flagged(t), t.getCause());
        } else if (failure instanceof KoyebApiException api) {
            copy = forStatus(flagged(api));
        } else {
            return failure;
        }
        copy.setStackTrace(failure.getStackTrace());
        return copy;
    }

    private static KoyebErrorDetails flagged(KoyebException e) {
        return e.details().toBuilder().retryBudgetExhausted(true).build();
    }

    private static KoyebTransportException transport(Reason reason, String detail, ApiRequest request, int status,
            int attempt, @Nullable Throwable cause) {
        return new KoyebTransportException(reason, detail, KoyebErrorDetails.builder(request.method().name(),
                request.path()).statusCode(status).attempts(attempt).build(), cause);
    }

    private @Nullable String cleanOrNull(@Nullable String text) {
        return text == null ? null : clean(text);
    }

    private String clean(String text) {
        // mask before and after stripping: a token split by a control character is caught too
        return redactor.mask(Text.stripControlCharacters(redactor.mask(text)));
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
}
