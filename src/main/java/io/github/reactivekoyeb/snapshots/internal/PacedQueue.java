package io.github.reactivekoyeb.snapshots.internal;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.publisher.MonoSink;
import reactor.core.scheduler.Scheduler;

/**
 * The queue half of the {@link AdaptiveRateLimiter}: requests that wait for a permit, in one FIFO
 * queue drained by one timer from a token bucket at the rate the limiter's control law sets, and a
 * pause that holds every request. While the rate is infinite (the limiter is off), only a pause
 * holds requests.
 *
 * <p>The bucket holds {@value #BURST_SECONDS} s of tokens but gains none while paused: when a pause
 * ends, the requests it held back go at the rate, not at once. A burst at the end of every pause
 * would take the budget of the replicas that were not paused, which would then meet the 429s.
 *
 * <p>While requests wait, it grants them in groups: the tokens of {@value #GROUP_SECONDS} s of the
 * rate at once (at least one, and no more than wait), not one token at a time. A queue paced evenly
 * at about the rate the API's own bucket refills takes each token as the API makes it, so the other
 * replicas' requests find that bucket empty and the 429s that should cut the largest replica fall
 * on the small ones. In groups, the larger a replica's rate, the larger its groups, and a group is
 * what finds the API's bucket short first (the figures are in docs/rate-limiting.md).
 *
 * <p>The rate is never below what lets every waiting request go within the maximum wait: a request
 * is refused when it asks only because of a pause, never because of the rate alone.
 *
 * <p>A pause or a rate change that comes while requests wait holds them too (a reservation made at
 * the old rate would not); a cancelled request leaves the queue; one that would wait longer than the
 * maximum is refused when it asks (estimated from the queue ahead of it) or, if a later change makes
 * it so, when the maximum has passed. Thread-safe; the state changes under this object's lock, held
 * for a few instructions, never while waiting, and permits are granted outside it.
 */
final class PacedQueue {

    /** The bucket's capacity, in seconds of the rate: {@value}. */
    static final double BURST_SECONDS = 0.75;
    /** The waiting requests go in groups of this many seconds of the rate: {@value}. */
    static final double GROUP_SECONDS = 0.03;
    private static final long SECOND = 1_000_000_000L;

    private final long maxWaitNanos;
    private final Scheduler timer;
    private final LongSupplier clock;
    /** Told of each permit granted, with the time it was granted. */
    private final LongConsumer granted;
    private volatile long pausedUntil;
    /** Requests per second, infinite while unlimited; written under the lock, read anywhere. */
    private volatile double rate = Double.POSITIVE_INFINITY;

    // under the lock
    private final ArrayDeque<Waiter> queue = new ArrayDeque<>();
    private @Nullable Disposable drain;
    private double tokens;
    private long refilledAt;
    private long pauseFrom;

    /**
     * @param maxWaitNanos the longest a request may wait; one that would wait longer is refused
     * @param timer the scheduler of the drain
     * @param clock monotonic nanoseconds
     * @param granted told of each permit granted, with the time it was granted
     */
    PacedQueue(long maxWaitNanos, Scheduler timer, LongSupplier clock, LongConsumer granted) {
        this.maxWaitNanos = maxWaitNanos;
        this.timer = timer;
        this.clock = clock;
        this.granted = granted;
        long now = clock.getAsLong();
        this.pausedUntil = now;
        this.pauseFrom = now; // no pause yet: none counts in any window
    }

    /** Whether a pause holds every request at {@code now}. */
    boolean paused(long now) {
        return pausedUntil - now > 0;
    }

    /** Queues a request for its permit: {@code sink} gets the time it waited, or completes empty if refused. */
    void enqueue(MonoSink<Duration> sink) {
        long now = clock.getAsLong();
        Waiter waiter = new Waiter(sink, now);
        sink.onCancel(() -> leave(waiter));
        boolean refused = false;
        boolean at = false;
        synchronized (this) {
            if (waiter.cancelled) {
                return;
            }
            boolean limited = limited();
            refill(now);
            long pause = Math.max(0, pausedUntil - now);
            if (queue.isEmpty() && pause == 0 && (!limited || tokens >= 1)) {
                tokens -= limited ? 1 : 0;
                at = true;
            } else {
                double ahead = limited ? queue.size() + 1 - tokens : 0;
                if (limited && ahead / rate * SECOND > maxWaitNanos) {
                    rate = drainingRate(queue.size() + 1); // the floor: the rate alone refuses no one
                }
                long wait = Math.max(pause, ahead <= 0 ? 0 : (long) (ahead / rate * SECOND));
                if (wait > maxWaitNanos) {
                    refused = true;
                } else {
                    queue.add(waiter);
                    scheduleDrain(now);
                }
            }
        }
        if (at) {
            granted.accept(now);
            sink.success(Duration.ZERO);
        } else if (refused) {
            sink.success();
        }
    }

    private synchronized void leave(Waiter waiter) {
        waiter.cancelled = true;
        queue.remove(waiter);
    }

