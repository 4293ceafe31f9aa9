package io.github.reactivekoyeb.snapshots.internal;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.springframework.core.io.buffer.NettyDataBufferFactory;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

/**
 * Sends straight through the client's own Reactor Netty {@link HttpClient} (its
 * {@link Connector}): no {@code WebClient}, no Spring request or response adapters. The
 * client's transport when it has no application {@code WebClient.Builder}, since then there is
 * nothing of the application's (filters, codecs, observation) to apply.
 */
final class ReactorNettyTransport implements Transport {

    private final HttpClient http;
    private final String baseUrl;

    ReactorNettyTransport(HttpClient http, String baseUrl) {
        this.http = http;
        this.baseUrl = baseUrl;
    }

    @Override
    public <T> Mono<T> exchange(ApiRequest request, RequestHeaders headers, @Nullable String token,
            Consumer<Object> onConnection, Function<Reply, Mono<T>> reader) {
        byte[] body = request.body();
        Exchange exchange = new Exchange();
        return http.request(HttpMethod.valueOf(request.method().name()))
                .uri(baseUrl + request.pathAndQuery())
                .send((netty, out) -> {
                    headers.write(token, body, netty.requestHeaders()::set);
                    onConnection.accept(netty);
                    return body == null ? out.then() : out.sendByteArray(Mono.just(body)).then();
                })
                // the body as Spring's ReactorClientHttpResponse hands it out
                .responseConnection((response, connection) -> {
                    exchange.replied = true;
                    NettyDataBufferFactory buffers = new NettyDataBufferFactory(connection.outbound().alloc());
                    try {
                        return reader.apply(new Reply(response.status().code(),
                                response.responseHeaders().get(HttpHeaderNames.RETRY_AFTER),
                                response.responseHeaders().get(HttpHeaderNames.CONTENT_ENCODING),
                                connection.inbound().receive().map(buffer -> buffers.wrap(buffer.retain()))));
                    } catch (Throwable e) {
                        // the reader failed before it read the body (a listener threw, an Error too):
                        // the body would hold the connection, so the connection goes
                        connection.dispose();
                        return Mono.error(e);
                    }
                })
                .next()
                .onErrorMap(e -> !exchange.replied, TransportFailure::new);
    }

    /** Whether the reply has arrived: a failure before it is the transport's. */
    private static final class Exchange {
        volatile boolean replied;
    }

    @Override
    public String toString() {
        return "the client's own Reactor Netty HttpClient";
    }
}
