package io.github.reactivekoyeb.snapshots.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.netty.channel.DefaultChannelId;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/** What a cut does to the connection of an exchange, whatever state the connection is in. */
class ExchangeCutTest {

    private final AtomicReference<Consumer<Object>> onRequest = new AtomicReference<>();

    private Disposable exchange() {
        return ExchangeCut.cutOnCancel(callback -> {
            onRequest.set(callback);
            return Mono.never();
        }, Duration.ofMinutes(1)).subscribe();
    }

    /** What Reactor Netty hands the callback: its request, which is the connection. */
    private static Connection requestOn(EmbeddedChannel channel) {
        return Connection.from(channel);
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

    @Test
    void theTimeoutCutsTheExchangeAsACancelDoesAndEndsItWithATimeoutException() {
        EmbeddedChannel channel = new EmbeddedChannel();
        StepVerifier.withVirtualTime(() -> ExchangeCut.cutOnCancel(callback -> {
                    onRequest.set(callback);
                    return Mono.never();
                }, Duration.ofSeconds(5)))
                .expectSubscription()
                .then(() -> onRequest.get().accept(requestOn(channel)))
                .thenAwait(Duration.ofMillis(4_999))
                .then(() -> assertThat(channel.isOpen()).as("before the timeout").isTrue())
                .thenAwait(Duration.ofMillis(1))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(TimeoutException.class)
                        .hasMessage("no complete response within 5000 ms"))
                .verify(Duration.ofSeconds(10));
        channel.runPendingTasks();
        assertThat(channel.isOpen()).as("cut at the timeout").isFalse();
    }

    @Test
    void anExchangeThatEndsFirstIsNeitherCutNorFailedLater() {
        EmbeddedChannel channel = new EmbeddedChannel();
        VirtualTimeScheduler time = VirtualTimeScheduler.getOrSet();
        try {
            List<Object> signals = new CopyOnWriteArrayList<>();
            ExchangeCut.cutOnCancel(callback -> {
                callback.accept(requestOn(channel));
                return Mono.just("reply");
            }, Duration.ofSeconds(5)).subscribe(signals::add, signals::add, () -> signals.add("complete"));
            time.advanceTimeBy(Duration.ofMinutes(1));
            channel.runPendingTasks();
            assertThat(signals).containsExactly("reply", "complete");
            assertThat(channel.isOpen()).as("left alone").isTrue();
        } finally {
            VirtualTimeScheduler.reset();
        }
    }
}