    /** Grants what the bucket allows now, refuses who waited past the maximum, sets the next drain. */
    private void drain() {
        long now = clock.getAsLong();
        List<Waiter> grants = new ArrayList<>();
        List<Waiter> refused = new ArrayList<>();
        synchronized (this) {
            drain = null;
            boolean limited = limited();
            refill(now);
            boolean ready = !limited || tokens >= group();
            while (ready && !queue.isEmpty() && pausedUntil - now <= 0 && (!limited || tokens >= 1)) {
                grants.add(queue.poll());
                tokens -= limited ? 1 : 0;
            }
            while (!queue.isEmpty() && now - queue.peek().since >= maxWaitNanos) {
                refused.add(queue.poll());
            }
            if (!queue.isEmpty()) {
                scheduleDrain(now);
            }
        }
        for (Waiter waiter : grants) {
            granted.accept(now);
            waiter.sink.success(Duration.ofNanos(Math.max(0, now - waiter.since)));
        }
        for (Waiter waiter : refused) {
            waiter.sink.success();
        }
    }

    /** Under the lock: a drain when the head can have its token, or has waited the maximum. */
    private void scheduleDrain(long now) {
        if (drain != null) {
            return;
        }
        double group = limited() ? group() : 0;
        long next = Math.max(pausedUntil - now, tokens < group ? (long) ((group - tokens) / rate * SECOND) : 0);
        Waiter head = queue.peek();
        if (head != null) {
            next = Math.min(next, head.since + maxWaitNanos - now);
        }
        drain = timer.schedule(this::drain, Math.max(next, 1), TimeUnit.NANOSECONDS);
    }

    /** Pauses every request until {@code until}, unless a pause already lasts longer; the tokens earned so far are kept. */
    synchronized void pause(long now, long until) {
        refill(now);
        if (pausedUntil - now <= 0) {
            pauseFrom = now;
        }
        if (until - pausedUntil > 0) {
            pausedUntil = until;
        }
    }

    /** How much of the time from {@code from} to {@code now} was paused, in nanoseconds. */
    synchronized long pausedSince(long from, long now) {
        return Math.max(0, Math.min(now, pausedUntil) - Math.max(from, pauseFrom));
    }

    /** Limits the requests to {@code rate} per second from {@code now}, from an empty bucket. */
    synchronized void start(long now, double rate) {
        this.refilledAt = now;
        this.tokens = 0;
        this.rate = Math.max(rate, drainingRate(queue.size()));
    }

    /** Changes the rate from {@code now}; the tokens earned at the old rate are kept, up to the new capacity. */
    synchronized void rate(long now, double rate) {
        refill(now);
        this.rate = Math.max(rate, drainingRate(queue.size()));
        tokens = Math.min(tokens, capacity());
    }

    /** The rate, in requests per second; infinite while unlimited. */
    double rate() {
        return rate;
    }

    /** Lifts the rate: from now on only a pause holds requests. */
    synchronized void unlimit() {
        rate = Double.POSITIVE_INFINITY;
    }

    /** Whether no request waits. */
    synchronized boolean isEmpty() {
        return queue.isEmpty();
    }

    /**
     * The rate that lets {@code waiting} requests all go within the maximum wait, from an empty bucket: the floor under
     * any rate the limiter sets. Below it the queue would refuse callers for the rate alone (only a
     * pause may), and callers that call again at once after a refusal would spin through refusals
     * while almost nothing is sent and, with nothing admitted, the rate could not grow back: a
     * refusal storm.
     */
    private double drainingRate(int waiting) {
        // one more than wait: the last of them then goes before, not at, the end of its maximum wait
        return waiting == 0 ? 0 : (waiting + 1) / (maxWaitNanos / (double) SECOND);
    }

    private boolean limited() {
        return rate != Double.POSITIVE_INFINITY;
    }

    /**
     * Under the lock, while limited: the tokens a drain waits for before it grants: those of
     * {@value #GROUP_SECONDS} s of the rate, at least one, at most the bucket and the requests that wait.
     */
    private double group() {
        return Math.max(1, Math.min(queue.size(), Math.min(capacity(), Math.floor(rate * GROUP_SECONDS))));
    }

    /** Three quarters of a second's worth of tokens, at least one. */
    private double capacity() {
        return Math.max(1, rate * BURST_SECONDS);
    }

    /** Under the lock: the tokens earned since the last refill, none while paused. */
    private void refill(long now) {
        if (limited()) {
            long from = Math.max(refilledAt, Math.min(now, pausedUntil));
            tokens = Math.min(capacity(), tokens + Math.max(0, now - from) / (double) SECOND * rate);
        }
        refilledAt = now;
    }

    /** A request waiting in the queue. */
    private static final class Waiter {
        final MonoSink<Duration> sink;
        final long since;
        boolean cancelled; // under the queue's lock

        Waiter(MonoSink<Duration> sink, long since) {
            this.sink = sink;
            this.since = since;
        }
    }
}
