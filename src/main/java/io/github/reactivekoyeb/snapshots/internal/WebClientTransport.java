package io.github.reactivekoyeb.snapshots.internal;

import java.net.URI;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.web.reactive.function.BodyExtractors;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import reactor.core.publisher.Mono;

/**
 * Sends through a {@code WebClient} built from an application's {@code WebClient.Builder}: its
 * filters, codecs and observation apply (the URI template is the request attribute
 * {@code WebClient} observes), on its connector or on the client's own one (custom trust, a
 * proxy, or pool settings, which only a connector can carry).
 */
final class WebClientTransport implements Transport {

    /** The request attribute {@code WebClient} reads the URI template from, for observations. */
    static final String URI_TEMPLATE_ATTRIBUTE = WebClient.class.getName() + ".uriTemplate";

    private final WebClient webClient;
    private final String baseUrl;
    private final boolean ownConnector;

    WebClientTransport(WebClient webClient, String baseUrl, boolean ownConnector) {
        this.webClient = webClient;
        this.baseUrl = baseUrl;
        this.ownConnector = ownConnector;
    }

    @Override
    public <T> Mono<T> exchange(ApiRequest request, RequestHeaders headers, @Nullable String token,
            Consumer<Object> onConnection, Function<Reply, Mono<T>> reader) {
        byte[] body = request.body();
        WebClient.RequestBodySpec spec = webClient.method(request.method())
                .uri(URI.create(baseUrl + request.pathAndQuery()))
                .attribute(URI_TEMPLATE_ATTRIBUTE, request.uriTemplate())
                .headers(spring -> headers.write(token, body, spring::set));
        WebClient.RequestHeadersSpec<?> ready = body == null ? spec : spec.bodyValue(body);
        return ready.httpRequest(spring -> onConnection.accept(spring.getNativeRequest()))
                .exchangeToMono(response -> {
                    HttpHeaders replyHeaders = response.headers().asHttpHeaders();
                    try {
                        return reader.apply(new Reply(response.statusCode().value(),
                                replyHeaders.getFirst(HttpHeaders.RETRY_AFTER),
                                replyHeaders.getFirst(HttpHeaders.CONTENT_ENCODING),
                                response.body(BodyExtractors.toDataBuffers())));
                    } catch (Throwable e) {
                        // the reader failed before it read the body: released, so that the
                        // connection goes back (Spring does too, but not for every Throwable on every line)
                        return response.releaseBody().then(Mono.error(e));
                    }
                })
                // Spring wraps what the connector met before the reply; the same cause as on
                // Reactor Netty's transport, then
                .onErrorMap(WebClientRequestException.class,
                        e -> new TransportFailure(e.getCause() != null ? e.getCause() : e));
    }

    @Override
    public String toString() {
        return ownConnector ? "the application's WebClient on the client's own Reactor Netty connector"
                : "the application's WebClient on its own connector";
    }
}
