package io.github.reactivekoyeb.snapshots.internal;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Events of the last second, for the {@link AdaptiveRateLimiter}: counted, in ten buckets of 100 ms,
 * lock-free (an estimate: races cost a count).
 */
final class LastSecond {

    private static final long SECOND = 1_000_000_000L;
    private static final int BUCKETS = 10;
    private static final long BUCKET = SECOND / BUCKETS;

    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);
    private final AtomicLongArray epochs = new AtomicLongArray(BUCKETS);

    /** Counts one event, {@code elapsed} nanoseconds after the limiter's origin. */
    void count(long elapsed) {
        long epoch = elapsed / BUCKET;
        int slot = (int) (epoch % BUCKETS);
        long seen = epochs.get(slot);
        if (seen != epoch && epochs.compareAndSet(slot, seen, epoch)) {
            counts.set(slot, 0);
        }
        counts.incrementAndGet(slot);
    }

    /** The events of the second before {@code elapsed}. */
    double perSecond(long elapsed) {
        long epoch = elapsed / BUCKET;
        long total = 0;
        for (int slot = 0; slot < BUCKETS; slot++) {
            long e = epochs.get(slot);
            if (e > epoch - BUCKETS && e <= epoch) {
                total += counts.get(slot);
            }
        }
        return total;
    }
}
