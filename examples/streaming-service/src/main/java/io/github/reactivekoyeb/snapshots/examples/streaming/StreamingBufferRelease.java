package io.github.reactivekoyeb.snapshots.examples.streaming;

import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Has the service's responses encoded into heap buffers that the garbage collector frees, rather
 * than Netty's pooled ones, because WebFlux on Reactor Netty leaks a pooled buffer of a streaming
 * response (NDJSON, server-sent events) whose HTTP client goes away.
 *
 * <p>For a streaming media type, Spring wraps each encoded element in its own
 * {@code Mono.just(buffer)} and writes those groups with {@code writeAndFlushWith}; when the
 * connection closes, Reactor Netty drops the groups made but not yet written as publishers,
 * never subscribed, so the pooled buffer inside is never released. Netty's leak detector reports
 * it; {@code StreamingServiceTest#aDisconnectingClientCancelsPaging} makes it happen. A heap
 * buffer dropped that way is simply collected. The cost is one copy per element, which a
 * service streaming a listing from a remote API does not notice.
 */
@Component
class StreamingBufferRelease implements WebFilter {

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        return chain.filter(exchange.mutate().response(new ServerHttpResponseDecorator(exchange.getResponse()) {
            @Override
            public DataBufferFactory bufferFactory() {
                return DefaultDataBufferFactory.sharedInstance;
            }
        }).build());
    }
}
