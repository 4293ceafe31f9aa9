package io.github.reactivekoyeb.snapshots.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.LinkedHashSet;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.scheduler.Schedulers;

/**
 * The queue in front of the client's own connection pool: one permit per pooled connection, and
 * a first-come, first-served queue of the exchanges waiting for one, bounded like the pool's
 * ({@code pendingAcquireMaxCount}, {@code pendingAcquireTimeout}).
 *
 * <p>Why the client queues, not the pool: Reactor Netty ignores a cancel that comes before its
 * pool has handed out a connection, so an exchange cancelled while queued there stays queued,
 * and when its turn comes it takes a fresh connection and closes it at once. Two hundred
 * cancelled listings left some three hundred such acquires behind, and the pool flickered for
 * half a second after the last cancel. Here a cancelled waiter leaves the queue at once and
 * never reaches the pool; an exchange only asks the pool for a connection when one is free.
 *
 * <p>Lock-free apart from a short {@code synchronized} section over the queue, which never
 * parks an event loop (BlockHound agrees).
 */
final class RequestGate {

    private final int maxWaiting;
    private final Duration maxWait;
    private final LinkedHashSet<Permit> waiting = new LinkedHashSet<>();
    private final Queue<Permit> granted = new ConcurrentLinkedQueue<>();
    private final AtomicInteger granting = new AtomicInteger();
    private final long maxWaitNanos;
    private int free;
    /**
     * The one timer of the queue, due when its head has waited {@code maxWait}: the queue is
     * first-come, first-served and every waiter waits at most as long, so the head is always the
     * next to expire (one timer, not one a waiter: see docs/performance.md). Set whenever someone waits; it may fire for a head that has since left, and then
     * looks at the next one.
     */
    private @Nullable Disposable expiry;

    RequestGate(int permits, int maxWaiting, Duration maxWait) {
        this.free = permits;
        this.maxWaiting = maxWaiting;
        this.maxWait = maxWait;
        this.maxWaitNanos = maxWait.toNanos();
    }

    /**
     * {@code exchange}, subscribed once a permit is held and holding it until it ends, fails or
     * is cancelled.
     *
     * @param exchange the exchange to run behind the gate
     * @return the exchange, or a {@link Refused} error when the queue is full or the wait too long
     */
    <T> Mono<T> guard(Mono<T> exchange) {
        return Mono.defer(() -> {
            Permit permit = new Permit();
            // the permit goes back before the end of the exchange reaches the caller (a retry
            // queues behind those already waiting), and on a cancel at any point (before it is
            // granted, while it is being granted on another thread, during the exchange) once the
            // cancel has reached the exchange
            return Mono.<Void>create(permit::acquire).then(exchange)
                    .doOnTerminate(permit::end)
                    .doFinally(signal -> permit.end());
        });
    }

    /** Exchanges waiting for a permit. */
    synchronized int waiting() {
        return waiting.size();
    }

    /** Permits free: all of them when nothing is in flight. */
    synchronized int free() {
        return free;
    }

    /** Hands a free permit to the first live waiter, or puts it back. */
    private void pass() {
        Permit next = null;
        synchronized (this) {
            Iterator<Permit> it = waiting.iterator();
            while (next == null && it.hasNext()) {
                Permit p = it.next();
                it.remove();
                if (p.state.compareAndSet(Permit.WAITING, Permit.GRANTED)) {
                    next = p;
                }
            }
            if (next == null) {
                free++;
                return;
            }
        }
        granted.add(next);
        // one thread at a time tells the granted, in a loop rather than a recursion: an exchange
        // that ends at once, while it is told, would otherwise grant the next one deeper down the stack
        if (granting.getAndIncrement() != 0) {
            return;
        }
        do {
            Permit p;
            while ((p = granted.poll()) != null) {
                p.granted();
            }
        } while (granting.decrementAndGet() != 0);
    }

    private synchronized boolean leave(Permit permit) {
        return waiting.remove(permit);
    }

    /** The pool refused the exchange before anything was sent: mapped to a {@code CONNECT} failure. */
    static final class Refused extends IOException {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message + "; nothing was sent");
        }
    }

    /** Refuses the waiters that have waited {@code maxWait}, from the head; sets the timer for the next. */
    private void expireDue() {
        List<Permit> expired = new ArrayList<>();
        long now = System.nanoTime();
        synchronized (this) {
            expiry = null;
            Iterator<Permit> it = waiting.iterator();
            while (it.hasNext()) {
                Permit p = it.next();
                if (now - p.since < maxWaitNanos) {
                    break;
                }
                it.remove();
                if (p.state.compareAndSet(Permit.WAITING, Permit.DONE)) {
                    expired.add(p);
                }
            }
            scheduleExpiry(now);
        }
        for (Permit p : expired) {
            MonoSink<Void> s = p.sink;
            if (s != null) {
                s.error(new Refused("no pooled connection was free within " + maxWait.toMillis() + " ms"));
            }
        }
    }

    /** Under the lock: the timer for the head of the queue, unless it is set or nobody waits. */
    private void scheduleExpiry(long now) {
        if (expiry != null || waiting.isEmpty()) {
            return;
        }
        long due = Math.max(0, waiting.iterator().next().since + maxWaitNanos - now);
        expiry = Schedulers.parallel().schedule(this::expireDue, due, TimeUnit.NANOSECONDS);
    }

    /** One exchange's place: waiting, then granted, then done (ended, cancelled, refused). */
    private final class Permit {
        static final int WAITING = 0;
        static final int GRANTED = 1;
        static final int DONE = 2;

        final AtomicInteger state = new AtomicInteger(WAITING);
        volatile @Nullable MonoSink<Void> sink;
        /** When it began to wait, in {@link System#nanoTime()}. */
        long since;

        void acquire(MonoSink<Void> sink) {
            this.sink = sink;
            boolean now;
            synchronized (RequestGate.this) {
                if (state.get() != WAITING) {
                    return; // ended before it asked
                }
                now = free > 0 && waiting.isEmpty();
                if (now) {
                    free--;
                } else if (waiting.size() >= maxWaiting) {
                    state.set(DONE);
                    sink.error(new Refused("the queue for a pooled connection is full (" + maxWaiting + " waiting)"));
                    return;
                } else {
                    since = System.nanoTime();
                    waiting.add(this);
                    scheduleExpiry(since);
                }
            }
            if (now) {
                if (state.compareAndSet(WAITING, GRANTED)) {
                    sink.success();
                } else {
                    pass(); // ended while being granted
                }
            }
        }

        /** Granted after waiting; the state is already {@code GRANTED}. */
        void granted() {
            MonoSink<Void> s = sink;
            if (s != null) {
                s.success();
            }
        }

        /** The end of the exchange, or its cancel: leaves the queue, or gives the permit back, once. */
        void end() {
            if (state.compareAndSet(WAITING, DONE)) {
                leave(this);
            } else if (state.compareAndSet(GRANTED, DONE)) {
                pass();
            }
        }
    }
}
