package io.github.reactivekoyeb.snapshots.testing;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerResponse;

/**
 * Writes a scripted {@link FakeResponse} on the connection: an answer as scripted, or one of the
 * closed set of socket faults (a disconnect, a reset, a body cut short or after its headers, a
 * body that drips). The cuts are written below Reactor Netty's HTTP layer, which would otherwise
 * complete the body.
 */
final class FaultWriter {

    private FaultWriter() {
    }

    static Mono<Void> write(FakeResponse scripted, HttpServerResponse response) {
        switch (scripted.kind()) {
            case DISCONNECT:
                return Mono.fromRunnable(() -> response.withConnection(c -> c.channel().close()));
            case RESET:
                return Mono.fromRunnable(() -> response.withConnection(c -> {
                    c.channel().config().setOption(ChannelOption.SO_LINGER, 0);
                    c.channel().close();
                }));
            case TRUNCATE:
                return sendPartOfBody(scripted, response, Objects.requireNonNull(scripted.body()).length() / 2);
            case CLOSE_AFTER_HEADERS:
                return sendPartOfBody(scripted, response, 0);
            case DRIP: {
                byte[] bytes = Objects.requireNonNull(scripted.body()).getBytes(StandardCharsets.UTF_8);
                scripted.headers().forEach(response::header);
                response.status(scripted.statusCode()).header("Content-Length", String.valueOf(bytes.length));
                Flux<byte[]> drip = Flux.range(0, bytes.length)
                        .delayElements(scripted.dripInterval())
                        .map(i -> new byte[] {bytes[i]});
                return response.sendByteArray(drip).then();
            }
            default: {
                response.status(scripted.statusCode());
                scripted.headers().forEach(response::header);
                String body = scripted.body();
                return body == null ? response.send().then()
                        : response.sendString(Mono.just(body), StandardCharsets.UTF_8).then();
            }
        }
    }

    /**
     * Writes the head (announcing the whole body) and the first {@code chars} characters of the
     * body, then closes the connection.
     */
    private static Mono<Void> sendPartOfBody(FakeResponse scripted, HttpServerResponse response, int chars) {
        String body = Objects.requireNonNull(scripted.body());
        byte[] whole = body.getBytes(StandardCharsets.UTF_8);
        byte[] part = body.substring(0, chars).getBytes(StandardCharsets.UTF_8);
        DefaultHttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(scripted.statusCode()));
        scripted.headers().forEach((name, value) -> head.headers().set(name, value));
        head.headers().set(HttpHeaderNames.CONTENT_LENGTH, whole.length);
        response.withConnection(c -> {
            c.channel().write(head);
            c.channel().writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(part)))
                    .addListener(ChannelFutureListener.CLOSE);
        });
        return Mono.never();
    }
}
