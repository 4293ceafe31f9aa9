package io.github.reactivekoyeb.snapshots.internal;

import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * One way of sending an exchange, chosen once when the client is built: the client's own
 * Reactor Netty client ({@link ReactorNettyTransport}) or an application's {@code WebClient}
 * ({@link WebClientTransport}). The {@link HttpExchanger} holds the call's policy (retries,
 * pacing, the token, the cut, the gate, reading the reply) and nothing of how it is sent; a
 * transport holds that and nothing of the policy.
 *
 * <p>What every transport does the same way, so that the policy sees one behaviour:
 * <ul>
 *   <li>the request carries the headers of {@link RequestHeaders}, whichever map they go in;</li>
 *   <li>{@code onConnection} sees the request's native form just before it is written (Reactor
 *       Netty's connection, or another connector's request), for {@link ExchangeCut};</li>
 *   <li>{@code reader} gets the whole reply; if it throws (a listener that breaks its contract,
 *       an {@code Error} included), the reply's body is released and the error is the signal;</li>
 *   <li>any failure before the reply is a {@link TransportFailure} whose cause is what the
 *       transport met (Reactor Netty's exception as it came, or the cause Spring's
 *       {@code WebClientRequestException} wraps), so that one mapping in the
 *       {@link ExceptionFactory} gives the same reason for the same cause.</li>
 * </ul>
 */
interface Transport {

    /**
     * A cold {@code Mono} that sends the request once per subscription and emits what
     * {@code reader} makes of the reply.
     *
     * @param request the request
     * @param headers the client's headers
     * @param token the bearer token, or null for none
     * @param onConnection called with the request's native form just before it is written
     * @param reader the reply's reader
     * @param <T> what the reader makes of it
     * @return the exchange
     */
    <T> Mono<T> exchange(ApiRequest request, RequestHeaders headers, @Nullable String token,
            Consumer<Object> onConnection, Function<Reply, Mono<T>> reader);

    /**
     * A reply as the reader sees it, whichever way it came.
     *
     * @param status the HTTP status
     * @param retryAfter the {@code Retry-After} header, or null
     * @param contentEncoding the {@code Content-Encoding} header, or null
     * @param body the body, each buffer the reader's to release
     */
    record Reply(int status, @Nullable String retryAfter, @Nullable String contentEncoding,
            reactor.core.publisher.Flux<org.springframework.core.io.buffer.DataBuffer> body) {
    }

    /**
     * A failure of the transport before a reply arrived, whichever transport met it; its cause
     * is what the transport met, which the {@link ExceptionFactory} reads for the reason.
     */
    final class TransportFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TransportFailure(Throwable cause) {
            super(cause.getMessage(), cause, false, false);
        }
    }
}
