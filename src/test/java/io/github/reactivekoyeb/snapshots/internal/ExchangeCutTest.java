package io.github.reactivekoyeb.snapshots.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.netty.channel.DefaultChannelId;
import io.netty.channel.embedded.EmbeddedChannel;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.springframework.http.client.reactive.ClientHttpRequest;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;

/** What a cut does to the connection of an exchange, whatever state the connection is in. */
class ExchangeCutTest {

    private final AtomicReference<Consumer<ClientHttpRequest>> onRequest = new AtomicReference<>();

    private Disposable exchange() {
        return ExchangeCut.cutOnCancel(callback -> {
            onRequest.set(callback);
            return Mono.never();
        }).subscribe();
    }

    private static ClientHttpRequest requestOn(EmbeddedChannel channel) {
        Connection connection = Connection.from(channel);
        return (ClientHttpRequest) Proxy.newProxyInstance(ExchangeCutTest.class.getClassLoader(),
                new Class<?>[] {ClientHttpRequest.class},
                (proxy, method, args) -> method.getName().equals("getNativeRequest") ? connection : null);
    }

    @Test
    void aCutClosesTheConnectionOfTheExchangeOnItsEventLoop() {
        EmbeddedChannel channel = new EmbeddedChannel();
        Disposable exchange = exchange();
        onRequest.get().accept(requestOn(channel));
        exchange.dispose();
        assertThat(channel.isOpen()).as("closed in a task of its own, not at once").isTrue();
        channel.runPendingTasks();
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void aConnectionAttachedAfterTheCutIsClosedBeforeAnythingIsWritten() {
        EmbeddedChannel channel = new EmbeddedChannel();
        Disposable exchange = exchange();
        exchange.dispose();
        onRequest.get().accept(requestOn(channel));
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void aCutOfAConnectionWithoutAnEventLoopDoesNothingAndThrowsNothing() {
        // a channel with no event loop, whose eventLoop() throws: seen once in CI as the failure of a
        // cut (CancelledExchangeLeakTest), where it reached the code that disposed the call
        EmbeddedChannel unregistered = new EmbeddedChannel(DefaultChannelId.newInstance(), false, false);
        assertThat(unregistered.isRegistered()).isFalse();
        Disposable exchange = exchange();
        onRequest.get().accept(requestOn(unregistered));
        assertThatCode(exchange::dispose).doesNotThrowAnyException();
    }
}
