package io.github.reactivekoyeb.snapshots.internal;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.Connection;

/**
 * One HTTP exchange that a cancel cuts at the wire, without meeting Reactor Netty's leak.
 *
 * <p>A cancel that comes before the request has a connection is an ordinary cancel: the pool
 * acquire is given up and nothing is sent. A cancel that comes once the request has its
 * connection closes that connection, on its event loop and only if the exchange still owns it:
 * the server sees the connection closed at once, the connection never goes back to the pool, and
 * an exchange that had already ended (its connection back in the pool, clean) is left alone. The
 * exchange itself is not cancelled then: it ends on the closed connection as it would on any
 * broken one, reading and releasing whatever part of the reply had arrived, and its outcome is
 * dropped.
 *
 * <p>Why not cancel it: cancelling an exchange whose reply is arriving, and sending another request
 * at once on the same pool, leaves the cancelled reply's buffers in Reactor Netty's inbound queue
 * and can hand the next request a broken connection ({@code CancelledExchangeLeakTest} shows it
 * with a plain {@code WebClient}).
 *
 * <p>With an application connector other than Reactor Netty's, the native request is not a
 * Netty connection, and a cancel is an ordinary cancel throughout.
 */
final class ExchangeCut {

    /** The state after a cancel. */
    private static final Object CUT = new Object();

    /** Nothing yet, the exchange's {@link Connection}, or {@link #CUT}. */
    private final AtomicReference<@Nullable Object> state = new AtomicReference<>();
    private volatile @Nullable Disposable exchange;
    private volatile @Nullable Disposable timer;
    private volatile boolean ended;
    private static final VarHandle ENDED;

    static {
        try {
            ENDED = MethodHandles.lookup().findVarHandle(ExchangeCut.class, "ended", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private ExchangeCut() {
    }

    /**
     * A cold {@code Mono} of the exchange that {@code exchange} builds, given the callback to call
     * with the request's native form just before it is written (from Reactor Netty's
     * {@code send}, or {@code WebClient.RequestHeadersSpec#httpRequest}); a cancel cuts it as the class says, and
     * so does {@code timeout} passing first, which then ends it with a {@link ResponseTimeout}.
     *
     * <p>The timeout is one timer on {@link Schedulers#parallel()}, not Reactor's
     * {@code timeout} operator: that one also builds a description of its source for its message
     * on every call (docs/performance.md has its cost).
     */
    static <T> Mono<T> cutOnCancel(Function<Consumer<Object>, Mono<T>> exchange, Duration timeout) {
        return Mono.create(sink -> {
            ExchangeCut cut = new ExchangeCut();
            // the first of the exchange's end, the timeout and the cancel is the outcome; what the
            // exchange says after a cut (it ends on its closed connection) is nobody's business
            cut.exchange = exchange.apply(cut::attach).contextWrite(sink.contextView()).subscribe(
                    value -> {
                        if (cut.over()) {
                            sink.success(value);
                        }
                    },
                    error -> {
                        if (cut.over()) {
                            sink.error(error);
                        }
                    },
                    () -> {
                        if (cut.over()) {
                            sink.success();
                        }
                    });
            Disposable timer = Schedulers.parallel().schedule(() -> {
                if (cut.over()) {
                    cut.cut();
                    sink.error(new ResponseTimeout(timeout));
                }
            }, timeout.toNanos(), TimeUnit.NANOSECONDS);
            cut.timer = timer;
            if (cut.ended) {
                timer.dispose(); // it ended before the timer was set
            }
            // registered after the subscription exists: a cancel that came first runs it now
            sink.onCancel(() -> {
                if (cut.over()) {
                    cut.cut();
                }
            });
        });
    }

    /**
     * The response timeout passed before the reply was complete: the client's own timer, told
     * apart from any other {@link TimeoutException} (a pool's acquire timeout is one too).
     */
    static final class ResponseTimeout extends TimeoutException {
        private static final long serialVersionUID = 1L;

        ResponseTimeout(Duration timeout) {
            super("no complete response within " + timeout.toMillis() + " ms");
        }
    }

    /** True once, for the first of the end, the timeout and the cancel; stops the timer. */
    private boolean over() {
        if ((boolean) ENDED.getAndSet(this, true)) {
            return false;
        }
        Disposable t = timer;
        if (t != null) {
            t.dispose();
        }
        return true;
    }

    /**
     * Called just before the request is written, on the connection's event loop, with the
     * request's native form: Reactor Netty's request, which is its connection, or what another
     * connector has.
     */
    private void attach(@Nullable Object target) {
        if (!(target instanceof Connection connection)) {
            return;
        }
        Object before = state.get();
        if (before == CUT || !state.compareAndSet(before, connection)) {
            // cancelled while the connection was acquired: closed before anything is written
            connection.channel().close();
        }
    }

    private void cut() {
        Object before = state.getAndSet(CUT);
        if (before instanceof Connection connection) {
            closeIfStillItsExchange(connection);
        } else if (before == null) {
            Disposable running = exchange;
            if (running != null) {
                running.dispose();
            }
        }
    }

    /**
     * Closes the channel unless the exchange has already handed it back. The check and the close
     * run as a task of their own on the channel's event loop: there Reactor Netty rebinds a
     * connection it releases, so that no release and next acquire of the same channel can come
     * between them; and never nested inside whatever that loop is doing now (a cut made while the
     * loop delivers another reply, as the pager's are, and done at once, left that loop's replies'
     * buffers in Reactor Netty's inbound queue: {@code CancelledExchangeLeakTest}).
     */
    private static void closeIfStillItsExchange(Connection connection) {
        Channel channel = connection.channel();
        EventLoop loop;
        try {
            loop = channel.eventLoop();
        } catch (IllegalStateException noLoop) {
            // a channel with no event loop has never been registered: no I/O on it, nothing to cut
            // (seen once in CI, a cut racing with Reactor Netty's set-up of a connection)
            return;
        }
        try {
            loop.execute(() -> {
                if (Connection.from(channel) == connection) {
                    channel.close();
                }
            });
        } catch (RejectedExecutionException shuttingDown) {
            channel.close(); // the client is closing its loops: nothing can be handed back to the pool
        }
    }
}
